import {describe, expect, test} from 'vitest';
import {buildInvite} from '../../../lib/itip/index.ts';
import type {TrackedEvent} from '../../../lib/model.ts';
import {runTick} from '../../../lib/reply-loop/index.ts';
import {attendeeStatuses} from '../../../lib/itip/index.ts';
import type {RepliesRequest} from '../../../lib/relay-client/types.ts';
import {makeReply} from '../../helpers/make-reply.ts';
import {fakeCalendar, fakeRelay, memoryStore, replyMessage} from '../../helpers/reply-loop-fakes.ts';

const organizer = 'olivia@example.org';
const me = [organizer];
const account = {user: organizer, password: 'x'};

function invite(uid: string, attendees = ['alex@example.org', 'sam@example.org']): {tracked: TrackedEvent; ics: string} {
	const spec = {
		uid,
		organizer: {email: organizer, name: 'Olivia'},
		attendees: attendees.map(email => ({email})),
		summary: `Meeting ${uid}`,
		start: '2026-12-01T16:00',
		end: '2026-12-01T17:00',
		timeZone: 'Europe/Berlin',
		now: new Date('2026-11-20T09:00:00Z'),
	};
	const built = buildInvite(spec);
	const tracked: TrackedEvent = {
		uid, href: `/cal/${uid}.ics`, etag: '"v0"', calendarUrl: '/cal/', summary: spec.summary,
		start: '2026-12-01T15:00:00Z', end: '2026-12-01T16:00:00Z', timeZone: spec.timeZone, allDay: false, sequence: 0,
		attendees: attendeeStatuses(built.caldav), delivery: {state: 'sent', at: '2026-11-20T09:00:00Z', rejected: []},
		cancelled: false, spec, createdAt: '2026-11-20T09:00:00Z', updatedAt: '2026-11-20T09:00:00Z',
	};
	return {tracked, ics: built.caldav};
}

type Setup = {
	calendar: ReturnType<typeof fakeCalendar>;
	relay: ReturnType<typeof fakeRelay>;
	store: ReturnType<typeof memoryStore>;
	deps: {relay: ReturnType<typeof fakeRelay>; calendar: ReturnType<typeof fakeCalendar>; store: ReturnType<typeof memoryStore>; account: typeof account; me: string[]};
};

function setup(events: Array<{tracked: TrackedEvent; ics: string}>, messages: Array<ReturnType<typeof replyMessage>>): Setup {
	const calendar = fakeCalendar();
	for (const event of events) {
		calendar.objects.set(event.tracked.href, {ics: event.ics, etag: '"v0"'});
	}

	const relay = fakeRelay(messages);
	const store = memoryStore(events.map(event => event.tracked));
	return {calendar, relay, store, deps: {relay, calendar, store, account, me}};
}

function partstatOf(ics: string, attendee: string): string | undefined {
	return attendeeStatuses(ics).find(status => status.email === attendee)?.partstat;
}

