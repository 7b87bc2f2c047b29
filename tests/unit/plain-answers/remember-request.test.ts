/**
 * Calendar-app scheduling (lib/scheduling) remembers the REQUESTs it sends the way the invite flows do (one rule,
 * lib/plain-answers/remember-request.ts), so that an attendee's plain-mail "Yes" to such an invitation is matched.
 * Calendar and relay are faked (what is tested is what happens after the relay accepted a mail); the scheduling
 * tick, the mail it composes, the extension's storage (WXT's fake browser) and the matcher are the real ones.
 */
import PostalMime from 'postal-mime';
import {beforeEach, describe, expect, test} from 'vitest';
import {fakeBrowser} from 'wxt/testing';
import type {SyncCollectionResult} from '../../../lib/caldav/index.ts';
import {matchPlainAnswer} from '../../../lib/plain-answers/match.ts';
import {rememberSentInvitation} from '../../../lib/plain-answers/storage-store.ts';
import type {RememberSent} from '../../../lib/plain-answers/remember-request.ts';
import type {PlainAnswerMessage, SendRequest, SendResponse} from '../../../lib/relay-client/types.ts';
import {runScheduling, type SchedulingDeps} from '../../../lib/scheduling/index.ts';
import {createSchedulingStore} from '../../../lib/scheduling/storage-store.ts';
import {eventsItem, schedulingLogItem, sentInvitationsItem} from '../../../lib/storage.ts';

const me = {email: 'olivia@sandbox.test', name: 'Olivia'};
const calendarUrl = 'https://dav.sandbox.test/olivia/calendar/';
const attendees = ['alex@sandbox.test', 'sam@sandbox.test'];

/** A meeting as a calendar app writes it: no METHOD, SEQUENCE 0, the user as organizer. */
function meeting(uid: string, summary: string): string {
	return [
		'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Other app//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261201T090000Z',
		'DTSTART:20270115T100000Z', 'DTEND:20270115T110000Z', `SUMMARY:${summary}`, 'SEQUENCE:0', `ORGANIZER:mailto:${me.email}`,
		...attendees.map(address => `ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:${address}`),
		'END:VEVENT', 'END:VCALENDAR', '',
	].join('\r\n');
}

type Sent = {request: SendRequest; response: SendResponse; subject: string; method: string | undefined};

/**
 * One calendar whose next sync reports `changes`, and a relay that accepts (or refuses) every recipient and answers
 * with the mail's own Message-ID, as the real relay does. `sent` lists what went out, read back with postal-mime.
 */
type World = {
	deps: SchedulingDeps;
	sent: Sent[];
	/** The calendar app's next change, then one scheduling tick. */
	change(change: {changed?: Array<{href: string; ics: string}>; removed?: string[]}): ReturnType<typeof runScheduling>;
};

function world(options: {refuseAll?: boolean; rememberSent?: RememberSent} = {}): World {
	let next: SyncCollectionResult = {kind: 'changes', token: 't1', changed: [], removed: []};
	const sent: Sent[] = [];
	const deps: SchedulingDeps = {
		caldav: {
			syncCollection: async () => next,
			collectionState: async () => ({syncToken: 't0'}),
			listEvents: async () => [],
			readEvents: async () => [],
			updateEvent: async () => {
				throw new Error('no write-back expected');
			},
		} as unknown as SchedulingDeps['caldav'],
		calendars: [calendarUrl],
		relay: {
			async send(request) {
				const parsed = await PostalMime.parse(request.raw);
				const calendar = parsed.attachments.find(attachment => attachment.mimeType === 'text/calendar');
				const response: SendResponse = {
					messageId: parsed.messageId ?? null,
					accepted: options.refuseAll ? [] : request.envelope.to,
					rejected: options.refuseAll ? request.envelope.to.map(address => ({address, reason: '550 no such user'})) : [],
				};
				sent.push({request, response, subject: parsed.subject ?? '', method: calendar?.method?.toUpperCase()});
				return response;
			},
		},
		account: {user: me.email, password: 'pw', imap: {host: 'imap.sandbox.test', port: 143, secure: false}, smtp: {host: 'smtp.sandbox.test', port: 587, secure: false}} as unknown as SchedulingDeps['account'],
		from: me,
		me: [me.email],
		store: createSchedulingStore(me),
		rememberSent: options.rememberSent ?? rememberSentInvitation,
		backoff: {attempts: 1, baseMs: 1},
	};
	return {
		deps,
		sent,
		async change(change) {
			next = {kind: 'changes', token: `t${sent.length + 2}`, changed: (change.changed ?? []).map(object => ({...object, etag: `"${object.href}-${sent.length}"`})), removed: change.removed ?? []};
			return runScheduling(deps);
		},
	};
}

