/**
 * The card's words for lib/itip's decisions (lib/ui/invitation-card.ts, invitation-event.ts): each kind of card from
 * a real `process` result on messages built by lib/itip, the viewer's zone beside the organizer's, links only for
 * http(s), and a stranger's message as a warning.
 */
import {describe, expect, test} from 'vitest';
import type {InvitationInspection} from '../../../lib/attendee/inspect.ts';
import {processMessage} from '../../../lib/attendee/user-copy.ts';
import type {InvitationMessage} from '../../../lib/attendee/types.ts';
import {buildCancel, buildInvite, buildReply} from '../../../lib/itip/index.ts';
import type {MessageOutcome} from '../../../lib/model.ts';
import {cardView} from '../../../lib/ui/invitation-card.ts';
import {invitationEvent, locationOf} from '../../../lib/ui/invitation-event.ts';

const now = new Date('2026-11-20T10:00:00Z');
const format = {locale: 'en-GB', timeZone: 'Europe/Berlin'};
const me = ['alex@example.org'];
const organizer = {email: 'olivia@example.com', name: 'Olivia'};

const invite = buildInvite({
	organizer,
	attendees: [{email: 'alex@example.org', name: 'Alex'}, {email: 'sam@example.net'}],
	summary: 'Planning',
	start: '2026-12-01T10:00',
	end: '2026-12-01T11:00',
	timeZone: 'America/New_York',
	location: 'Room 4, https://meet.example.org/plan',
	description: 'Bring numbers.',
	repeat: {freq: 'weekly', count: 4},
	uid: 'plan-1',
	now,
});

function inspect(message: InvitationMessage, stored: string | undefined, extra: Partial<InvitationInspection> = {}): InvitationInspection {
	return {me, result: processMessage(message, stored, me), stored: stored ?? null, record: null, replyOutcome: null, ...extra};
}

const fromOrganizer = (calendar: string): InvitationMessage => ({calendar, from: [organizer.email], authenticationResults: []});

