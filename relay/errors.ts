/**
 * The relay's one error type and the mapping from what imapflow, nodemailer and Node throw to our stable codes.
 * Messages never carry a password or token; for UPSTREAM they carry the mail server's own words.
 */
import type {RelayErrorBody, RelayErrorCode, RelayErrorInfo} from '../lib/relay-client/types.ts';

/** The HTTP status each code is answered with when it ends a request. */
export const httpStatusByCode: Record<RelayErrorCode, number> = {
	AUTH_REQUIRED: 401,
	BAD_REQUEST: 400,
	// Not 401: that would read as "your relay token is wrong". The account in the body is.
	MAILBOX_AUTH_FAILED: 422,
	UNREACHABLE: 502,
	TLS_FAILED: 502,
	TOO_LARGE: 413,
	RATE_LIMITED: 429,
	UPSTREAM: 502,
};

/** An expected failure with a stable code; the server turns it into `{error: {code, message}}`. */
export class RelayError extends Error {
	override name = 'RelayError';
	readonly code: RelayErrorCode;
	/** HTTP status; defaults from the code, a few callers pick another (404, 405, 415). */
	readonly status: number;
	/** Extra response headers, e.g. Retry-After for RATE_LIMITED. */
	readonly headers: Record<string, string>;

	constructor(code: RelayErrorCode, message: string, options: {status?: number; headers?: Record<string, string>; cause?: unknown} = {}) {
		super(message, {cause: options.cause});
		this.code = code;
		this.status = options.status ?? httpStatusByCode[code];
		this.headers = options.headers ?? {};
	}

	toInfo(): RelayErrorInfo {
		return {code: this.code, message: this.message};
	}

	toBody(): RelayErrorBody {
		return {error: this.toInfo()};
	}
}

/** The fields of imapflow, nodemailer and Node errors that we read. */
type UpstreamErrorLike = {
	code?: unknown;
	originalCode?: unknown;
	message?: unknown;
	authenticationFailed?: unknown;
	tlsFailed?: unknown;
	responseText?: unknown;
	response?: unknown;
	serverResponseCode?: unknown;
	cause?: unknown;
	_err?: unknown;
};

// Node's network errors that mean "could not get there".
const unreachableCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ETIMEDOUT',
	'EPIPE',
	// Imapflow
	'CONNECT_TIMEOUT',
	'GREETING_TIMEOUT',
	'NoConnection',
	'EConnectionClosed',
	'ClosedAfterConnectText',
	// Nodemailer
	'EDNS',
	'ECONNECTION',
]);

// A plaintext server answering a TLS hello, or a certificate we will not trust.
const tlsCodePattern = /^(?:ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ETLS$|EREQUIRETLS$|UPGRADE_TIMEOUT$|ClosedAfterConnectTLS$)/;

function fields(error: unknown): UpstreamErrorLike {
	return typeof error === 'object' && error !== null ? error as UpstreamErrorLike : {};
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Every code on the error and what it wraps (nodemailer keeps Node's as originalCode, imapflow as _err). */
function codesOf(error: unknown, depth = 0): string[] {
	if (depth > 3) {
		return [];
	}

	const {code, originalCode, cause, _err: inner} = fields(error);
	return [
		...[code, originalCode].filter((value): value is string => typeof value === 'string'),
		...(cause === undefined ? [] : codesOf(cause, depth + 1)),
		...(inner === undefined ? [] : codesOf(inner, depth + 1)),
	];
}

/** The mail server's own words, when the error carries them. */
function serverWords(error: unknown): string | undefined {
	const {responseText, response, message} = fields(error);
	return text(responseText) ?? text(response) ?? text(message);
}

/**
 * Turns whatever a mail library threw into a RelayError with a code the user can act on.
 * @param error what imapflow, nodemailer or Node threw
 * @param server 'IMAP' or 'SMTP', named in the message
 */
export function toRelayError(error: unknown, server: 'IMAP' | 'SMTP'): RelayError {
	if (error instanceof RelayError) {
		return error;
	}

	const {authenticationFailed, tlsFailed} = fields(error);
	const codes = codesOf(error);
	const words = serverWords(error) ?? 'unknown error';
	if (authenticationFailed === true || codes.includes('EAUTH') || codes.includes('ENOAUTH')) {
		return new RelayError('MAILBOX_AUTH_FAILED', `${server} login failed: wrong user name or password (${words})`, {cause: error});
	}

	if (tlsFailed === true || codes.some(code => tlsCodePattern.test(code)) || /\b(?:ssl|tls|certificate)\b/i.test(words)) {
		return new RelayError('TLS_FAILED', `${server} TLS failed: ${words}. Check the port and the "secure" setting.`, {cause: error});
	}

	if (codes.some(code => unreachableCodes.has(code))) {
		return new RelayError('UNREACHABLE', `${server} server unreachable: ${words}`, {cause: error});
	}

	return new RelayError('UPSTREAM', `${server} server: ${words}`, {cause: error});
}
