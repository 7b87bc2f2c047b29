/**
 * Named errors of lib/caldav. Every failed request rejects with a `CaldavError` subclass whose string `code` says
 * what to do next: `ERR_CALDAV_UNAVAILABLE` is the only retryable one (`withBackoff` retries it, the reply loop
 * leaves the work for the next tick); `ERR_CALDAV_CONFLICT` means "read again and re-decide" (`updateWithRetry`
 * does that). Caller mistakes throw `TypeError`s (`CaldavInvalidObject` for an unacceptable iCalendar body) before
 * any request is made.
 */

export type CaldavErrorCode =
	| 'ERR_CALDAV_AUTH_FAILED'
	| 'ERR_CALDAV_NOT_FOUND'
	| 'ERR_CALDAV_CONFLICT'
	| 'ERR_CALDAV_UID_CONFLICT'
	| 'ERR_CALDAV_UNAVAILABLE'
	| 'ERR_CALDAV_REJECTED'
	| 'ERR_CALDAV_BAD_RESPONSE';

/** Which request failed, and how. */
export type CaldavErrorContext = {
	/** HTTP method, e.g. `PUT`. */
	method: string;
	/** Absolute URL of the request. */
	url: string;
	/** HTTP status of the answer; 0 when there was none (network failure, timeout). */
	status: number;
	cause?: unknown;
};

/** Base class: a CalDAV request failed. Use the subclasses or `code` to tell the cases apart. */
export class CaldavError extends Error {
	override readonly name: string = 'CaldavError';
	readonly code: CaldavErrorCode;
	readonly method: string;
	readonly url: string;
	readonly status: number;

	constructor(code: CaldavErrorCode, message: string, context: CaldavErrorContext) {
		super(message, {cause: context.cause});
		this.code = code;
		this.method = context.method;
		this.url = context.url;
		this.status = context.status;
	}

	/** True only for `ERR_CALDAV_UNAVAILABLE`: trying again later may work. */
	get retryable(): boolean {
		return this.code === 'ERR_CALDAV_UNAVAILABLE';
	}
}

/** 401 or 403: wrong username or password, or no access to that resource. */
export class CaldavAuthFailed extends CaldavError {
	override readonly name = 'CaldavAuthFailed';

	constructor(message: string, context: CaldavErrorContext) {
		super('ERR_CALDAV_AUTH_FAILED', message, context);
	}
}

/** 404 or 410: the resource (an event's href, a calendar, a principal) is not there. */
export class CaldavNotFound extends CaldavError {
	override readonly name = 'CaldavNotFound';

	constructor(message: string, context: CaldavErrorContext) {
		super('ERR_CALDAV_NOT_FOUND', message, context);
	}
}

/**
 * 412 Precondition Failed (RFC 7232 §4.2): `If-None-Match: *` found an existing resource, or `If-Match` found a
 * different ETag because someone else wrote the event since we read it. Also what `updateWithRetry` throws when
 * the event kept changing for all its attempts (then `attempts` is set).
 */
export class CaldavConflict extends CaldavError {
	override readonly name = 'CaldavConflict';
	/** How many read-decide-write rounds `updateWithRetry` made before giving up; undefined for a single request. */
	readonly attempts: number | undefined;

	constructor(message: string, context: CaldavErrorContext & {attempts?: number}) {
		super('ERR_CALDAV_CONFLICT', message, context);
		this.attempts = context.attempts;
	}
}

/**
 * The calendar already holds an event with this UID under another href: the `no-uid-conflict` precondition of
 * RFC 4791 §5.3.2.1, which Radicale answers with 409 and others with 403.
 */
export class CaldavUidConflict extends CaldavError {
	override readonly name = 'CaldavUidConflict';
	/** Absolute URL of the event that holds the UID, when the server said (RFC 4791 §5.3.2.1 asks it to). */
	readonly existingHref: string | undefined;

	constructor(message: string, context: CaldavErrorContext & {existingHref?: string | undefined}) {
		super('ERR_CALDAV_UID_CONFLICT', message, context);
		this.existingHref = context.existingHref;
	}
}

