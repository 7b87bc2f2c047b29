/** withBackoff under fake timers: what it retries, how long it waits, when it stops. */
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {CaldavAuthFailed, CaldavConflict, CaldavUnavailable} from '../../../lib/caldav/errors.ts';
import {withBackoff} from '../../../lib/caldav/retry.ts';

const context = {method: 'PROPFIND', url: 'https://purelymail.com/webdav/', status: 500};

function unavailable(): CaldavUnavailable {
	return new CaldavUnavailable('busy', context);
}

/** A function failing `failures` times with CaldavUnavailable, then answering 'ok'; records when it was called. */
function flaky(failures: number): {fn: (attempt: number) => Promise<string>; calledAt: number[]; attempts: number[]} {
	const calledAt: number[] = [];
	const attempts: number[] = [];
	return {
		calledAt,
		attempts,
		async fn(attempt) {
			calledAt.push(Date.now());
			attempts.push(attempt);
			if (attempts.length <= failures) {
				throw unavailable();
			}

			return 'ok';
		},
	};
}

describe('withBackoff', () => {
	beforeEach(() => {
		vi.useFakeTimers({now: 0});
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	test('a first success costs one call and no wait', async () => {
		const {fn, calledAt} = flaky(0);
		await expect(withBackoff(fn)).resolves.toBe('ok');
		expect(calledAt).toEqual([0]);
	});

	test('retries CaldavUnavailable after 500, 1000 and 2000 ms by default', async () => {
		const {fn, calledAt, attempts} = flaky(3);
		const result = withBackoff(fn);
		await vi.runAllTimersAsync();
		await expect(result).resolves.toBe('ok');
		expect(attempts).toEqual([1, 2, 3, 4]);
		expect(calledAt).toEqual([0, 500, 1500, 3500]);
	});

	test('gives up after `attempts` calls with the last error', async () => {
		const {fn, attempts} = flaky(10);
		const result = withBackoff(fn, {attempts: 3, baseMs: 100}).catch((error: unknown) => error);
		await vi.runAllTimersAsync();
		expect(await result).toBeInstanceOf(CaldavUnavailable);
		expect(attempts).toEqual([1, 2, 3]);
	});

	test('no wait is longer than maxMs', async () => {
		const {fn, calledAt} = flaky(4);
		const result = withBackoff(fn, {attempts: 5, baseMs: 1000, maxMs: 1500});
		await vi.runAllTimersAsync();
		await result;
		expect(calledAt).toEqual([0, 1000, 2500, 4000, 5500]);
	});

	test.each([
		['CaldavConflict', new CaldavConflict('changed', {...context, status: 412})],
		['CaldavAuthFailed', new CaldavAuthFailed('wrong password', {...context, status: 401})],
		['a TypeError (a bug, not the server)', new TypeError('x is undefined')],
	])('does not retry %s', async (_name, error) => {
		const fn = vi.fn(async () => {
			throw error;
		});
		await expect(withBackoff(fn)).rejects.toBe(error);
		expect(fn).toHaveBeenCalledTimes(1);
	});

	test('an abort during the wait rejects at once with the reason, and calls no more', async () => {
		const {fn, attempts} = flaky(10);
		const controller = new AbortController();
		const result = withBackoff(fn, {signal: controller.signal, baseMs: 10_000}).catch((error: unknown) => error);
		await vi.advanceTimersByTimeAsync(100);
		const reason = new Error('worker stopping');
		controller.abort(reason);
		expect(await result).toBe(reason);
		expect(attempts).toEqual([1]);
		expect(Date.now()).toBe(100);
	});

	test('an already aborted signal calls nothing', async () => {
		const fn = vi.fn(async () => 'ok');
		const reason = new Error('aborted before');
		await expect(withBackoff(fn, {signal: AbortSignal.abort(reason)})).rejects.toBe(reason);
		expect(fn).not.toHaveBeenCalled();
	});

	test.each([
		[{attempts: 0}], [{attempts: 1.5}], [{baseMs: -1}], [{maxMs: Number.NaN}],
	])('refuses %j', async options => {
		await expect(withBackoff(async () => 'ok', options)).rejects.toThrow(TypeError);
	});
});
