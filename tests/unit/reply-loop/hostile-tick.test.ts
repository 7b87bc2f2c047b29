/**
 * Issue 12 through the reply loop: what one crafted mail does to a tick (time budget, Sender/From, the provider's
 * verdict, CalDAV 4xx/5xx, notifications, what is kept). The relay and CalDAV are the in-memory fakes; the real
 * ones are covered by tests/integration.
 */
import {describe, expect, test} from 'vitest';
import {tickSentence} from '../../../lib/background/check-replies.ts';
import {buildInvite} from '../../../lib/itip/index.ts';
import type {MessageOutcome, TrackedEvent} from '../../../lib/model.ts';
import {compactOutcome, maxOutcomeBytes, parkedRetryAt, runTick, type AppliedAnswer} from '../../../lib/reply-loop/index.ts';
import {attendeeStatuses} from '../../../lib/itip/index.ts';
import {keptOutcomes} from '../../../lib/storage.ts';
import {makeReply} from '../../helpers/make-reply.ts';
import {fakeCalendar, fakeRelay, memoryStore, replyMessage} from '../../helpers/reply-loop-fakes.ts';

const organizer = 'olivia@example.org';
const account = {user: organizer, password: 'x'};

function invite(uid: string): {tracked: TrackedEvent; ics: string} {
	const spec = {
		uid, organizer: {email: organizer, name: 'Olivia'}, attendees: [{email: 'alex@example.org', name: 'Alex'}, {email: 'sam@example.org'}],
		summary: `Meeting ${uid}`, start: '2026-12-01T16:00', end: '2026-12-01T17:00', timeZone: 'Europe/Berlin', now: new Date('2026-11-20T09:00:00Z'),
	};
	const built = buildInvite(spec);
	return {
		ics: built.caldav,
		tracked: {
			uid, href: `/cal/${uid}.ics`, etag: '"v0"', calendarUrl: '/cal/', summary: spec.summary, start: '2026-12-01T15:00:00Z', end: '2026-12-01T16:00:00Z',
			timeZone: spec.timeZone, allDay: false, sequence: 0, attendees: attendeeStatuses(built.caldav), delivery: {state: 'sent', at: '2026-11-20T09:00:00Z', rejected: []},
			cancelled: false, spec, createdAt: '2026-11-20T09:00:00Z', updatedAt: '2026-11-20T09:00:00Z',
		},
	};
}

type Setup = {
	calendar: ReturnType<typeof fakeCalendar>;
	relay: ReturnType<typeof fakeRelay>;
	store: ReturnType<typeof memoryStore>;
	deps: {relay: ReturnType<typeof fakeRelay>; calendar: ReturnType<typeof fakeCalendar>; store: ReturnType<typeof memoryStore>; account: typeof account; me: string[]};
};

function setup(uids: string[], messages: Array<ReturnType<typeof replyMessage>>): Setup {
	const events = uids.map(uid => invite(uid));
	const calendar = fakeCalendar();
	for (const event of events) {
		calendar.objects.set(event.tracked.href, {ics: event.ics, etag: '"v0"'});
	}

	const relay = fakeRelay(messages);
	const store = memoryStore(events.map(event => event.tracked));
	return {calendar, relay, store, deps: {relay, calendar, store, account, me: [organizer]}};
}

const decline = (uid: string, attendee = 'alex@example.org'): string => makeReply({uid, organizer, attendee, partstat: 'DECLINED'});

