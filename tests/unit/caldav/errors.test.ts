/** Which error each answer becomes: the `code` decides what the reply loop does next. */
import {describe, expect, test} from 'vitest';
import {
	CaldavAuthFailed, CaldavBadResponse, CaldavConflict, CaldavError, CaldavNotFound, CaldavRejected, CaldavUidConflict, CaldavUnavailable,
	errorForStatus, isRetryable,
} from '../../../lib/caldav/errors.ts';

const url = 'https://purelymail.com/webdav/abc/caldav/default/event.ics';
const uidConflictBody = '<?xml version="1.0"?><D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:no-uid-conflict><D:href>/webdav/abc/caldav/default/other.ics</D:href></C:no-uid-conflict></D:error>';

describe('errorForStatus', () => {
	test.each([
		[401, '', CaldavAuthFailed, 'ERR_CALDAV_AUTH_FAILED'],
		[403, 'Access to the requested resource forbidden.', CaldavAuthFailed, 'ERR_CALDAV_AUTH_FAILED'],
		[403, uidConflictBody, CaldavUidConflict, 'ERR_CALDAV_UID_CONFLICT'],
		[404, '', CaldavNotFound, 'ERR_CALDAV_NOT_FOUND'],
		[410, '', CaldavNotFound, 'ERR_CALDAV_NOT_FOUND'],
		[409, '<error xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:no-uid-conflict /></error>', CaldavUidConflict, 'ERR_CALDAV_UID_CONFLICT'],
		[409, 'Conflict', CaldavRejected, 'ERR_CALDAV_REJECTED'],
		[412, 'Precondition failed.', CaldavConflict, 'ERR_CALDAV_CONFLICT'],
		[500, '', CaldavUnavailable, 'ERR_CALDAV_UNAVAILABLE'],
		[502, '', CaldavUnavailable, 'ERR_CALDAV_UNAVAILABLE'],
		[503, '', CaldavUnavailable, 'ERR_CALDAV_UNAVAILABLE'],
		[408, '', CaldavUnavailable, 'ERR_CALDAV_UNAVAILABLE'],
		[429, '', CaldavUnavailable, 'ERR_CALDAV_UNAVAILABLE'],
		[400, '', CaldavRejected, 'ERR_CALDAV_REJECTED'],
		[413, '', CaldavRejected, 'ERR_CALDAV_REJECTED'],
		[415, '', CaldavRejected, 'ERR_CALDAV_REJECTED'],
		[200, '', CaldavBadResponse, 'ERR_CALDAV_BAD_RESPONSE'],
	])('%i %s', (status, body, type, code) => {
		const error = errorForStatus({method: 'PUT', url, status}, body);
		expect(error).toBeInstanceOf(type);
		expect(error).toBeInstanceOf(CaldavError);
		expect(error).toBeInstanceOf(Error);
		expect(error).toMatchObject({code, status, method: 'PUT', url, name: type.name});
		expect(error.message).toContain(`PUT ${url} answered ${status}`);
		expect(error.retryable).toBe(code === 'ERR_CALDAV_UNAVAILABLE');
		expect(isRetryable(error)).toBe(code === 'ERR_CALDAV_UNAVAILABLE');
	});

	test('a no-uid-conflict names the existing event, resolved to an absolute URL', () => {
		const error = errorForStatus({method: 'PUT', url, status: 403}, uidConflictBody);
		expect(error).toBeInstanceOf(CaldavUidConflict);
		expect((error as CaldavUidConflict).existingHref).toBe('https://purelymail.com/webdav/abc/caldav/default/other.ics');
	});

	test('isRetryable is false for anything that is not a CaldavUnavailable', () => {
		expect(isRetryable(new TypeError('fetch failed'))).toBe(false);
		expect(isRetryable(undefined)).toBe(false);
		expect(isRetryable(new CaldavConflict('x', {method: 'PUT', url, status: 412}))).toBe(false);
	});
});