describe('runTick', () => {
	test('several replies for one event cost one read and one write, and each outcome is stored', async () => {
		const event = invite('e1');
		const {calendar, store, deps} = setup([event], [
			replyMessage(1, makeReply({uid: 'e1', organizer, attendee: 'alex@example.org', partstat: 'ACCEPTED'}), 'alex@example.org'),
			replyMessage(2, makeReply({uid: 'e1', organizer, attendee: 'sam@example.org', partstat: 'DECLINED', comment: 'Travelling'}), 'sam@example.org'),
		]);
		const result = await runTick(deps);
		expect(calendar.writes).toBe(1);
		expect(calendar.reads).toBe(1);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'applied']);
		const stored = calendar.objects.get('/cal/e1.ics')!.ics;
		expect(partstatOf(stored, 'alex@example.org')).toBe('ACCEPTED');
		expect(partstatOf(stored, 'sam@example.org')).toBe('DECLINED');
		expect(store.events.e1!.attendees.find(status => status.email === 'sam@example.org')).toMatchObject({partstat: 'DECLINED', comment: 'Travelling'});
		expect(store.events.e1!.etag).toBe(calendar.objects.get('/cal/e1.ics')!.etag);
		expect(result.answers.map(answer => `${answer.attendee} ${answer.partstat}`)).toEqual(['alex@example.org ACCEPTED', 'sam@example.org DECLINED']);
		expect(store.cursor).toEqual({folders: {INBOX: {uidValidity: '7', highestUid: 2}}});
	});

	test('mail about someone else\'s event is skipped and recorded; a TNEF-only reply from a relay that sends only its bytes goes to review', async () => {
		const event = invite('e1');
		const tnef = replyMessage(2, '', 'alex@example.org');
		tnef.calendarParts = [{part: '2', contentType: 'application/ms-tnef', filename: 'winmail.dat', encoding: 'base64', text: 'eJ8+IgAA'}];
		const {calendar, store, deps} = setup([event], [
			replyMessage(1, makeReply({uid: 'not-ours', organizer: 'x@example.com', attendee: organizer, partstat: 'ACCEPTED'}), 'x@example.com'),
			tnef,
		]);
		const result = await runTick(deps);
		expect(result.outcomes.map(outcome => [outcome.outcome, outcome.eventUid])).toEqual([['skipped', 'not-ours'], ['review', null]]);
		expect(result.outcomes[1]!.reason).toContain('Outlook TNEF reply: not readable by this relay');
		expect(calendar.writes).toBe(0);
		expect(store.cursor?.folders.INBOX?.highestUid).toBe(2);
	});

	test('a decline sent by someone else for an attendee goes to review, keeps its calendar and changes nothing', async () => {
		const event = invite('e1');
		const {calendar, store, deps} = setup([event], [
			replyMessage(1, makeReply({uid: 'e1', organizer, attendee: 'sam@example.org', partstat: 'DECLINED'}), 'spoof@evil.example'),
		]);
		const result = await runTick(deps);
		expect(result.outcomes[0]).toMatchObject({outcome: 'review', eventUid: 'e1'});
		expect(result.outcomes[0]!.calendar).toContain('PARTSTAT=DECLINED');
		expect(calendar.writes).toBe(0);
		expect(partstatOf(calendar.objects.get('/cal/e1.ics')!.ics, 'sam@example.org')).toBe('NEEDS-ACTION');
		expect(store.events.e1!.attendees.find(status => status.email === 'sam@example.org')?.partstat).toBe('NEEDS-ACTION');
	});

	test('the same reply delivered twice is applied once; the second is unchanged', async () => {
		const event = invite('e1');
		const reply = makeReply({uid: 'e1', organizer, attendee: 'alex@example.org', partstat: 'ACCEPTED'});
		const {calendar, deps} = setup([event], [replyMessage(1, reply, 'alex@example.org'), replyMessage(2, reply, 'alex@example.org')]);
		const result = await runTick(deps);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'unchanged']);
		expect(calendar.writes).toBe(1);
	});

	test('while the calendar server is down (5xx after the port\'s retries) the answer is parked, the cursor moves on, and the next tick applies it', async () => {
		const event = invite('e1');
		const {calendar, store, deps} = setup([event], [
			replyMessage(1, makeReply({uid: 'not-ours', organizer: 'x@example.com', attendee: organizer, partstat: 'ACCEPTED'}), 'x@example.com'),
			replyMessage(2, makeReply({uid: 'e1', organizer, attendee: 'alex@example.org', partstat: 'ACCEPTED'}), 'alex@example.org'),
			replyMessage(3, makeReply({uid: 'not-ours', organizer: 'x@example.com', attendee: organizer, partstat: 'ACCEPTED'}), 'x@example.com'),
		]);
		calendar.failNext.push('unavailable');
		const first = await runTick(deps);
		expect(first.outcomes.map(outcome => [outcome.key, outcome.outcome])).toEqual([['INBOX/7/1', 'skipped'], ['INBOX/7/2', 'parked'], ['INBOX/7/3', 'skipped']]);
		expect(first.outcomes[1]!.reason).toMatch(/^Not written to "Meeting e1" yet: the calendar server is failing/);
		expect(store.cursor?.folders.INBOX?.highestUid).toBe(3);
		const second = await runTick(deps);
		expect(second.error).toBeUndefined();
		expect(second.outcomes.map(outcome => [outcome.key, outcome.outcome])).toEqual([['INBOX/7/2', 'applied']]);
		expect(store.outcomes).toHaveLength(3);
		expect(store.cursor?.folders.INBOX?.highestUid).toBe(3);
		expect(partstatOf(calendar.objects.get('/cal/e1.ics')!.ics, 'alex@example.org')).toBe('ACCEPTED');
	});

	test('when the relay is down the tick reports it and changes nothing', async () => {
		const event = invite('e1');
		const {relay, store, deps} = setup([event], [replyMessage(1, makeReply({uid: 'e1', organizer, attendee: 'alex@example.org', partstat: 'ACCEPTED'}), 'alex@example.org')]);
		relay.down = true;
		const result = await runTick(deps);
		expect(result.error).toMatchObject({kind: 'relay', message: 'The relay is not running'});
		expect(store.outcomes).toEqual([]);
		expect(store.cursor).toBeNull();
		relay.down = false;
		expect((await runTick(deps)).outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
	});

	test('a tick cut short after the CalDAV write and before the outcomes are stored loses nothing and applies nothing twice', async () => {
		const event = invite('e1');
		const {calendar, store, deps} = setup([event], [replyMessage(1, makeReply({uid: 'e1', organizer, attendee: 'alex@example.org', partstat: 'ACCEPTED'}), 'alex@example.org')]);
		await expect(runTick({...deps, afterCalendarWrite() {
			throw new Error('worker killed');
		}})).rejects.toThrow('worker killed');
		expect(calendar.writes).toBe(1);
		expect(store.outcomes).toEqual([]);
		expect(store.cursor).toBeNull();
		const replay = await runTick(deps);
		expect(replay.outcomes.map(outcome => outcome.outcome)).toEqual(['unchanged']);
		expect(calendar.writes).toBe(1);
		expect(store.events.e1!.attendees.find(status => status.email === 'alex@example.org')?.partstat).toBe('ACCEPTED');
	});

	test('after a concurrent edit (412) the same decision is applied to the new version: no lost update', async () => {
		const event = invite('e1');
		const {calendar, deps} = setup([event], [replyMessage(1, makeReply({uid: 'e1', organizer, attendee: 'alex@example.org', partstat: 'ACCEPTED'}), 'alex@example.org')]);
		calendar.concurrentEdit = ics => ics.replace('LOCATION:', 'LOCATION:Room 2 ').replace(/SUMMARY:([^\r\n]*)/, 'SUMMARY:$1 (moved)');
		calendar.failNext.push('conflict-once');
		const result = await runTick(deps);
		expect(result.outcomes[0]?.outcome).toBe('applied');
		const stored = calendar.objects.get('/cal/e1.ics')!.ics;
		expect(stored).toContain('(moved)');
		expect(partstatOf(stored, 'alex@example.org')).toBe('ACCEPTED');
	});

	test('the same calendar inline and attached in different bytes is one answer: applied and told once, not unchanged', async () => {
		const event = invite('e1');
		const reply = makeReply({uid: 'e1', organizer, attendee: 'alex@example.org', partstat: 'DECLINED'});
		const message = replyMessage(1, reply, 'alex@example.org');
		// The attached copy folds a line where the inline one does not (RFC 5545 §3.1: folding means nothing).
		message.calendarParts.push({part: '3', contentType: 'application/ics', filename: 'invite.ics', encoding: 'utf-8', text: reply.replace('ATTENDEE;', 'ATTENDEE;\r\n ')});
		const {calendar, deps} = setup([event], [message]);
		const result = await runTick(deps);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		expect(result.outcomes[0]!.changes).toEqual([{attendee: 'alex@example.org', partstat: 'DECLINED'}]);
		expect(result.answers.map(answer => answer.partstat)).toEqual(['DECLINED']);
		expect(calendar.writes).toBe(1);
	});

	test('1,000 replies over 100 events in one tick cost at most 100 writes', async () => {
		const attendees = Array.from({length: 10}, (_, index) => `guest${index}@example.org`);
		const events = Array.from({length: 100}, (_, index) => invite(`e${index}`, attendees));
		const messages = events.flatMap((event, eventIndex) => attendees.map((attendee, attendeeIndex) =>
			replyMessage(eventIndex * 10 + attendeeIndex + 1, makeReply({uid: event.tracked.uid, organizer, attendee, partstat: 'ACCEPTED'}), attendee)));
		const {calendar, deps} = setup(events, messages);
		const result = await runTick(deps);
		expect(result.outcomes).toHaveLength(1000);
		expect(result.outcomes.every(outcome => outcome.outcome === 'applied')).toBe(true);
		expect(calendar.writes).toBe(100);
	});
});