/**
 * 5xx, 408, 425 or 429, a network failure or a request timeout: the server could not answer now. Retryable.
 * Purelymail answers PROPFIND with 500 under load now and then. After a write, the change may or may not have been
 * stored: read before deciding again (`updateWithRetry` does).
 */
export class CaldavUnavailable extends CaldavError {
	override readonly name = 'CaldavUnavailable';

	constructor(message: string, context: CaldavErrorContext) {
		super('ERR_CALDAV_UNAVAILABLE', message, context);
	}
}

/** Any other 4xx: the server refused the request (e.g. 400, 413, 415). Retrying the same request will not help. */
export class CaldavRejected extends CaldavError {
	override readonly name = 'CaldavRejected';

	constructor(message: string, context: CaldavErrorContext) {
		super('ERR_CALDAV_REJECTED', message, context);
	}
}

/** The server answered, but not with what CalDAV promises (no principal, no ETag, not iCalendar…). */
export class CaldavBadResponse extends CaldavError {
	override readonly name = 'CaldavBadResponse';

	constructor(message: string, context: CaldavErrorContext) {
		super('ERR_CALDAV_BAD_RESPONSE', message, context);
	}
}

/**
 * An iCalendar body that must not be stored: a top-level METHOD property (RFC 4791 §4.1 forbids it in a calendar
 * object resource, and Purelymail rejects the PUT), no VCALENDAR, or a UID other than the one named.
 * Thrown before any request is made.
 */
export class CaldavInvalidObject extends TypeError {
	override readonly name = 'CaldavInvalidObject';
	readonly code = 'ERR_CALDAV_INVALID_OBJECT';
}

/** True when `error` is worth retrying later: a `CaldavUnavailable`. */
export function isRetryable(error: unknown): error is CaldavUnavailable {
	return error instanceof CaldavUnavailable;
}

const uidConflictPattern = /<(?:[\w-]+:)?no-uid-conflict\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:[\w-]+:)?no-uid-conflict>)/;
const hrefPattern = /<(?:[\w-]+:)?href\b[^>]*>([^<]*)<\//;

/** The `no-uid-conflict` precondition in a DAV:error body (RFC 4791 §5.3.2.1), with the href it names if any. */
function uidConflictIn(body: string): {existingHref?: string} | undefined {
	const match = uidConflictPattern.exec(body);
	if (!match) {
		return undefined;
	}

	const href = match[1] === undefined ? undefined : hrefPattern.exec(match[1])?.[1]?.trim();
	return href ? {existingHref: href} : {};
}

/**
 * The error for an answer that is not a success.
 * @param body The answer's text when it was read (for the DAV:error precondition of a 403 or 409).
 */
export function errorForStatus(context: CaldavErrorContext, body = ''): CaldavError {
	const {status, method, url} = context;
	const what = `${method} ${url} answered ${status}`;
	const uidConflict = status === 403 || status === 409 ? uidConflictIn(body) : undefined;
	if (uidConflict) {
		const existingHref = uidConflict.existingHref === undefined ? undefined : new URL(uidConflict.existingHref, url).href;
		return new CaldavUidConflict(`${what}: the calendar already holds an event with this UID`, {...context, existingHref});
	}

	if (status === 401 || status === 403) {
		return new CaldavAuthFailed(`${what}: wrong username or password, or no access`, context);
	}

	if (status === 404 || status === 410) {
		return new CaldavNotFound(`${what}: not found`, context);
	}

	if (status === 412) {
		return new CaldavConflict(`${what}: changed by someone else (precondition failed)`, context);
	}

	if (status >= 500 || status === 408 || status === 425 || status === 429) {
		return new CaldavUnavailable(`${what}: try again later`, context);
	}

	if (status >= 400) {
		return new CaldavRejected(`${what}: refused`, context);
	}

	return new CaldavBadResponse(`${what}: not the answer CalDAV promises`, context);
}
