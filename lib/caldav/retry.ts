/**
 * Retrying what failed for want of an answer (5xx, network, timeout) within one call, with exponential backoff.
 * Purelymail answers PROPFIND with 500 under load now and then; a second try a moment later usually works. When
 * every try fails, the last `CaldavUnavailable` is thrown and the reply loop leaves the work for its next tick.
 */
import {isRetryable} from './errors.ts';
import type {BackoffOptions} from './types.ts';

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
	signal?.throwIfAborted();
	return new Promise((resolve, reject) => {
		const onAbort = (): void => {
			clearTimeout(timer);
			reject(signal!.reason);
		};

		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, {once: true});
	});
}

function positive(value: number, name: string, {integer = false} = {}): number {
	if (!Number.isFinite(value) || value < (integer ? 1 : 0) || (integer && !Number.isInteger(value))) {
		throw new TypeError(`${name} must be ${integer ? 'a whole number of at least 1' : 'a number of at least 0'}`);
	}

	return value;
}

/**
 * Calls `fn` until it succeeds, retrying only `CaldavUnavailable` (see `isRetryable`): waits `baseMs`, then twice
 * that, and so on (at most `maxMs` each), for at most `attempts` calls in all. Any other error is thrown at once.
 * Wrap whole operations whose retry is safe: reads, `discoverCalendars`, `updateWithRetry` (it reads before it
 * decides, so a write whose answer was lost is seen, not repeated).
 * @param fn Receives the attempt number, 1 for the first call.
 * @throws the last `CaldavUnavailable` when all attempts fail; the signal's reason when aborted;
 * {TypeError} on bad options
 * @example
 * const discovery = await withBackoff(async () => discoverCalendars(account), {signal});
 */
export async function withBackoff<T>(fn: (attempt: number) => Promise<T>, options: BackoffOptions = {}): Promise<T> {
	const attempts = positive(options.attempts ?? 4, 'attempts', {integer: true});
	const baseMs = positive(options.baseMs ?? 500, 'baseMs');
	const maxMs = positive(options.maxMs ?? 8000, 'maxMs');
	const {signal} = options;
	for (let attempt = 1; ; attempt++) {
		signal?.throwIfAborted();
		try {
			return await fn(attempt);
		} catch (error) {
			if (!isRetryable(error) || attempt >= attempts || signal?.aborted) {
				throw error;
			}

			await sleep(Math.min(maxMs, baseMs * (2 ** (attempt - 1))), signal);
		}
	}
}
