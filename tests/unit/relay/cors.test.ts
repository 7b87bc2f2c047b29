import {describe, expect, test} from 'vitest';
import {corsHeaders, isAllowedOrigin} from '../../../relay/cors.ts';

const chromeOrigin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const firefoxOrigin = 'moz-extension://0b2f4b4e-5d4c-4f8e-9a51-3b0f3c1d2e7a';

describe('isAllowedOrigin', () => {
	test.each([
		[chromeOrigin, [], true],
		[firefoxOrigin, [], true],
		['https://evil.example', [], false],
		['https://purelymail.com', [], false],
		['https://purelymail.com', ['https://purelymail.com'], true],
		['https://purelymail.com.evil.example', ['https://purelymail.com'], false],
		// Not a real extension id: wrong letters, wrong length, a path.
		['chrome-extension://ABCDEFGHIJKLMNOPabcdefghijklmnoz', [], false],
		['chrome-extension://abc', [], false],
		[`${chromeOrigin}/x`, [], false],
		['moz-extension://not-a-uuid', [], false],
		['null', [], false],
	])('%s with %j → %s', (origin, allowed, expected) => {
		expect(isAllowedOrigin(origin, allowed)).toBe(expected);
	});
});

describe('corsHeaders', () => {
	test('grants an extension origin, with methods and headers on preflight', () => {
		expect(corsHeaders(chromeOrigin, [], true)).toEqual({
			vary: 'Origin',
			'access-control-allow-origin': chromeOrigin,
			'access-control-allow-methods': 'GET, POST, OPTIONS',
			'access-control-allow-headers': 'authorization, content-type',
			'access-control-max-age': '600',
			'access-control-allow-private-network': 'true',
		});
		expect(corsHeaders(firefoxOrigin, [], false)).toEqual({vary: 'Origin', 'access-control-allow-origin': firefoxOrigin});
	});

	test.each([
		['https://evil.example'],
		[undefined],
	])('grants nothing to %s', origin => {
		expect(corsHeaders(origin, [], true)).toEqual({vary: 'Origin'});
	});
});
