/**
 * The requests protocol between the extension and an agent on another machine (lib/agent requests.ts: "apply
 * anyway", "dismiss", "Accept / Decline proposal"): what is read from the server, and that each request acts once,
 * only on a review still open.
 * The store and the calendar are in memory (the integration test runs the real agent against Radicale).
 */
import {describe, expect, test} from 'vitest';
import {maxAgentRequests, parseAgentRequests, performAgentRequests, requestsText, type AgentRequest, type AgentRequestStore} from '../../../lib/agent/requests.ts';
import type {AttendeeDeps} from '../../../lib/attendee/types.ts';
import type {InvitationStore} from '../../../lib/invitations/ports.ts';
import type {InviteDeps} from '../../../lib/invites/ports.ts';
import {buildInvite, keptReply} from '../../../lib/itip/index.ts';
import type {MessageOutcome, TrackedEvent} from '../../../lib/model.ts';
import type {CalendarPort} from '../../../lib/reply-loop/index.ts';

const organizer = 'org@example.com';
const built = buildInvite({
	uid: 'plan-1@example.com', organizer: {email: organizer, name: 'Org'}, attendees: [{email: 'alex@example.org', name: 'Alex'}],
	summary: 'Plan', start: '2027-01-05T10:00', end: '2027-01-05T11:00', timeZone: 'Europe/Berlin', now: new Date('2026-11-01T09:00:00Z'),
});
const reply = keptReply([
	'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'METHOD:REPLY', 'BEGIN:VEVENT', `UID:${built.uid}`, 'DTSTAMP:20261120T100000Z', 'SEQUENCE:0',
	`ORGANIZER:mailto:${organizer}`, 'ATTENDEE;PARTSTAT=DECLINED:mailto:alex@example.org', 'END:VEVENT', 'END:VCALENDAR', '',
].join('\r\n'))!;
const tracked = {uid: built.uid, href: 'https://dav.example.org/org/cal/plan-1.ics', calendarUrl: 'https://dav.example.org/org/cal/', etag: '"1"'} as TrackedEvent;

/** A review: sent by Sam for Alex, so the sender check stopped it. */
function review(key: string): MessageOutcome {
	return {
		key, messageId: null, from: 'sam@example.org', subject: 'Declined: Plan', eventUid: built.uid, outcome: 'review', reason: 'sent by someone else',
		changes: [], recordedAt: '2026-12-02T09:00:00.000Z', calendar: reply, origin: {senders: ['sam@example.org']}, check: 'sender',
	};
}

/** The invite flows' deps: no event known to them, mail counted (what a COUNTER answer would send). */
function noInvites(): InviteDeps & {sent: number} {
	const deps = {
		sent: 0,
		caldav: {} as InviteDeps['caldav'],
		relay: {
			async send() {
				deps.sent++;
				throw new Error('no mail in this test');
			},
		},
		account: {email: organizer, name: 'Org', password: 'secret', aliases: []},
		settings: {} as InviteDeps['settings'],
		events: {
			async get() {
				return undefined;
			},
			async update() {
				return undefined;
			},
		},
	};
	return deps;
}

/** The answer flow's deps: no invitation received, mail counted. */
function noAnswers(): AttendeeDeps & {received: Pick<InvitationStore, 'load'>; sent: number} {
	const invites = noInvites();
	return {
		caldav: {} as AttendeeDeps['caldav'],
		relay: invites.relay,
		account: invites.account,
		settings: invites.settings,
		get sent() {
			return invites.sent;
		},
		invitations: {
			async get() {
				return undefined;
			},
			async update() {
				return undefined;
			},
			async remove() {
				return undefined;
			},
		},
		received: {
			async load() {
				return {copies: {}, received: {}};
			},
		},
	};
}

type MemoryStore = AgentRequestStore & {commits: MessageOutcome[][]; ics: string; writes: number; calendar: CalendarPort};

