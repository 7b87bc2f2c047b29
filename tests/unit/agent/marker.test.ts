import {describe, expect, test} from 'vitest';
import {agentServes, markerAfterTick, markerInvitations, markerReview, markerText, markerWithNews, parseAgentMarker, type AgentMarker, type AgentTickResult} from '../../../lib/agent/index.ts';
import type {InvitationListing} from '../../../lib/invitations/views.ts';
import type {MessageOutcome} from '../../../lib/model.ts';
import type {AppliedAnswer} from '../../../lib/reply-loop/index.ts';

const marker: AgentMarker = {
	version: 1, state: 'running', host: 'home-server', seenAt: '2026-12-02T09:00:00.000Z', tickSeconds: 300,
	lastTick: {at: '2026-12-02T09:00:00.000Z'}, watch: 'idle',
	answers: [{attendee: 'sam@example.org', partstat: 'DECLINED', summary: 'Planning', at: '2026-12-02T08:00:00.000Z'}],
	review: [], handled: [], invitations: [],
};

function tickWith(answers: AppliedAnswer[], error?: string): AgentTickResult {
	return {tick: {messages: answers.length, outcomes: [], answers, writes: answers.length, ...(error ? {error: {kind: 'relay', message: error}} : {})}};
}

const answer = (attendee: string, partstat: string): AppliedAnswer => ({eventUid: 'u1', summary: 'Project sync', attendee, partstat});