describe('cardView', () => {
	test('a new invitation: when in the viewer\'s zone and the organizer\'s, repeat in words, place link, attendees, occurrences', () => {
		const message = fromOrganizer(invite.request);
		const view = cardView(message, inspect(message, undefined), format, now);
		expect(view).toMatchObject({kind: 'invitation', inCalendar: false, changed: []});
		if (view.kind !== 'invitation') {
			throw new Error(view.kind);
		}

		expect(view.event).toMatchObject({
			title: 'Planning',
			when: 'Tue 1 Dec, 16:00 – 17:00',
			repeat: 'every week, 4 times',
			location: {text: 'Room 4, https://meet.example.org/plan', href: 'https://meet.example.org/plan'},
			organizer: {email: organizer.email, name: 'Olivia'},
			description: 'Bring numbers.',
		});
		expect(view.event.organizerWhen).toMatch(/^Tue 1 Dec, 10:00 – 11:00 New York/);
		expect(view.event.attendees.map(attendee => `${attendee.email} ${attendee.label}`)).toEqual(['alex@example.org Waiting', 'sam@example.net Waiting']);
		expect(view.event.occurrences.map(item => item.id)).toEqual(['2026-12-01T15:00:00Z', '2026-12-08T15:00:00Z', '2026-12-15T15:00:00Z', '2026-12-22T15:00:00Z']);
		expect(view.myAnswer).toBeUndefined();
	});

	test('after answering: the stored answer is pressed and the last reply says what was sent, or that it was not', () => {
		const message = fromOrganizer(invite.request);
		const answered = buildReply(invite.request, {me, answer: 'TENTATIVE', comment: 'Late', now});
		const reply = {answer: 'TENTATIVE' as const, comment: 'Late', sequence: 0, to: organizer.email, at: now.toISOString()};
		const record = {uid: 'plan-1', href: 'h', etag: 'e', calendarUrl: 'c', summary: 'Planning', organizer: organizer.email, start: '', end: '', sequence: 0, partstat: 'TENTATIVE' as const, cancelled: false, updatedAt: ''};
		const sent = cardView(message, inspect(message, answered.caldav, {record: {...record, reply: {...reply, state: 'sent'}}}), format, now);
		expect(sent.kind === 'invitation' && sent.event.attendees.map(attendee => attendee.label)).toEqual(['Maybe', 'Waiting']);
		expect(sent).toMatchObject({kind: 'invitation', myAnswer: 'TENTATIVE', inCalendar: true, lastReply: {failed: false, text: `You answered Maybe with your comment "Late"; it was sent to ${organizer.email}. You can change your answer.`}});
		const failed = cardView(message, inspect(message, answered.caldav, {record: {...record, reply: {...reply, state: 'not-sent', error: 'The relay does not answer.'}}}), format, now);
		expect(failed).toMatchObject({lastReply: {failed: true, choice: {answer: 'TENTATIVE', comment: 'Late'}}});
		expect(failed.kind === 'invitation' && failed.lastReply?.text).toMatch(/was not sent to olivia@example\.com: The relay does not answer\./);
	});

	test('an update from the organizer says what changed', () => {
		const moved = buildInvite({organizer, attendees: [{email: 'alex@example.org'}], summary: 'Planning', start: '2026-12-01T10:00', end: '2026-12-01T11:00', timeZone: 'America/New_York', location: 'Room 5', uid: 'plan-2', now});
		const update = buildInvite({organizer, attendees: [{email: 'alex@example.org'}], summary: 'Planning', start: '2026-12-01T12:00', end: '2026-12-01T13:00', timeZone: 'America/New_York', location: 'Room 6', uid: 'plan-2', now: new Date('2026-11-21T10:00:00Z')});
		const message = fromOrganizer(update.request.replace('SEQUENCE:0', 'SEQUENCE:1'));
		expect(cardView(message, inspect(message, moved.caldav), format, now)).toMatchObject({kind: 'update', changed: ['the time', 'the place'], inCalendar: true});
	});

	test('a stranger\'s update or cancellation is a warning naming the sender, whatever the message claims', () => {
		const stored = buildReply(invite.request, {me, answer: 'ACCEPTED', now}).caldav;
		const cancel = buildCancel(invite.caldav, {now}).cancel;
		for (const calendar of [invite.request.replace('SEQUENCE:0', 'SEQUENCE:4'), cancel]) {
			const message = {calendar, from: ['mallory@evil.example'], authenticationResults: []};
			const view = cardView(message, inspect(message, stored), format, now);
			expect(view.kind).toBe('warning');
			expect(view.kind === 'warning' && view.problem).toMatch(/^Sent by mallory@evil\.example, not by the organizer olivia@example\.com/);
		}
	});

	test('a cancellation from the organizer: the whole event, or the occurrences it names', () => {
		const stored = buildReply(invite.request, {me, answer: 'ACCEPTED', now}).caldav;
		const whole = fromOrganizer(buildCancel(invite.caldav, {now}).cancel);
		expect(cardView(whole, inspect(whole, stored), format, now)).toMatchObject({kind: 'cancellation', inCalendar: true, occurrences: []});
		const one = fromOrganizer(buildCancel(invite.caldav, {now, recurrenceId: '2026-12-08T15:00:00Z'}).cancel);
		expect(cardView(one, inspect(one, stored), format, now)).toMatchObject({kind: 'cancellation', inCalendar: true, occurrences: ['Tue 8 Dec, 16:00']});
		const notStored = cardView(whole, inspect(whole, undefined), format, now);
		expect(notStored).toMatchObject({kind: 'cancellation', inCalendar: false, note: 'It is not in your calendar.'});
	});

	test('a reply to the user\'s own event: recorded, or in review with the key for apply/dismiss', () => {
		const mine = buildInvite({organizer: {email: 'alex@example.org', name: 'Alex'}, attendees: [{email: 'sam@example.net', name: 'Sam'}], summary: 'Retro', start: '2026-12-02T10:00', end: '2026-12-02T11:00', timeZone: 'Europe/Berlin', uid: 'retro', now});
		const samReply = buildReply(mine.request, {me: ['sam@example.net'], answer: 'ACCEPTED', now}).reply;
		const message = {calendar: samReply, from: ['sam@example.net'], authenticationResults: []};
		const outcome: MessageOutcome = {key: 'INBOX/1/4', messageId: '<r@x>', from: 'sam@example.net', subject: 'Accepted: Retro', eventUid: 'retro', outcome: 'applied', reason: 'Recorded.', changes: [{attendee: 'sam@example.net', partstat: 'ACCEPTED'}], recordedAt: now.toISOString()};
		expect(cardView(message, inspect(message, mine.caldav, {replyOutcome: outcome}), format, now)).toMatchObject({kind: 'reply', recorded: true, text: 'Sam accepted — recorded in your calendar'});
		const review = {...outcome, outcome: 'review' as const, reason: 'Sent from another address.', check: 'sender' as const};
		expect(cardView(message, inspect(message, mine.caldav, {replyOutcome: review}), format, now)).toMatchObject({kind: 'reply', recorded: false, review: {key: 'INBOX/1/4', check: 'sender'}});
		// Not seen by the reply loop yet: what process says it would do.
		expect(cardView(message, inspect(message, mine.caldav), format, now)).toMatchObject({kind: 'reply', recorded: false, text: 'Sam accepted — not recorded yet; the next check of your mail records it'});
	});

	test('the user\'s own invitation (its copy in Sent): the event as stored now, Edit only when the extension can open it, never the answer form', () => {
		const sent = buildInvite({organizer: {email: 'alex@example.org', name: 'Alex'}, attendees: [{email: 'sam@example.net', name: 'Sam'}], summary: 'Retro', start: '2026-12-02T10:00', end: '2026-12-02T11:00', timeZone: 'Europe/Berlin', uid: 'retro', now});
		// Since that mail, the event moved to 14:00 (an update the user sent later).
		const moved = buildInvite({organizer: {email: 'alex@example.org', name: 'Alex'}, attendees: [{email: 'sam@example.net', name: 'Sam'}], summary: 'Retro', start: '2026-12-02T14:00', end: '2026-12-02T15:00', timeZone: 'Europe/Berlin', uid: 'retro', now}).caldav.replace('SEQUENCE:0', 'SEQUENCE:1');
		const message = {calendar: sent.request, from: ['alex@example.org'], authenticationResults: []};
		const editable = cardView(message, inspect(message, moved, {editable: true}), format, now);
		expect(editable).toMatchObject({kind: 'own', editable: true, event: {uid: 'retro', title: 'Retro', when: 'Wed 2 Dec, 14:00 – 15:00'}});
		const notEditable = cardView(message, inspect(message, moved), format, now);
		expect(notEditable).toMatchObject({kind: 'own', editable: false});
		expect(notEditable.kind === 'own' && notEditable.text).toMatch(/change it where it was made/);
		// Someone else's invitation with the same UID never becomes the user's own, whatever the inspection says.
		const stranger = fromOrganizer(invite.request);
		expect(cardView(stranger, inspect(stranger, undefined, {editable: true}), format, now).kind).toBe('invitation');
	});
});

describe('invitationEvent', () => {
	test.each([
		['Room 4', undefined],
		['https://meet.example.org/x?y=1', 'https://meet.example.org/x?y=1'],
		['Call http://example.com/a now', 'http://example.com/a'],
		['javascript:alert(1)', undefined],
		['mailto:olivia@example.com', undefined],
		['data:text/html,<script>alert(1)</script>', undefined],
	])('a link only for http(s): %s', (text, href) => {
		expect(locationOf(text).href).toBe(href);
	});

	test('control characters and bidi overrides in a stranger\'s text are removed', () => {
		const text = invite.request.replace('SUMMARY:Planning', 'SUMMARY:Pay\u202Enow\u0007');
		expect(invitationEvent(text, format, now)?.title).toBe('Pay now');
	});
});
