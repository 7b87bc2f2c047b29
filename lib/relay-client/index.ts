/**
 * Typed client for the companion relay's API (relay/README.md). Uses `fetch` only, so the same code runs in the
 * extension's background and in Node tests. Every method rejects with RelayClientError, whose `code` is one of
 * the relay's stable codes or, when the relay itself could not be asked, RELAY_UNREACHABLE / BAD_RESPONSE.
 */
import {newNonce, proofMatches} from './challenge.ts';
import {relayUrlProblem} from './relay-url.ts';
import {relayApiPrefix, relayErrorCodes} from './types.ts';
import type {
	ChallengeRequest, HealthResponse, MoveRequest, MoveResponse, RelayAccount, RelayErrorCode, RepliesRequest, RepliesResponse, SendRequest, SendResponse, VerifyResponse,
} from './types.ts';

export type * from './types.ts';

/**
 * Codes only the client produces: the relay could not be reached, or answered something that is not our API;
 * RELAY_NOT_STARTED: the browser could not start the native relay at all (not installed, or not allowed), so
 * the request certainly went nowhere; RELAY_NOT_VERIFIED: what answers at the address could not prove it holds the
 * token (./challenge.ts), so it was sent neither token nor account; INSECURE_RELAY_URL: plain http:// to a host that
 * is not literal loopback (./relay-url.ts), so nothing was sent.
 */
export type RelayClientErrorCode = RelayErrorCode | 'RELAY_UNREACHABLE' | 'RELAY_NOT_STARTED' | 'RELAY_NOT_VERIFIED' | 'INSECURE_RELAY_URL' | 'BAD_RESPONSE';

export class RelayClientError extends Error {
	override name = 'RelayClientError';
	readonly code: RelayClientErrorCode;
	/** HTTP status, 0 when there was no response. */
	readonly status: number;

	constructor(code: RelayClientErrorCode, message: string, status: number, options: {cause?: unknown} = {}) {
		super(message, options);
		this.code = code;
		this.status = status;
	}
}

export type RelayClientOptions = {
	/** The relay's base URL, e.g. http://127.0.0.1:8787 (a trailing slash is fine). */
	url: string;
	/** The token the relay printed at start-up. */
	token: string;
	/** Defaults to the global fetch; tests pass a fake. */
	fetch?: typeof fetch;
	/** Give up on a request after this many ms. Default 60 000 (a send with a large message takes a while). */
	timeoutMs?: number;
};

/** Per-call options. */
export type CallOptions = {signal?: AbortSignal | undefined};

export type RelayClient = {
	/** `GET /v1/health` (no token sent). Every other call first has the relay answer a challenge (`POST /v1/challenge`). */
	health(call?: CallOptions): Promise<HealthResponse>;
	/** `POST /v1/verify`: IMAP and SMTP login checked separately; failures are in the result, not thrown. */
	verify(account: RelayAccount, call?: CallOptions): Promise<VerifyResponse>;
	/** `POST /v1/send`. */
	send(request: SendRequest, call?: CallOptions): Promise<SendResponse>;
	/** `POST /v1/replies`: pass the returned cursor into the next call. */
	replies(request: RepliesRequest, call?: CallOptions): Promise<RepliesResponse>;
	/** `POST /v1/move`: file processed messages into another folder (issue 14). */
	move(request: MoveRequest, call?: CallOptions): Promise<MoveResponse>;
};

function isErrorCode(value: unknown): value is RelayErrorCode {
	return typeof value === 'string' && (relayErrorCodes as readonly string[]).includes(value);
}

/** The `{error: {code, message}}` of a failed answer, or undefined when it has none. */
function errorOf(body: unknown): {code: RelayErrorCode; message: string} | undefined {
	if (typeof body !== 'object' || body === null || !('error' in body)) {
		return undefined;
	}

	const {error} = body as {error: unknown};
	if (typeof error !== 'object' || error === null) {
		return undefined;
	}

	const {code, message} = error as {code?: unknown; message?: unknown};
	return isErrorCode(code) ? {code, message: typeof message === 'string' ? message : code} : undefined;
}

/**
 * Creates a client bound to one relay and token.
 * @throws {TypeError} when the URL or token is missing
 * @example
 * const relay = createRelayClient({url: 'http://127.0.0.1:8787', token});
 * const {messages, cursor} = await relay.replies({account, cursor: saved});
 */