function memory(outcomes: MessageOutcome[]): MemoryStore {
	const state: MemoryStore = {
		commits: [] as MessageOutcome[][],
		ics: built.caldav,
		writes: 0,
		async outcome(key: string) {
			return outcomes.find(outcome => outcome.key === key);
		},
		async load() {
			return {cursor: null, events: {[tracked.uid]: tracked}, doneKeys: new Set<string>(), parked: []};
		},
		async commit(update: {events: TrackedEvent[]; outcomes: MessageOutcome[]}) {
			state.commits.push(update.outcomes);
			for (const outcome of update.outcomes) {
				outcomes.splice(outcomes.findIndex(candidate => candidate.key === outcome.key), 1, outcome);
			}
		},
		calendar: {
			async update(_href: string, decide: (ics: string) => {ics: string} | {unchanged: true}) {
				const decision = decide(state.ics);
				if ('ics' in decision) {
					state.ics = decision.ics;
					state.writes++;
				}

				return {etag: `"${state.writes + 1}"`, ics: state.ics, written: 'ics' in decision};
			},
			async findByUid() {
				return null;
			},
		} satisfies CalendarPort,
	};
	return state;
}

describe('the requests property', () => {
	test('keeps well-formed requests, in order, and leaves out anything else', () => {
		const good: AgentRequest[] = [{id: 'a', action: 'apply', key: 'INBOX/1/5', check: 'sender'}, {id: 'b', action: 'dismiss', key: 'INBOX/1/6'}];
		const text = JSON.stringify({version: 1, requests: [good[0], null, {id: 'c', action: 'delete', key: 'x'}, {id: 4, action: 'dismiss', key: 'x'}, {...good[1], check: 'made-up'}]});
		expect(parseAgentRequests(text)).toEqual(good);
		expect(parseAgentRequests(requestsText(good))).toEqual(good);
		expect(parseAgentRequests('{"version": 2, "requests": []}')).toEqual([]);
		// Answers to a COUNTER carry no check; a key or id of absurd size is no request.
		const counters: AgentRequest[] = [{id: 'd', action: 'accept-counter', key: 'INBOX/1/7'}, {id: 'e', action: 'decline-counter', key: 'INBOX/1/8'}];
		const hostile = [{...counters[0], check: 'sender'}, counters[1], {id: 'f', action: 'accept-counter', key: 'k'.repeat(1001)}, {id: 'x'.repeat(101), action: 'decline-counter', key: 'INBOX/1/9'}, {id: 'g', action: 'accept-counter'}];
		expect(parseAgentRequests(JSON.stringify({version: 1, requests: hostile}))).toEqual(counters);
		// An answer to an invitation names one of the three answers, and nothing else.
		const answer: AgentRequest = {id: 'h', action: 'answer', key: 'inv-1@example.org', answer: 'TENTATIVE'};
		const badAnswers = [{...answer, id: 'i', answer: 'MAYBE'}, {...answer, id: 'j', answer: undefined}, {...answer, id: 'k', answer: 'NEEDS-ACTION'}, {...answer, check: 'sender'}];
		expect(parseAgentRequests(JSON.stringify({version: 1, requests: badAnswers}))).toEqual([answer]);
		expect(parseAgentRequests('not json')).toEqual([]);
		expect(parseAgentRequests(undefined)).toEqual([]);
	});

	test('holds at most the newest maxAgentRequests', () => {
		const many = Array.from({length: maxAgentRequests + 7}, (_unused, index): AgentRequest => ({id: `r${index}`, action: 'dismiss', key: `INBOX/1/${index}`}));
		const kept = parseAgentRequests(requestsText(many));
		expect(kept).toHaveLength(maxAgentRequests);
		expect(kept.at(-1)).toEqual(many.at(-1));
	});
});