describe('runTick over a relay that answers in pages', () => {
	const answers = ['ACCEPTED', 'DECLINED', 'TENTATIVE'] as const;
	const messages = (): Array<ReturnType<typeof replyMessage>> => answers.map((partstat, index) => replyMessage(index + 1, makeReply({uid: 'e1', organizer, attendee: 'alex@example.org', partstat, dtstamp: `20261120T10000${index}Z`}), 'alex@example.org'));

	test('one tick follows the pages to the end, each page\'s outcomes stored before its cursor', async () => {
		const {calendar, relay, store, deps} = setup([invite('e1')], messages());
		const saved: Array<{cursorUid: number; outcomes: number}> = [];
		const paged = {
			async replies(request: RepliesRequest) {
				const whole = await relay.replies(request);
				const first = whole.messages.slice(0, 1);
				const highestUid = first[0]?.uid ?? whole.cursor.folders.INBOX!.highestUid;
				return {...whole, messages: first, cursor: {folders: {INBOX: {uidValidity: '7', highestUid}}}, ...(whole.messages.length > 1 ? {more: true} : {})};
			},
		};
		const result = await runTick({...deps, relay: paged, store: {...store, async saveCursor(cursor) {
			saved.push({cursorUid: cursor.folders.INBOX!.highestUid, outcomes: store.outcomes.length});
			await store.saveCursor(cursor);
		}}});
		expect(relay.polls).toBe(answers.length);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(answers.map(() => 'applied'));
		expect(saved).toEqual(answers.map((_answer, index) => ({cursorUid: index + 1, outcomes: index + 1})));
		expect(partstatOf(calendar.objects.get('/cal/e1.ics')!.ics, 'alex@example.org')).toBe(answers.at(-1));
	});

	test('a relay that says `more` without moving its cursor is not asked again and again', async () => {
		const {relay, deps} = setup([invite('e1')], messages());
		const stuck = {
			async replies(request: RepliesRequest) {
				return {...await relay.replies(request), more: true};
			},
		};
		const result = await runTick({...deps, relay: stuck});
		expect(result.outcomes).toHaveLength(answers.length);
		// The first page moved the cursor; the second did not, so the tick ends there.
		expect(relay.polls).toBe(2);
	});
});