export function createRelayClient(options: RelayClientOptions): RelayClient {
	if (!options.url || !options.token) {
		throw new TypeError('createRelayClient needs url and token');
	}

	const base = options.url.replace(/\/+$/, '');
	const timeoutMs = options.timeoutMs ?? 60_000;
	const urlProblem = relayUrlProblem(options.url);

	/** One HTTP exchange; `credential`: whether it carries the token (only after the relay proved it holds it). */
	async function call<T>(method: 'GET' | 'POST', path: string, body: unknown, callOptions: CallOptions, credential: boolean): Promise<T> {
		if (urlProblem) {
			throw new RelayClientError('INSECURE_RELAY_URL', urlProblem, 0);
		}

		const fetchFunction = options.fetch ?? globalThis.fetch;
		const signals = [AbortSignal.timeout(timeoutMs), ...(callOptions.signal ? [callOptions.signal] : [])];
		const headers: Record<string, string> = {accept: 'application/json'};
		if (credential) {
			headers.authorization = `Bearer ${options.token}`;
		}

		if (body !== undefined) {
			headers['content-type'] = 'application/json';
		}

		let response: Response;
		try {
			response = await fetchFunction(`${base}${relayApiPrefix}${path}`, {
				method,
				headers,
				body: body === undefined ? null : JSON.stringify(body),
				signal: AbortSignal.any(signals),
			});
		} catch (error) {
			if (callOptions.signal?.aborted) {
				throw error;
			}

			throw new RelayClientError('RELAY_UNREACHABLE', `The relay at ${base} did not answer: ${error instanceof Error ? error.message : String(error)}`, 0, {cause: error});
		}

		let parsed: unknown;
		try {
			parsed = await response.json();
		} catch (error) {
			throw new RelayClientError('BAD_RESPONSE', `The relay answered HTTP ${response.status} without JSON; is ${base} the relay?`, response.status, {cause: error});
		}

		if (!response.ok) {
			const error = errorOf(parsed);
			throw error
				? new RelayClientError(error.code, error.message, response.status)
				: new RelayClientError('BAD_RESPONSE', `The relay answered HTTP ${response.status} without an error code`, response.status);
		}

		return parsed as T;
	}

	/**
	 * Before each call that carries the token (and an account), the relay proves it holds the token. Every call,
	 * not once per client: what listens on the address can change between two polls (the relay stopped, something
	 * else took its port). On loopback the extra round trip costs about a millisecond.
	 */
	async function challenge(callOptions: CallOptions): Promise<void> {
		const nonce = newNonce();
		let answer: unknown;
		try {
			answer = await call('POST', '/challenge', {nonce} satisfies ChallengeRequest, callOptions, false);
		} catch (error) {
			if (error instanceof RelayClientError && error.code !== 'RELAY_UNREACHABLE' && error.code !== 'INSECURE_RELAY_URL') {
				throw new RelayClientError('RELAY_NOT_VERIFIED', `What answers at ${base} did not take the relay's challenge (${error.message}); the token and password were not sent`, error.status, {cause: error});
			}

			throw error;
		}

		const proof = typeof answer === 'object' && answer !== null ? (answer as {proof?: unknown}).proof : undefined;
		if (!await proofMatches(options.token, nonce, proof)) {
			throw new RelayClientError('RELAY_NOT_VERIFIED', `What answers at ${base} could not prove it holds the relay token; the token and password were not sent`, 200);
		}
	}

	return relayClientOver(async (name, body, callOptions = {}) => {
		if (name === 'health') {
			return call('GET', '/health', body, callOptions, false);
		}

		await challenge(callOptions);
		return call('POST', `/${name}`, body, callOptions, true);
	});
}

/** One call of the API by name, over some transport (HTTP here, native messaging in ./native.ts); resolves to the parsed answer. */
export type RelayTransport = (name: 'health' | 'verify' | 'send' | 'replies' | 'move', body: unknown, call?: CallOptions) => Promise<unknown>;

/** The typed client over a transport: the request and answer types are the same whichever way the bytes go. */
export function relayClientOver(transport: RelayTransport): RelayClient {
	return {
		health: async callOptions => transport('health', undefined, callOptions) as Promise<HealthResponse>,
		verify: async (account, callOptions) => transport('verify', {account} satisfies {account: RelayAccount}, callOptions) as Promise<VerifyResponse>,
		send: async (request, callOptions) => transport('send', request satisfies SendRequest, callOptions) as Promise<SendResponse>,
		replies: async (request, callOptions) => transport('replies', request satisfies RepliesRequest, callOptions) as Promise<RepliesResponse>,
		move: async (request, callOptions) => transport('move', request satisfies MoveRequest, callOptions) as Promise<MoveResponse>,
	};
}