describe('the agent performs requests', () => {
	test('"apply anyway" writes the reply once, with the check the user saw overridden, and stores the outcome as applied', async () => {
		const store = memory([review('INBOX/1/5')]);
		const request: AgentRequest = {id: 'r1', action: 'apply', key: 'INBOX/1/5', check: 'sender'};
		const handled = await performAgentRequests([request], new Set(), {store, calendar: () => store.calendar, me: [organizer], invite: noInvites(), attendee: noAnswers()});
		expect(handled.map(({request: done, result}) => [done.id, result])).toEqual([['r1', 'applied']]);
		expect(store.writes).toBe(1);
		expect(store.ics).toContain('PARTSTAT=DECLINED');
		expect(store.commits).toEqual([[expect.objectContaining({key: 'INBOX/1/5', outcome: 'applied', dismissed: true})]]);

		// The same request read again (the extension has not pruned it yet, or the agent restarted): nothing more.
		const again = await performAgentRequests([request], new Set(), {store, calendar: () => store.calendar, me: [organizer], invite: noInvites(), attendee: noAnswers()});
		expect(again.map(({result}) => result)).toEqual(['nothing']);
		expect(store.writes).toBe(1);
		expect(store.commits).toHaveLength(1);
	});

	test('"apply anyway" with no check named overrides nothing: the sender check still stops it, and it stays in review', async () => {
		const store = memory([{...review('INBOX/1/5'), check: undefined} as unknown as MessageOutcome]);
		const handled = await performAgentRequests([{id: 'r1', action: 'apply', key: 'INBOX/1/5'}], new Set(), {store, calendar: () => store.calendar, me: [organizer], invite: noInvites(), attendee: noAnswers()});
		expect(handled.map(({result}) => result)).toEqual(['review']);
		expect(store.writes).toBe(0);
		expect(store.commits).toEqual([[expect.objectContaining({outcome: 'review', check: 'sender'})]]);
	});

	test('"dismiss" puts the review away without touching the calendar; handled ids and unknown keys do nothing', async () => {
		const store = memory([review('INBOX/1/5'), review('INBOX/1/6')]);
		const requests: AgentRequest[] = [{id: 'old', action: 'apply', key: 'INBOX/1/6'}, {id: 'r2', action: 'dismiss', key: 'INBOX/1/5'}, {id: 'r3', action: 'dismiss', key: 'INBOX/9/9'}];
		const handled = await performAgentRequests(requests, new Set(['old']), {store, calendar: () => store.calendar, me: [organizer], invite: noInvites(), attendee: noAnswers()});
		expect(handled.map(({request, result}) => [request.id, result])).toEqual([['r2', 'dismissed'], ['r3', 'nothing']]);
		expect(store.writes).toBe(0);
		expect(store.commits).toEqual([[expect.objectContaining({key: 'INBOX/1/5', outcome: 'review', dismissed: true})]]);
	});

	test('"Accept proposal" on a review that is no COUNTER sends nothing and leaves the review open', async () => {
		const store = memory([review('INBOX/1/5')]);
		const invite = noInvites();
		const handled = await performAgentRequests([{id: 'c1', action: 'accept-counter', key: 'INBOX/1/5'}], new Set(), {store, calendar: () => store.calendar, me: [organizer], invite, attendee: noAnswers()});
		expect(handled).toEqual([{request: {id: 'c1', action: 'accept-counter', key: 'INBOX/1/5'}, result: 'failed', reason: 'This is not a proposal that can be answered.'}]);
		expect({sent: invite.sent, writes: store.writes, commits: store.commits}).toEqual({sent: 0, writes: 0, commits: []});
	});

	test('"Decline proposal" on a COUNTER whose event the flows do not know fails without mail; the review stays open for another try', async () => {
		const counter = [
			'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'METHOD:COUNTER', 'BEGIN:VEVENT', `UID:${built.uid}`, 'DTSTAMP:20261120T100000Z', 'SEQUENCE:0',
			`ORGANIZER:mailto:${organizer}`, 'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:alex@example.org', 'DTSTART:20270106T100000Z', 'DTEND:20270106T110000Z', 'END:VEVENT', 'END:VCALENDAR', '',
		].join('\r\n');
		const outcome = {...review('INBOX/1/8'), from: 'alex@example.org', calendar: keptReply(counter) ?? counter, check: undefined} as unknown as MessageOutcome;
		const store = memory([outcome]);
		const invite = noInvites();
		const handled = await performAgentRequests([{id: 'c2', action: 'decline-counter', key: 'INBOX/1/8'}], new Set(), {store, calendar: () => store.calendar, me: [organizer], invite, attendee: noAnswers()});
		expect(handled.map(({result, reason}) => [result, reason])).toEqual([['failed', expect.any(String)]]);
		expect(handled[0]!.reason).not.toBe('This is not a proposal that can be answered.');
		expect({sent: invite.sent, commits: store.commits}).toEqual({sent: 0, commits: []});
		expect(await store.outcome('INBOX/1/8')).toMatchObject({outcome: 'review'});
	});

	test('an answer to an invitation the agent does not list as waiting sends nothing', async () => {
		const store = memory([]);
		const attendee = noAnswers();
		const handled = await performAgentRequests([{id: 'a1', action: 'answer', key: 'inv-1@example.org', answer: 'ACCEPTED'}], new Set(), {store, calendar: () => store.calendar, me: [organizer], invite: noInvites(), attendee});
		expect(handled.map(({result}) => result)).toEqual(['nothing']);
		expect({sent: attendee.sent, commits: store.commits}).toEqual({sent: 0, commits: []});
	});
});
