/**
 * One event at a time against the sandbox's Radicale: create, read, update and delete with ETags and conditional
 * headers; what each conflict looks like; METHOD refused before anything is sent; the search-by-UID fallback.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {
	basicAuthorization, CaldavAuthFailed, CaldavConflict, CaldavInvalidObject, CaldavNotFound, CaldavUidConflict, createCaldavClient, eventHref,
	type CaldavClient,
} from '../../../lib/caldav/index.ts';
import {startSandbox, type RunningSandbox} from '../../sandbox/index.ts';
import {calendarUrlOf, eventIcs, freshUid, organizerOf, recordingFetch, type Recorded} from './helpers.ts';

describe('events by href', () => {
	let sandbox: RunningSandbox;
	let calendarUrl: string;
	let recorder: {fetch: typeof fetch; requests: Recorded[]};
	let client: CaldavClient;
	/** Another client on the same account: the user's phone, or Purelymail's own calendar page. */
	let other: CaldavClient;
	/** A PUT that is not ours, straight over HTTP. */
	let rawPut: (url: string, ics: string) => Promise<number>;

	beforeAll(async () => {
		sandbox = await startSandbox({services: ['caldav']});
		const organizer = organizerOf(sandbox);
		calendarUrl = calendarUrlOf(sandbox, organizer);
		recorder = recordingFetch();
		client = createCaldavClient({username: organizer.email, password: organizer.password, fetch: recorder.fetch});
		other = createCaldavClient({username: organizer.email, password: organizer.password});
		rawPut = async (url, ics) => {
			const response = await fetch(url, {method: 'PUT', body: ics, headers: {authorization: basicAuthorization(organizer.email, organizer.password), 'content-type': 'text/calendar'}});
			await response.text();
			return response.status;
		};
	});
	afterAll(async () => {
		await sandbox?.stop();
	});

	test('create, read, update and delete round-trip with ETags and conditional headers', async () => {
		const uid = freshUid('round-trip');
		recorder.requests.length = 0;
		const created = await client.createEvent(calendarUrl, uid, eventIcs(uid));
		expect(created.href).toBe(`${calendarUrl}${encodeURIComponent(uid)}.ics`);
		expect(created.href).toBe(eventHref(calendarUrl, uid));
		expect(created.etag).toMatch(/^".+"$/);

		const read = await client.readEvent(created.href);
		expect(read).toMatchObject({href: created.href, etag: created.etag});
		expect(read.ics).toContain(`UID:${uid}`);
		expect(read.ics).toContain('SUMMARY:Project sync');

		const updated = await client.updateEvent(created.href, eventIcs(uid, 'Project sync (moved)'), read.etag);
		expect(updated.etag).toMatch(/^".+"$/);
		expect(updated.etag).not.toBe(read.etag);
		const reread = await client.readEvent(created.href);
		expect(reread.etag).toBe(updated.etag);
		expect(reread.ics).toContain('SUMMARY:Project sync (moved)');

		await client.deleteEvent(created.href, reread.etag);
		await expect(client.readEvent(created.href)).rejects.toBeInstanceOf(CaldavNotFound);

		expect(recorder.requests.map(request => [request.method, request.headers.get('if-none-match'), request.headers.get('if-match')])).toEqual([
			['PUT', '*', null],
			['GET', null, null],
			['PUT', null, read.etag],
			['GET', null, null],
			['DELETE', null, reread.etag],
			['GET', null, null],
		]);
	});

	test('creating the same event twice is a CaldavConflict (412) and leaves the first untouched', async () => {
		const uid = freshUid('twice');
		const first = await client.createEvent(calendarUrl, uid, eventIcs(uid, 'First'));
		const failure = await client.createEvent(calendarUrl, uid, eventIcs(uid, 'Second')).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(CaldavConflict);
		expect(failure).toMatchObject({code: 'ERR_CALDAV_CONFLICT', status: 412, method: 'PUT', url: first.href});
		const stored = await client.readEvent(first.href);
		expect(stored.etag).toBe(first.etag);
		expect(stored.ics).toContain('SUMMARY:First');
	});

	test('creating a UID the calendar holds under another name is a CaldavUidConflict (RFC 4791 no-uid-conflict)', async () => {
		const uid = freshUid('elsewhere');
		expect(await rawPut(`${calendarUrl}imported-by-someone-else.ics`, eventIcs(uid))).toBe(201);
		const failure = await client.createEvent(calendarUrl, uid, eventIcs(uid)).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(CaldavUidConflict);
		expect(failure).toMatchObject({code: 'ERR_CALDAV_UID_CONFLICT', status: 409});
	});

	test('an update with a stale ETag after someone else\'s write is a CaldavConflict, and their write stands', async () => {
		const uid = freshUid('stale');
		const created = await client.createEvent(calendarUrl, uid, eventIcs(uid));
		const ours = await client.readEvent(created.href);
		const theirs = await other.readEvent(created.href);
		await other.updateEvent(created.href, eventIcs(uid, 'Renamed on the phone'), theirs.etag);

		await expect(client.updateEvent(created.href, eventIcs(uid, 'Ours'), ours.etag)).rejects.toMatchObject({name: 'CaldavConflict', status: 412});
		await expect(client.deleteEvent(created.href, ours.etag)).rejects.toBeInstanceOf(CaldavConflict);
		expect((await client.readEvent(created.href)).ics).toContain('SUMMARY:Renamed on the phone');
	});

	test('an update of an event that was deleted fails its If-Match (412); a read says CaldavNotFound', async () => {
		const uid = freshUid('gone');
		const created = await client.createEvent(calendarUrl, uid, eventIcs(uid));
		const read = await client.readEvent(created.href);
		await other.deleteEvent(created.href, read.etag);
		await expect(client.updateEvent(created.href, eventIcs(uid, 'Too late'), read.etag)).rejects.toBeInstanceOf(CaldavConflict);
		await expect(client.deleteEvent(created.href, read.etag)).rejects.toMatchObject({name: 'CaldavNotFound', status: 404});
		await expect(client.readEvent(created.href)).rejects.toMatchObject({name: 'CaldavNotFound', code: 'ERR_CALDAV_NOT_FOUND', status: 404});
	});

	test('another account\'s calendar is CaldavAuthFailed (403)', async () => {
		const alexCalendar = calendarUrlOf(sandbox, sandbox.accounts.find(account => account.id === 'alex')!);
		await expect(client.readEvent(`${alexCalendar}anything.ics`)).rejects.toBeInstanceOf(CaldavAuthFailed);
	});

	test('an event with METHOD is refused before any request (RFC 4791 §4.1), though Radicale would store it', async () => {
		const uid = freshUid('method');
		const withMethod = eventIcs(uid).replace('VERSION:2.0\r\n', 'VERSION:2.0\r\nMETHOD:REQUEST\r\n');
		recorder.requests.length = 0;
		await expect(client.createEvent(calendarUrl, uid, withMethod)).rejects.toBeInstanceOf(CaldavInvalidObject);
		await expect(client.createEvent(calendarUrl, uid, withMethod)).rejects.toMatchObject({code: 'ERR_CALDAV_INVALID_OBJECT', message: expect.stringContaining('METHOD:REQUEST')});
		await expect(client.updateEvent(eventHref(calendarUrl, uid), withMethod, '"any"')).rejects.toBeInstanceOf(CaldavInvalidObject);
		expect(recorder.requests).toEqual([]);
		// Without it the same text is fine.
		await expect(client.createEvent(calendarUrl, uid, eventIcs(uid))).resolves.toMatchObject({href: eventHref(calendarUrl, uid)});
	});

	test('findEventByUid is the fallback when the stored href is gone, and says it found the event by search', async () => {
		const uid = freshUid('moved');
		const stored = await client.createEvent(calendarUrl, uid, eventIcs(uid));
		// Someone moved the event to another name: our href is gone.
		const before = await other.readEvent(stored.href);
		await other.deleteEvent(stored.href, before.etag);
		const movedHref = `${calendarUrl}moved-${encodeURIComponent(uid)}.ics`;
		expect(await rawPut(movedHref, before.ics)).toBe(201);
		await expect(client.readEvent(stored.href)).rejects.toBeInstanceOf(CaldavNotFound);

		recorder.requests.length = 0;
		const found = await client.findEventByUid(calendarUrl, uid);
		expect(found).toMatchObject({href: movedHref, foundBy: 'search'});
		expect(found?.ics).toContain(`UID:${uid}`);
		expect(recorder.requests.map(request => `${request.method} ${request.url} ${request.headers.get('depth')}`)).toEqual([`REPORT ${calendarUrl} 1`]);
		// The ETag it found works for a conditional write.
		await expect(client.updateEvent(found!.href, eventIcs(uid, 'Found again'), found!.etag)).resolves.toMatchObject({href: movedHref});
	});

	test('findEventByUid matches the whole UID only, and finds nothing for an unknown one', async () => {
		const uid = freshUid('exact');
		await client.createEvent(calendarUrl, uid, eventIcs(uid));
		// CalDAV text-match is a substring match: a prefix of the UID matches on the server, but is not our event.
		await expect(client.findEventByUid(calendarUrl, uid.slice(0, 12))).resolves.toBeUndefined();
		await expect(client.findEventByUid(calendarUrl, `${uid}-not`)).resolves.toBeUndefined();
		await expect(client.findEventByUid(calendarUrl, uid.toUpperCase())).resolves.toBeUndefined();
		await expect(client.findEventByUid(calendarUrl, uid)).resolves.toMatchObject({href: eventHref(calendarUrl, uid), foundBy: 'search'});
	});
});