describe('the agent\'s marker', () => {
	test('what the agent writes is what the extension reads', () => {
		expect(parseAgentMarker(markerText(marker))).toEqual(marker);
	});

	test.each([
		['nothing', undefined],
		['empty', ''],
		['not JSON', '{"version": 1'],
		['another version', markerText({...marker, version: 2 as 1})],
		['no host', JSON.stringify({...marker, host: undefined})],
		['a date that is not one', markerText({...marker, seenAt: 'yesterday'})],
		['no period', markerText({...marker, tickSeconds: 0})],
		['an unknown state', JSON.stringify({...marker, state: 'sleeping'})],
	])('%s is no marker', (_name, text) => {
		expect(parseAgentMarker(text)).toBeUndefined();
	});

	test('answers that are not answers are left out, and at most five are kept', () => {
		const answers = Array.from({length: 7}, (_unused, index) => ({attendee: `a${index}@example.org`, partstat: 'ACCEPTED', summary: 'S', at: marker.seenAt}));
		const parsed = parseAgentMarker(JSON.stringify({...marker, answers: [{attendee: 3}, null, ...answers]}));
		expect(parsed?.answers.map(kept => kept.attendee)).toEqual(answers.slice(0, 5).map(kept => kept.attendee));
	});

	test.each([
		['just written', '2026-12-02T09:00:00.000Z', true],
		['two full ticks and a minute later', '2026-12-02T09:11:00.000Z', true],
		['a second past that: gone', '2026-12-02T09:11:01.000Z', false],
		['written in the future (a clock ahead)', '2026-12-02T08:59:00.000Z', true],
	])('a running agent %s serves: %s', (_name, now, serves) => {
		expect(agentServes(marker, new Date(now))).toBe(serves);
	});

	test('a stopped agent, or none, serves nothing', () => {
		expect(agentServes({...marker, state: 'stopped'}, new Date(marker.seenAt))).toBe(false);
		expect(agentServes(undefined, new Date(marker.seenAt))).toBe(false);
	});

	test('after a tick: seen now, the new answers first (the tick\'s last first), at most five, the error if any', () => {
		const now = new Date('2026-12-02T09:05:00.000Z');
		const next = markerAfterTick(marker, tickWith([answer('alex@example.org', 'ACCEPTED'), answer('kim@example.org', 'TENTATIVE')]), now);
		expect(next).toMatchObject({seenAt: now.toISOString(), lastTick: {at: now.toISOString()}, state: 'running', host: 'home-server'});
		expect(next.answers.map(kept => `${kept.attendee} ${kept.partstat} ${kept.at}`)).toEqual([
			`kim@example.org TENTATIVE ${now.toISOString()}`,
			`alex@example.org ACCEPTED ${now.toISOString()}`,
			`sam@example.org DECLINED ${marker.answers[0]!.at}`,
		]);
		const many = markerAfterTick(next, tickWith(Array.from({length: 6}, (_unused, index) => answer(`p${index}@example.org`, 'ACCEPTED'))), now);
		expect(many.answers.map(kept => kept.attendee)).toEqual(['p5@example.org', 'p4@example.org', 'p3@example.org', 'p2@example.org', 'p1@example.org']);
		expect(markerAfterTick(marker, tickWith([], 'relay: connection refused'), now).lastTick).toEqual({at: now.toISOString(), error: 'relay: connection refused'});
	});

	test('a COUNTER in review carries its proposal, read by the agent from the kept COUNTER; the kept calendar and origin stay home', () => {
		const counter = [
			'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'METHOD:COUNTER', 'BEGIN:VEVENT', 'UID:u1', 'DTSTAMP:20261120T100000Z', 'SEQUENCE:0',
			'ORGANIZER:mailto:org@example.com', 'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:alex@example.org', 'DTSTART:20270106T100000Z', 'DTEND:20270106T110000Z',
			'COMMENT:Wednesday works better', 'END:VEVENT', 'END:VCALENDAR', '',
		].join('\r\n');
		const outcome: MessageOutcome = {
			key: 'INBOX/1/9', messageId: null, from: 'alex@example.org', subject: 'New time proposed', eventUid: 'u1', outcome: 'review', reason: 'a new time proposed',
			changes: [], recordedAt: marker.seenAt, calendar: counter, origin: {senders: ['alex@example.org']},
		};
		const [listed] = markerReview([outcome]);
		expect(listed).not.toHaveProperty('calendar');
		expect(listed).not.toHaveProperty('origin');
		expect(listed?.proposal).toMatchObject({attendee: 'alex@example.org', start: '2027-01-06T10:00:00Z', comment: 'Wednesday works better'});
		const written = markerWithNews(marker, {review: [outcome]}, new Date(marker.seenAt));
		expect(parseAgentMarker(markerText(written))?.review).toEqual([listed]);
	});

	test('a proposal that is not one is dropped, and the review item kept without it', () => {
		const item = {key: 'INBOX/1/9', messageId: null, from: 'alex@example.org', subject: 'S', eventUid: 'u1', outcome: 'review', reason: 'r', changes: [], recordedAt: marker.seenAt};
		for (const proposal of [{attendee: 3}, {attendee: 'a@example.org', start: 7}, {attendee: 'a@example.org', comment: 'x'.repeat(5000)}, 'text', null]) {
			expect(parseAgentMarker(JSON.stringify({...marker, review: [{...item, proposal}]}))?.review).toEqual([item]);
		}

		expect(parseAgentMarker(JSON.stringify({...marker, review: [{...item, proposal: {attendee: 'a@example.org', start: '2027-01-06T10:00:00Z', extra: 'dropped'}}]}))?.review[0]?.proposal)
			.toEqual({attendee: 'a@example.org', start: '2027-01-06T10:00:00Z'});
	});

	const invitation: InvitationListing = {
		uid: 'inv-1', summary: 'Sales pitch', start: '2027-02-01T09:00:00Z', end: '2027-02-01T10:00:00Z', allDay: false, organizer: {email: 'sam@example.org', name: 'Sam'},
		partstat: 'NEEDS-ACTION', cancelled: false, listed: true, wasInJunk: false, mail: {folder: 'INBOX', uid: 12},
	};

	test('invitations for the user go through as written, and the newest list replaces the last', () => {
		const written = markerWithNews(marker, {invitations: [invitation]}, new Date(marker.seenAt));
		expect(parseAgentMarker(markerText(written))?.invitations).toEqual([invitation]);
		expect(markerWithNews(written, {}, new Date(marker.seenAt)).invitations).toEqual([invitation]);
		expect(markerWithNews(written, {invitations: []}, new Date(marker.seenAt)).invitations).toEqual([]);
		// A marker of an agent from before invitations were listed: none.
		expect(parseAgentMarker(JSON.stringify({...marker, invitations: undefined}))?.invitations).toEqual([]);
	});

	test.each([
		['no UID', {...invitation, uid: undefined}],
		['a made-up PARTSTAT', {...invitation, partstat: 'MAYBE'}],
		['a mail UID that is not one', {...invitation, mail: {folder: 'INBOX', uid: -1}}],
		['a mail UID that is text', {...invitation, mail: {folder: 'INBOX', uid: '12'}}],
		['no organizer', {...invitation, organizer: null}],
		['a summary of a megabyte', {...invitation, summary: 'x'.repeat(1_000_000)}],
		['an organizer name that is not text', {...invitation, organizer: {email: 'sam@example.org', name: 5}}],
		['flags that are not flags', {...invitation, listed: 'yes'}],
	])('an invitation with %s is left out; the others stay', (_name, bad) => {
		const parsed = parseAgentMarker(JSON.stringify({...marker, invitations: [bad, invitation, 'text', null]}));
		expect(parsed?.invitations).toEqual([invitation]);
	});

	test('at most markerInvitations invitations are read, and extra fields are not carried', () => {
		const many = Array.from({length: markerInvitations + 5}, (_unused, index) => ({...invitation, uid: `inv-${index}`, secret: 'dropped'}));
		const parsed = parseAgentMarker(JSON.stringify({...marker, invitations: many}));
		expect(parsed?.invitations).toHaveLength(markerInvitations);
		expect(parsed?.invitations[0]).toEqual({...invitation, uid: 'inv-0'});
	});
});
