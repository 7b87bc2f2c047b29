/** Issue 11, item 7: one union of codes; every code has a sentence and an action, and every lower-layer code maps to one. */
import {describe, expect, test} from 'vitest';
import {CaldavError, type CaldavErrorCode} from '../../../lib/caldav/index.ts';
import {RelayClientError, type RelayClientErrorCode} from '../../../lib/relay-client/index.ts';
import {relayErrorCodes} from '../../../lib/relay-client/types.ts';
import {relayUserError, toUserFacingError, userError, userErrorCodes} from '../../../lib/user-errors.ts';

const context = {relayUrl: 'http://127.0.0.1:8787'};

describe('every code a person can see', () => {
	test.each(userErrorCodes)('%s has a sentence and an action, with or without the failure\'s own words', code => {
		for (const detail of [undefined, 'the server said no']) {
			const error = userError(code, detail, context);
			expect(error.code).toBe(code);
			expect(error.message.trim()).toMatch(/\S{2,}.*\S/);
			expect(error.action?.trim()).toMatch(/^[A-Z"].*[.)]$/);
			expect(error.action).not.toBe(error.message);
		}
	});

	test('there are as many codes as the sentences table names, each once', () => {
		expect(new Set(userErrorCodes).size).toBe(userErrorCodes.length);
		expect(userErrorCodes.length).toBeGreaterThan(10);
	});
});

describe('the mappers take a code', () => {
	const relayClientCodes: RelayClientErrorCode[] = [...relayErrorCodes, 'RELAY_UNREACHABLE', 'RELAY_NOT_STARTED', 'BAD_RESPONSE'];
	test.each(relayClientCodes)('relay %s: a known code, the same thrown or reported by verify', code => {
		const reported = relayUserError(code, 'details', context);
		expect(userErrorCodes).toContain(reported.code);
		expect(toUserFacingError(new RelayClientError(code, 'details', 0), context)).toEqual(reported);
	});

	const caldavCodes: CaldavErrorCode[] = ['ERR_CALDAV_AUTH_FAILED', 'ERR_CALDAV_NOT_FOUND', 'ERR_CALDAV_CONFLICT', 'ERR_CALDAV_UID_CONFLICT', 'ERR_CALDAV_UNAVAILABLE', 'ERR_CALDAV_REJECTED', 'ERR_CALDAV_BAD_RESPONSE'];
	test.each(caldavCodes)('CalDAV %s: a known code', code => {
		const error = toUserFacingError(new CaldavError(code, '500 Internal Server Error', {method: 'PUT', url: 'https://purelymail.com/webdav/x', status: 500}), context);
		expect(userErrorCodes).toContain(error.code);
		expect(error.action).toBeTruthy();
	});
});
