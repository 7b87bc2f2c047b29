/**
 * The transport under every request: one `Connection` per account carries the Authorization header and a fetch;
 * `send` runs one request (through a tsdav helper or plain fetch) with the caller's signal and a timeout, and turns
 * "no answer" into `CaldavUnavailable` while letting an abort through untouched.
 */
import {basicAuthorization} from './auth.ts';
import {CaldavError, CaldavUnavailable} from './errors.ts';
import type {CallOptions, CaldavClientOptions} from './types.ts';

export type Connection = {
	authorization: string;
	fetch: typeof fetch;
	timeoutMs: number;
};

const defaultTimeoutMs = 30_000;

/**
 * Validates the options once and keeps what every request needs.
 * @throws {TypeError} on a bad username, password, fetch or timeout
 */
export function openConnection(options: CaldavClientOptions): Connection {
	if (typeof options !== 'object' || options === null) {
		throw new TypeError('options must be an object with username and password');
	}

	const {timeoutMs = defaultTimeoutMs} = options;
	if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
		throw new TypeError('timeoutMs must be a positive number of milliseconds');
	}

	if (options.fetch !== undefined && typeof options.fetch !== 'function') {
		throw new TypeError('fetch must be a function');
	}

	return {
		authorization: basicAuthorization(options.username, options.password),
		// Resolved per call, so a test (or the service worker) can replace the global after the client is made.
		fetch: options.fetch ?? (async (input, init) => globalThis.fetch(input, init)),
		timeoutMs,
	};
}

/**
 * An absolute http(s) URL, for arguments that name a server resource.
 * @throws {TypeError} otherwise
 */
export function absoluteUrl(value: unknown, what: string): URL {
	const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
		throw new TypeError(`${what} must be an absolute http(s) URL`);
	}

	return url;
}

/** What the request saw: the last answer's status and headers (its body may already be read). */
export type Sent<T> = {value: T; response: Response};

/**
 * Runs one request. `run` gets a fetch that adds our Authorization header, the combined abort signal (caller's and
 * timeout) and no caching; pass it to tsdav (its helpers accept `fetch`) or call it. Reading the body inside `run`
 * keeps that under the same timeout and error mapping.
 * @throws the signal's reason when the caller aborted; CaldavUnavailable when no answer came (network, timeout)
 */
export async function send<T>(
	connection: Connection,
	target: {method: string; url: string},
	call: CallOptions,
	run: (fetchWithAuth: typeof fetch) => Promise<T>,
): Promise<Sent<T>> {
	const timeout = AbortSignal.timeout(connection.timeoutMs);
	const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
	const seen: {response?: Response} = {};
	const fetchWithAuth: typeof fetch = async (input, init) => {
		const headers = new Headers(init?.headers);
		headers.set('Authorization', connection.authorization);
		const response = await connection.fetch(input, {
			...init,
			headers,
			signal,
			// A cached GET would hand back a stale ETag, and every If-Match after it would fail.
			cache: 'no-store',
			// Our own Authorization only: no cookies from a webmail session, no browser-cached credentials.
			credentials: 'omit',
		});
		seen.response = response;
		return response;
	};

	let value: T;
	try {
		value = await run(fetchWithAuth);
	} catch (error) {
		if (call.signal?.aborted) {
			throw call.signal.reason;
		}

		if (error instanceof CaldavError) {
			throw error;
		}

		const reason = timeout.aborted ? `no answer within ${connection.timeoutMs} ms` : `network failure (${error instanceof Error ? error.message : String(error)})`;
		throw new CaldavUnavailable(`${target.method} ${target.url}: ${reason}`, {...target, status: 0, cause: error});
	}

	if (!seen.response) {
		throw new TypeError(`${target.method} ${target.url}: the request never went out`);
	}

	return {value, response: seen.response};
}
