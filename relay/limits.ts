/**
 * Request limits: body size, recipients per message and requests per minute per token.
 * Each bounds what one token holder (or a leaked token) can make the relay do.
 */
import type {IncomingMessage} from 'node:http';
import {RelayError} from './errors.ts';

/** 25 MB: Purelymail's own message size limit, plus room for JSON escaping. Guards memory. */
export const defaultMaxBodyBytes = 25 * 1024 * 1024;

/** Recipients per send. A meeting larger than this is rare; a spam run is not. */
export const defaultMaxRecipients = 100;

/** Requests per minute per token. A poll every 30 s plus sends and checks fit well under it. */
export const defaultRequestsPerMinute = 120;

/**
 * A token bucket per key: `perMinute` requests at once, refilled evenly over the minute.
 * Keys are token digests, never the tokens themselves.
 */
export class RateLimiter {
	readonly #perMinute: number;
	readonly #now: () => number;
	readonly #buckets = new Map<string, {tokens: number; at: number}>();

	/**
	 * @param perMinute requests allowed per minute per key
	 * @param now clock in milliseconds, for tests
	 */
	constructor(perMinute: number, now: () => number = Date.now) {
		this.#perMinute = perMinute;
		this.#now = now;
	}

	/**
	 * Takes one request from the key's bucket.
	 * @returns 0 when allowed, else the seconds until one more request would be
	 */
	take(key: string): number {
		const now = this.#now();
		const refillPerMs = this.#perMinute / 60_000;
		const bucket = this.#buckets.get(key) ?? {tokens: this.#perMinute, at: now};
		bucket.tokens = Math.min(this.#perMinute, bucket.tokens + ((now - bucket.at) * refillPerMs));
		bucket.at = now;
		this.#buckets.set(key, bucket);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return 0;
		}

		return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
	}

	/** Seconds until the key's bucket has a request again, without taking one; 0 when it has one now. */
	waitFor(key: string): number {
		const bucket = this.#buckets.get(key);
		if (!bucket) {
			return 0;
		}

		const refillPerMs = this.#perMinute / 60_000;
		const tokens = Math.min(this.#perMinute, bucket.tokens + ((this.#now() - bucket.at) * refillPerMs));
		return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / refillPerMs / 1000));
	}

	/**
	 * Takes one request or throws RATE_LIMITED.
	 * @throws {RelayError} RATE_LIMITED with a Retry-After header
	 */
	check(key: string): void {
		const retryAfter = this.take(key);
		if (retryAfter > 0) {
			throw new RelayError('RATE_LIMITED', `More than ${this.#perMinute} requests a minute; retry in ${retryAfter} s`, {
				headers: {'retry-after': String(retryAfter)},
			});
		}
	}
}

/**
 * Reads a request body into memory, refusing it as soon as it passes `maxBytes`
 * (at once when Content-Length already says so, so an oversized upload is not read at all).
 * @throws {RelayError} TOO_LARGE
 */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
	const tooLarge = (): RelayError => new RelayError('TOO_LARGE', `Request body is larger than ${maxBytes} bytes`);
	const declared = Number(request.headers['content-length']);
	if (Number.isFinite(declared) && declared > maxBytes) {
		throw tooLarge();
	}

	// Listeners rather than `for await`: leaving a `for await` early destroys the request, and with it the
	// connection the 413 must still go out on (discardRest reads the rest).
	return new Promise<Buffer>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const stop = (): void => {
			request.off('data', onData);
			request.off('end', onEnd);
			request.off('error', onError);
			request.pause();
		};

		const onData = (chunk: Buffer): void => {
			size += chunk.length;
			if (size > maxBytes) {
				stop();
				reject(tooLarge());
				return;
			}

			chunks.push(chunk);
		};

		const onEnd = (): void => {
			stop();
			resolve(Buffer.concat(chunks));
		};

		const onError = (error: Error): void => {
			stop();
			reject(error);
		};

		request.on('data', onData);
		request.once('end', onEnd);
		request.once('error', onError);
	});
}

/**
 * Reads and drops what is left of a refused upload, up to `maxBytes`, so that the answer reaches a client that is
 * still sending: closing the connection under an upload resets it, and the client (fetch, a browser) then reports
 * a network error instead of the 413 (seen under load). A client that sends more than `maxBytes` is cut off.
 */
export async function discardRest(request: IncomingMessage, maxBytes: number): Promise<void> {
	if (request.complete || request.destroyed) {
		return;
	}

	await new Promise<void>(resolve => {
		let size = 0;
		const done = (): void => {
			request.off('data', onData);
			resolve();
		};

		const onData = (chunk: Buffer): void => {
			size += chunk.length;
			if (size > maxBytes) {
				request.destroy();
				done();
			}
		};

		request.on('data', onData);
		request.once('end', done);
		request.once('close', done);
		request.resume();
	});
}