/** An attendee's plain-mail answer to a mail, as the relay returns it (threaded by In-Reply-To). */
function plainYes(from: string, inReplyTo: string | null, subject: string): PlainAnswerMessage {
	return {
		folder: 'INBOX', uid: 9, seen: false,
		headers: {
			from: {name: '', address: from}, sender: null, to: [], subject: `Re: ${subject}`, messageId: '<yes@example.org>', date: '2026-12-02T10:00:00.000Z',
			authenticationResults: [], inReplyTo, references: inReplyTo ? [inReplyTo] : [],
		},
		text: 'Yes, I\'ll be there', truncated: false, answer: 'Yes, I\'ll be there',
	};
}

beforeEach(() => {
	fakeBrowser.reset();
});

describe('calendar-app scheduling remembers its REQUESTs for plain-mail answers', () => {
	test('a REQUEST sent for a meeting made in another app is remembered, and a plain "Yes" to it is matched; the CANCEL after it is not remembered', async () => {
		const {change, sent} = world();
		expect((await change({})).baselines).toBe(1);

		await change({changed: [{href: `${calendarUrl}sync.ics`, ics: meeting('app-sync', 'Team sync')}]});
		expect(sent.map(mail => mail.method)).toEqual(['REQUEST']);
		const request = sent[0]!;
		expect(request.response.messageId).toMatch(/^<.+>$/);
		expect(await sentInvitationsItem.getValue()).toEqual({'app-sync': {messageIds: [request.response.messageId], subjects: [request.subject]}});

		// The attendee answers "Yes" from a mail client that knows no iTIP: matched to the event, by Message-ID and by subject.
		const [events, remembered] = await Promise.all([eventsItem.getValue(), sentInvitationsItem.getValue()]);
		expect(matchPlainAnswer(plainYes(attendees[0]!, request.response.messageId, request.subject), 'INBOX/1/9', Object.values(events), remembered))
			.toMatchObject({eventUid: 'app-sync', attendee: {email: attendees[0]}, excerpt: 'Yes, I\'ll be there'});
		expect(matchPlainAnswer(plainYes(attendees[1]!, null, request.subject), 'INBOX/1/10', Object.values(events), remembered))
			.toMatchObject({eventUid: 'app-sync', attendee: {email: attendees[1]}});

		await change({removed: [`${calendarUrl}sync.ics`]});
		expect(sent.map(mail => mail.method)).toEqual(['REQUEST', 'CANCEL']);
		expect(await sentInvitationsItem.getValue()).toEqual({'app-sync': {messageIds: [request.response.messageId], subjects: [request.subject]}});
	});

	test('a REQUEST every recipient refused is not remembered: nobody can answer it', async () => {
		const {change, sent} = world({refuseAll: true});
		await change({});
		await change({changed: [{href: `${calendarUrl}refused.ics`, ics: meeting('app-refused', 'Refused sync')}]});
		expect(sent.map(mail => mail.method)).toEqual(['REQUEST']);
		expect(await sentInvitationsItem.getValue()).toEqual({});
	});

	test('a failure to remember does not make the mail count as unsent: it leaves the outbox once and is logged', async () => {
		const failing: RememberSent = async () => {
			throw new Error('storage quota exceeded');
		};

		const {change, sent} = world({rememberSent: failing});
		await change({});
		const result = await change({changed: [{href: `${calendarUrl}quota.ics`, ics: meeting('app-quota', 'Quota sync')}]});
		expect(result.error).toBeUndefined();
		expect(result.sent).toHaveLength(1);
		expect((await schedulingLogItem.getValue()).map(record => record.uid)).toEqual(['app-quota']);
		// The next tick has nothing left to send.
		await change({});
		expect(sent).toHaveLength(1);
	});
});
