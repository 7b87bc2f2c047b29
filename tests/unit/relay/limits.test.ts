import {Readable} from 'node:stream';
import type {IncomingMessage} from 'node:http';
import {describe, expect, test} from 'vitest';
import {RelayError} from '../../../relay/errors.ts';
import {RateLimiter, readBody} from '../../../relay/limits.ts';

function fakeRequest(chunks: string[], headers: Record<string, string> = {}): IncomingMessage {
	return Object.assign(Readable.from(chunks.map(chunk => Buffer.from(chunk))), {headers}) as unknown as IncomingMessage;
}

describe('RateLimiter', () => {
	test('allows perMinute at once, then refills evenly', () => {
		let now = 0;
		const limiter = new RateLimiter(60, () => now);
		for (let index = 0; index < 60; index++) {
			expect(limiter.take('a')).toBe(0);
		}

		expect(limiter.take('a')).toBe(1);
		// Another token has its own bucket.
		expect(limiter.take('b')).toBe(0);
		now += 1000;
		expect(limiter.take('a')).toBe(0);
		expect(limiter.take('a')).toBeGreaterThan(0);
	});

	test('check throws RATE_LIMITED with Retry-After', () => {
		const limiter = new RateLimiter(1, () => 0);
		limiter.check('a');
		const error = (() => {
			try {
				limiter.check('a');
			} catch (error_) {
				return error_;
			}

			return undefined;
		})();
		expect(error).toBeInstanceOf(RelayError);
		expect(error).toMatchObject({code: 'RATE_LIMITED', status: 429, headers: {'retry-after': '60'}});
	});
});

describe('readBody', () => {
	test('reads a body within the limit', async () => {
		expect((await readBody(fakeRequest(['ab', 'cd']), 4)).toString()).toBe('abcd');
	});

	test.each([
		['a declared Content-Length over the limit', fakeRequest(['a'], {'content-length': '5'})],
		['a streamed body that grows past it', fakeRequest(['ab', 'cd', 'e'])],
	])('refuses %s with TOO_LARGE', async (_name, request) => {
		await expect(readBody(request, 4)).rejects.toMatchObject({code: 'TOO_LARGE', status: 413});
	});
});
