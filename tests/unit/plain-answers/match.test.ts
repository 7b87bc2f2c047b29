/**
 * The plain-text matcher: real reply shapes from Gmail, Outlook and Apple Mail (tests/helpers/plain-replies.ts) lose
 * their quoted text (the relay's visibleAnswer, email-reply-parser) and are matched to the event they answer, by
 * In-Reply-To/References or by "Re: " + the invitation's subject; a stranger's mail, a mail about nothing of ours
 * and a cancelled event's answer are not matched.
 */
import {describe, expect, test} from 'vitest';
import {attendeeStatuses, buildInvite} from '../../../lib/itip/index.ts';
import type {TrackedEvent} from '../../../lib/model.ts';
import {excerptOf, matchPlainAnswer} from '../../../lib/plain-answers/match.ts';
import {answersToFor} from '../../../lib/plain-answers/relay-port.ts';
import {isReplySubject, referencedIds, subjectKey} from '../../../lib/plain-answers/threading.ts';
import type {SentInvitation} from '../../../lib/plain-answers/types.ts';
import type {PlainAnswerMessage} from '../../../lib/relay-client/types.ts';
import {visibleAnswer} from '../../../relay/plain-answers.ts';
import {replyShapes} from '../../helpers/plain-replies.ts';

const organizer = {email: 'organizer@sandbox.test', name: 'Olivia Organizer'};
const subject = 'Invitation: Quarterly planning @ Tue 1 Dec 2026 16:00 – 17:00 (Europe/Berlin)';
const invitationId = '<invite-1@sandbox.test>';

function tracked(uid: string, attendees: Array<{email: string; name?: string}>, extra: Partial<TrackedEvent> = {}): TrackedEvent {
	const spec = {
		uid, organizer, attendees, summary: 'Quarterly planning', start: '2026-12-01T16:00', end: '2026-12-01T17:00', timeZone: 'Europe/Berlin',
		now: new Date('2026-11-20T09:00:00Z'),
	};
	const built = buildInvite(spec);
	return {
		uid, href: `/cal/${uid}.ics`, etag: '"v0"', calendarUrl: '/cal/', summary: spec.summary, start: '2026-12-01T15:00:00Z', end: '2026-12-01T16:00:00Z',
		timeZone: spec.timeZone, allDay: false, sequence: 0, attendees: attendeeStatuses(built.caldav), delivery: {state: 'sent', at: '2026-11-20T09:00:00Z', rejected: []},
		cancelled: false, spec, createdAt: '2026-11-20T09:00:00Z', updatedAt: '2026-11-20T09:00:00Z', ...extra,
	};
}

const events = [
	tracked('planning', [{email: 'sam@sandbox.test', name: 'Sam'}, {email: 'alex@sandbox.test'}]),
	tracked('other', [{email: 'kim@sandbox.test'}], {createdAt: '2026-11-21T09:00:00Z'}),
];
const sent: Record<string, SentInvitation> = {planning: {messageIds: [invitationId], subjects: [subject]}, other: {messageIds: ['<other@sandbox.test>'], subjects: ['Invitation: Other']}};

function mail(options: {from: string; subject: string; body: string; inReplyTo?: string | null; references?: string[]}): PlainAnswerMessage {
	return {
		folder: 'INBOX', uid: 7, seen: false,
		headers: {
			from: {name: '', address: options.from}, sender: null, to: [], subject: options.subject, messageId: '<answer@example.org>', date: '2026-11-21T10:00:00.000Z',
			authenticationResults: [], inReplyTo: options.inReplyTo ?? null, references: options.references ?? [],
		},
		text: options.body, truncated: false, answer: visibleAnswer(options.body),
	};
}

describe('what the person wrote, quoted text removed', () => {
	test.each(replyShapes({subject, organizer: organizer.email, organizerName: organizer.name}))('$client', ({body, said, excerpt}) => {
		const answer = visibleAnswer(body);
		expect(answer).toBe(said);
		expect(answer).not.toContain(organizer.email);
		expect(excerptOf(answer)).toBe(excerpt);
	});

	test('the excerpt is the first three non-blank lines on one line, control characters removed, capped', () => {
		expect(excerptOf('Yes\r\n\r\nsee you\u0007 there\nSam\nP.S. more')).toBe('Yes see you there Sam');
		expect(excerptOf('x'.repeat(1000)).length).toBeLessThanOrEqual(300);
	});
});