describe('1. a tick has a time budget', () => {
	test('past its budget a tick stops cleanly: the events not reached wait, with the cursor just before them', async () => {
		const {calendar, store, deps} = setup(['e1', 'e2', 'e3'], [
			replyMessage(1, decline('e1'), 'alex@example.org'),
			replyMessage(2, decline('e2'), 'alex@example.org'),
			replyMessage(3, decline('e3'), 'alex@example.org'),
		]);
		// Each calendar write takes 20 s on this clock: the budget (15 s) runs out after the first event.
		let clock = Date.parse('2026-11-20T12:00:00Z');
		const now = (): Date => new Date(clock);
		const slow = {...calendar, update: async (...args: Parameters<typeof calendar.update>) => {
			clock += 20_000;
			return calendar.update(...args);
		}};
		const first = await runTick({...deps, calendar: slow, now, budgetMs: 15_000});
		expect(first.stopped).toBe('time-budget');
		expect(first.outcomes.map(outcome => outcome.key)).toEqual(['INBOX/7/1']);
		expect(store.cursor?.folders.INBOX?.highestUid).toBe(1);
		const second = await runTick(deps);
		expect(second.outcomes.map(outcome => [outcome.key, outcome.outcome])).toEqual([['INBOX/7/2', 'applied'], ['INBOX/7/3', 'applied']]);
		expect(calendar.writes).toBe(3);
	});
});

describe('2. only From is the sender', () => {
	test('From: evil@x.test with Sender: alex@example.org does not apply Alex\'s decline; it goes to review', async () => {
		const message = replyMessage(1, decline('e1'), 'evil@x.test');
		message.headers.sender = {name: '', address: 'alex@example.org'};
		const {calendar, deps} = setup(['e1'], [message]);
		const result = await runTick(deps);
		expect(result.outcomes[0]).toMatchObject({outcome: 'review', check: 'sender', from: 'evil@x.test'});
		expect(calendar.writes).toBe(0);
	});

	test('dmarc=fail in the first Authentication-Results from the user\'s provider sends the reply to review; the same from another server changes nothing', async () => {
		const failed = replyMessage(1, decline('e1'), 'alex@example.org');
		failed.headers.authenticationResults = ['mx.purelymail.com; dkim=none; dmarc=fail (p=none) header.from=example.org'];
		const elsewhere = replyMessage(2, decline('e2'), 'alex@example.org');
		elsewhere.headers.authenticationResults = ['mx.example.net; dmarc=fail header.from=example.org'];
		const {deps} = setup(['e1', 'e2'], [failed, elsewhere]);
		const result = await runTick(deps);
		expect(result.outcomes.map(outcome => [outcome.outcome, outcome.check])).toEqual([['review', 'authentication'], ['applied', undefined]]);
		expect(result.outcomes[0]!.reason).toMatch(/dmarc=fail for example\.org/);
		expect(result.outcomes[0]!.origin).toEqual({senders: ['alex@example.org'], authentication: 'dmarc=fail for example.org'});
	});
});

describe('7. no endless retry', () => {
	test('a CalDAV 4xx (other than 404/412) is a final outcome for the message, with a reason, and the cursor moves on', async () => {
		const {calendar, store, deps} = setup(['e1'], [replyMessage(1, decline('e1'), 'alex@example.org'), replyMessage(2, decline('e1', 'sam@example.org'), 'sam@example.org')]);
		calendar.failNext.push('rejected');
		const result = await runTick(deps);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['review', 'review']);
		expect(result.outcomes[0]!.reason).toBe('The calendar server refused to save the answer to "Meeting e1" (PUT /cal/x.ics answered 422).');
		expect(result.outcomes[0]!.calendar).toContain('METHOD:REPLY');
		expect(store.cursor?.folders.INBOX?.highestUid).toBe(2);
		expect((await runTick(deps)).messages).toBe(0);
	});

	test('one event whose server keeps failing is parked and holds no later reply for another event', async () => {
		const {calendar, store, deps} = setup(['bad', 'good'], [replyMessage(1, decline('bad'), 'alex@example.org'), replyMessage(2, decline('good'), 'alex@example.org')]);
		calendar.failNext.push('unavailable');
		const result = await runTick(deps);
		expect(result.outcomes.map(outcome => [outcome.key, outcome.outcome])).toEqual([['INBOX/7/1', 'parked'], ['INBOX/7/2', 'applied']]);
		expect(result.outcomes[0]).toMatchObject({attempts: 1});
		expect(store.cursor?.folders.INBOX?.highestUid).toBe(2);
	});

	test('a parked reply is retried with growing waits while the server keeps failing, and applied when it recovers', async () => {
		const {calendar, store, deps} = setup(['e1'], [replyMessage(1, decline('e1'), 'alex@example.org')]);
		let clock = Date.parse('2026-11-20T12:00:00Z');
		const now = (): Date => new Date(clock);
		calendar.failNext.push('unavailable', 'unavailable');
		await runTick({...deps, now});
		expect(store.outcomes[0]).toMatchObject({outcome: 'parked', attempts: 1, retryAt: '2026-11-20T12:00:00.000Z'});
		await runTick({...deps, now});
		expect(store.outcomes[0]).toMatchObject({outcome: 'parked', attempts: 2, retryAt: '2026-11-20T12:05:00.000Z'});
		// Not due yet: nothing is tried.
		expect((await runTick({...deps, now})).messages).toBe(0);
		clock += 5 * 60_000;
		const recovered = await runTick({...deps, now});
		expect(recovered.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		expect(store.outcomes).toHaveLength(1);
		expect(parkedRetryAt(10, new Date(0))).toBe(new Date(360 * 60_000).toISOString());
	});
});

