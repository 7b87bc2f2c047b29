/**
 * The reply loop's read-modify-write against the sandbox's Radicale: a real concurrent write between our read and
 * our write ends with both changes stored; injected 412s and lost answers end with the change applied once.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {
	CaldavConflict, CaldavNotFound, CaldavUnavailable, createCaldavClient, withBackoff, type CaldavClient, type Decide,
} from '../../../lib/caldav/index.ts';
import {startSandbox, type RunningSandbox} from '../../sandbox/index.ts';
import {calendarUrlOf, eventIcs, freshUid, organizerOf, partstatOf, recordingFetch, withPartstat, type Recorded} from './helpers.ts';

/** Alex accepts: the decision the reply loop makes, idempotent like the iTIP core's (`unchanged` when already so). */
function alexAccepts(calls: string[]): Decide {
	return (ics, etag) => {
		calls.push(etag);
		return partstatOf(ics, 'alex@sandbox.test') === 'ACCEPTED' ? {unchanged: true} : {ics: withPartstat(ics, 'alex@sandbox.test', 'ACCEPTED')};
	};
}

describe('updateWithRetry', () => {
	let sandbox: RunningSandbox;
	let calendarUrl: string;
	let recorder: {fetch: typeof fetch; requests: Recorded[]};
	let client: CaldavClient;
	/** Another writer on the same account, e.g. a second browser running the extension. */
	let other: CaldavClient;

	beforeAll(async () => {
		sandbox = await startSandbox({services: ['caldav']});
		const organizer = organizerOf(sandbox);
		calendarUrl = calendarUrlOf(sandbox, organizer);
		recorder = recordingFetch();
		client = createCaldavClient({username: organizer.email, password: organizer.password, fetch: recorder.fetch});
		other = createCaldavClient({username: organizer.email, password: organizer.password});
	});
	afterAll(async () => {
		await sandbox?.stop();
	});

	async function newEvent(label: string): Promise<{uid: string; href: string}> {
		const uid = freshUid(label);
		const {href} = await client.createEvent(calendarUrl, uid, eventIcs(uid));
		recorder.requests.length = 0;
		return {uid, href};
	}

	test('a real concurrent write between our read and our write: 412, read again, decide again, both changes kept', async () => {
		const {href} = await newEvent('concurrent');
		const seenEtags: string[] = [];
		let interfered = false;
		const result = await client.updateWithRetry(href, async (ics, etag) => {
			seenEtags.push(etag);
			if (!interfered) {
				// Sam's answer lands from elsewhere after our read, before our write.
				interfered = true;
				const theirs = await other.readEvent(href);
				await other.updateEvent(href, withPartstat(theirs.ics, 'sam@sandbox.test', 'DECLINED'), theirs.etag);
			}

			return {ics: withPartstat(ics, 'alex@sandbox.test', 'ACCEPTED')};
		});

		expect(result).toMatchObject({status: 'updated', href, attempts: 2});
		expect(seenEtags).toHaveLength(2);
		expect(seenEtags[1]).not.toBe(seenEtags[0]);
		expect(recorder.requests.map(request => [request.method, request.headers.get('if-match')])).toEqual([
			['GET', null], ['PUT', seenEtags[0]], ['GET', null], ['PUT', seenEtags[1]],
		]);
		const stored = await client.readEvent(href);
		expect(stored.etag).toBe(result.etag);
		expect(partstatOf(stored.ics, 'alex@sandbox.test')).toBe('ACCEPTED');
		expect(partstatOf(stored.ics, 'sam@sandbox.test')).toBe('DECLINED');
	});

	test('an unchanged decision writes nothing', async () => {
		const {href} = await newEvent('unchanged');
		const result = await client.updateWithRetry(href, () => ({unchanged: true}));
		expect(result).toMatchObject({status: 'unchanged', href, attempts: 1});
		expect(recorder.requests.map(request => request.method)).toEqual(['GET']);
	});

	test('one injected 412 (a concurrent edit) costs one more round', async () => {
		const {href} = await newEvent('once');
		sandbox.caldavControl!.injectFault({method: 'PUT', status: 412, pathIncludes: new URL(href).pathname});
		const calls: string[] = [];
		const result = await client.updateWithRetry(href, alexAccepts(calls));
		expect(result).toMatchObject({status: 'updated', attempts: 2});
		expect(calls).toHaveLength(2);
		expect(partstatOf((await client.readEvent(href)).ics, 'alex@sandbox.test')).toBe('ACCEPTED');
	});

	test('412 on every attempt ends in CaldavConflict after N attempts, with the event untouched', async () => {
		const {href} = await newEvent('always');
		const before = await other.readEvent(href);
		sandbox.caldavControl!.injectFault({method: 'PUT', status: 412, times: 3, pathIncludes: new URL(href).pathname});
		const calls: string[] = [];
		const failure = await client.updateWithRetry(href, alexAccepts(calls), {attempts: 3}).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(CaldavConflict);
		expect(failure).toMatchObject({code: 'ERR_CALDAV_CONFLICT', attempts: 3});
		expect(calls).toHaveLength(3);
		expect(recorder.requests.filter(request => request.method === 'PUT')).toHaveLength(3);
		expect((await other.readEvent(href)).etag).toBe(before.etag);
	});

	test('the default is 4 attempts', async () => {
		const {href} = await newEvent('default');
		sandbox.caldavControl!.injectFault({method: 'PUT', status: 412, times: 4, pathIncludes: new URL(href).pathname});
		await expect(client.updateWithRetry(href, alexAccepts([]))).rejects.toMatchObject({name: 'CaldavConflict', attempts: 4});
	});

	test('a write stored but its answer lost (500): withBackoff runs it again, which sees the change and writes nothing', async () => {
		const {href} = await newEvent('lost-answer');
		sandbox.caldavControl!.injectFault({method: 'PUT', status: 500, afterForwarding: true, pathIncludes: new URL(href).pathname});
		const calls: string[] = [];
		const outcomes: string[] = [];
		const result = await withBackoff(async () => client.updateWithRetry(href, alexAccepts(calls)).catch((error: unknown) => {
			outcomes.push((error as Error).name);
			throw error;
		}), {baseMs: 10});
		expect(outcomes).toEqual(['CaldavUnavailable']);
		expect(result).toMatchObject({status: 'unchanged', attempts: 1});
		expect(recorder.requests.map(request => request.method)).toEqual(['GET', 'PUT', 'GET']);
		expect(partstatOf(result.ics, 'alex@sandbox.test')).toBe('ACCEPTED');
	});

	test('500 twice on the PUT before it goes through: the change is written once, on the third call', async () => {
		const {href} = await newEvent('busy');
		sandbox.caldavControl!.injectFault({method: 'PUT', status: 500, times: 2, pathIncludes: new URL(href).pathname});
		const result = await withBackoff(async () => client.updateWithRetry(href, alexAccepts([])), {baseMs: 10});
		expect(result).toMatchObject({status: 'updated'});
		expect(recorder.requests.map(request => request.method)).toEqual(['GET', 'PUT', 'GET', 'PUT', 'GET', 'PUT']);
		expect(partstatOf((await client.readEvent(href)).ics, 'alex@sandbox.test')).toBe('ACCEPTED');
	});

	test('a 500 is not swallowed without withBackoff, and a deleted event is CaldavNotFound', async () => {
		const {href} = await newEvent('plain');
		sandbox.caldavControl!.injectFault({method: 'GET', status: 502, pathIncludes: new URL(href).pathname});
		await expect(client.updateWithRetry(href, alexAccepts([]))).rejects.toBeInstanceOf(CaldavUnavailable);
		const read = await other.readEvent(href);
		await other.deleteEvent(href, read.etag);
		await expect(client.updateWithRetry(href, alexAccepts([]))).rejects.toBeInstanceOf(CaldavNotFound);
	});
});