describe('matchPlainAnswer', () => {
	test.each(replyShapes({subject, organizer: organizer.email, organizerName: organizer.name}))('$client answer by In-Reply-To: listed under the event for Sam', ({body, excerpt}) => {
		const found = matchPlainAnswer(mail({from: 'Sam@Sandbox.test', subject: `Re: ${subject}`, body, inReplyTo: invitationId}), 'INBOX/7/7', events, sent);
		expect(found).toMatchObject({key: 'INBOX/7/7', eventUid: 'planning', attendee: {email: 'sam@sandbox.test', name: 'Sam'}, excerpt});
	});

	test('by References alone, and by subject alone ("AW: " from a German Outlook, blanks differing)', () => {
		expect(matchPlainAnswer(mail({from: 'alex@sandbox.test', subject: 'Something else', body: 'ok', references: ['<x@y>', invitationId]}), 'k', events, sent)?.eventUid).toBe('planning');
		expect(matchPlainAnswer(mail({from: 'alex@sandbox.test', subject: `AW:  ${subject.replace(' @ ', '  @ ')}`, body: 'Ja'}), 'k', events, sent)?.eventUid).toBe('planning');
	});

	test('a stranger\'s mail, even naming the invitation, is not an answer', () => {
		expect(matchPlainAnswer(mail({from: 'mallory@evil.example', subject: `Re: ${subject}`, body: 'Yes', inReplyTo: invitationId}), 'k', events, sent)).toBeUndefined();
	});

	test('an attendee of another event answering this one, a mail naming nothing of ours, the same subject without "Re:": no answer', () => {
		expect(matchPlainAnswer(mail({from: 'kim@sandbox.test', subject: `Re: ${subject}`, body: 'Yes', inReplyTo: invitationId}), 'k', events, sent)).toBeUndefined();
		expect(matchPlainAnswer(mail({from: 'sam@sandbox.test', subject: 'Re: lunch?', body: 'Yes', inReplyTo: '<lunch@example.org>'}), 'k', events, sent)).toBeUndefined();
		expect(matchPlainAnswer(mail({from: 'sam@sandbox.test', subject, body: 'Yes'}), 'k', events, sent)).toBeUndefined();
	});

	test('a cancelled event gets no answers, and is not asked about', () => {
		const cancelled = [{...events[0]!, cancelled: true}, events[1]!];
		expect(matchPlainAnswer(mail({from: 'sam@sandbox.test', subject: `Re: ${subject}`, body: 'Yes', inReplyTo: invitationId}), 'k', cancelled, sent)).toBeUndefined();
		expect(answersToFor(Object.fromEntries(cancelled.map(event => [event.uid, event])), sent)).toEqual({messageIds: ['<other@sandbox.test>'], subjects: ['Invitation: Other']});
		expect(answersToFor({}, sent)).toBeUndefined();
	});
});

describe('threading', () => {
	test.each([
		['Re: Invitation: X', 'invitation: x'],
		['RE: AW: Sv: Invitation:   X ', 'invitation: x'],
		['Re[2]: Réf : X', 'x'],
		['回复：X', 'x'],
	])('subjectKey(%j) = %j', (subjectLine, key) => {
		expect(subjectKey(subjectLine)).toBe(key);
	});

	test('a reply subject needs a reply prefix; Message-IDs are read with their brackets, once each', () => {
		expect(isReplySubject('Re: Invitation: X', 'Invitation: X')).toBe(true);
		expect(isReplySubject('Invitation: X', 'Invitation: X')).toBe(false);
		expect(isReplySubject('Re: ', '')).toBe(false);
		expect(referencedIds('<a@b>', '<c@d> <a@b>\r\n <e@f>')).toEqual(['<a@b>', '<c@d>', '<e@f>']);
	});
});