describe('8. one notification per tick', () => {
	const answer = (name: string, partstat: string): AppliedAnswer => ({eventUid: 'u', summary: 'Sync', attendee: `${name.toLowerCase()}@example.org`, name, partstat});
	test.each([
		[[answer('Alex', 'ACCEPTED')], 'Alex accepted Sync'],
		[[answer('Alex', 'ACCEPTED'), answer('Sam', 'DECLINED')], 'Alex accepted Sync and Sam declined Sync'],
		[[answer('Alex', 'ACCEPTED'), answer('Sam', 'DECLINED'), answer('Kim', 'TENTATIVE'), answer('Lee', 'ACCEPTED'), answer('Max', 'ACCEPTED'), answer('Ola', 'DECLINED'), answer('Pat', 'ACCEPTED')],
			'Alex accepted Sync, Sam declined Sync, Kim tentatively accepted Sync and 4 more'],
	])('%#: names up to three answers and counts the rest', (answers, sentence) => {
		expect(tickSentence(answers)).toBe(sentence);
	});
});

describe('5. kept outcomes stay far inside storage.local\'s quota', () => {
	test('500 outcomes of the largest hostile review take less than a third of chrome.storage.local.QUOTA_BYTES', async () => {
		const huge = 'x'.repeat(900_000);
		const calendar = makeReply({uid: 'e1', organizer, attendee: 'evil@x.test', partstat: 'DECLINED', comment: huge});
		const message = replyMessage(1, calendar, 'evil@x.test');
		message.headers.subject = `\u202E${'s'.repeat(50_000)}`;
		const {deps} = setup(['e1'], [message]);
		const [outcome] = (await runTick(deps)).outcomes;
		expect(outcome).toMatchObject({outcome: 'review', check: 'uninvited'});
		expect(outcome!.calendar).toBeDefined();
		const bytes = new TextEncoder().encode(JSON.stringify(outcome)).length;
		expect(bytes).toBeLessThanOrEqual(maxOutcomeBytes);
		// chrome.storage.local.QUOTA_BYTES is 10,485,760 (Chrome 114+); storage counts the JSON of key and value.
		const quotaBytes = 10_485_760;
		expect(keptOutcomes * maxOutcomeBytes).toBeLessThan(quotaBytes / 2.5);
	});

	test('compacting keeps the first changes and says how many more there were', () => {
		const outcome: MessageOutcome = {
			key: 'k', messageId: null, from: 'a@x.test', subject: 's', eventUid: 'u', outcome: 'review', reason: 'r', recordedAt: '',
			changes: Array.from({length: 9}, (_unused, index) => ({attendee: 'a@x.test', partstat: 'DECLINED' as const, recurrenceId: `2026-12-0${index + 1}`, comment: 'c'.repeat(2000)})),
		};
		const compact = compactOutcome(outcome);
		expect(compact.changes).toHaveLength(5);
		expect(compact.changes[0]!.comment!.length).toBeLessThanOrEqual(300);
		expect(compact.reason).toBe('r (4 more changes not listed.)');
	});
});
