/**
 * Recording a plain-mail answer on the organizer's copy (no mail): written as the REPLY the attendee would have sent,
 * through applyReply, so its ordering holds: a later real REPLY still wins, an older one does not undo it.
 */
import {describe, expect, test} from 'vitest';
import {applyReply, attendeeStatuses, buildInvite} from '../../../lib/itip/index.ts';
import {recordPlainAnswer, replyOnBehalf} from '../../../lib/plain-answers/record.ts';
import type {PlainAnswer} from '../../../lib/plain-answers/types.ts';
import {makeReply} from '../../helpers/make-reply.ts';
import {fakeCalendar} from '../../helpers/reply-loop-fakes.ts';

const organizer = 'olivia@example.org';
const stored = buildInvite({
	uid: 'e1', organizer: {email: organizer, name: 'Olivia'}, attendees: [{email: 'sam@example.org', name: 'Sam'}, {email: 'alex@example.org'}],
	summary: 'Sync', start: '2026-12-01T16:00', end: '2026-12-01T17:00', timeZone: 'Europe/Berlin', now: new Date('2026-11-20T09:00:00Z'),
}).caldav;
const answer: PlainAnswer = {key: 'INBOX/7/3', eventUid: 'e1', attendee: {email: 'sam@example.org', name: 'Sam'}, excerpt: 'Yes, see you', subject: 'Re: Sync', date: null, messageId: '<m@x>'};

function partstatOf(ics: string, email: string): string | undefined {
	return attendeeStatuses(ics).find(status => status.email === email)?.partstat;
}

describe('recordPlainAnswer', () => {
	test.each(['ACCEPTED', 'TENTATIVE', 'DECLINED'] as const)('%s goes on the event for Sam only, read then written with If-Match', async partstat => {
		const calendar = fakeCalendar();
		calendar.objects.set('/cal/e1.ics', {ics: stored, etag: '"v0"'});
		const recorded = await recordPlainAnswer(calendar, '/cal/e1.ics', answer, partstat, [organizer], () => new Date('2026-11-21T10:00:00Z'));
		expect(recorded.result.outcome).toBe('applied');
		expect(calendar.writes).toBe(1);
		const after = calendar.objects.get('/cal/e1.ics')!.ics;
		expect(partstatOf(after, 'sam@example.org')).toBe(partstat);
		expect(partstatOf(after, 'alex@example.org')).toBe('NEEDS-ACTION');
		expect(recorded.etag).toBe(calendar.objects.get('/cal/e1.ics')!.etag);
	});

	test('a real REPLY Sam sent later wins; one stamped before the recorded answer does not undo it', () => {
		const reply = replyOnBehalf(stored, answer, 'ACCEPTED', new Date('2026-11-21T10:00:00Z'))!;
		expect(reply).toContain('COMMENT:By e-mail: Yes\\, see you');
		const recorded = applyReply(stored, reply, {senders: ['sam@example.org'], me: [organizer], now: new Date('2026-11-21T10:00:00Z')});
		expect(partstatOf(recorded.event, 'sam@example.org')).toBe('ACCEPTED');
		const older = applyReply(recorded.event, makeReply({uid: 'e1', organizer, attendee: 'sam@example.org', partstat: 'DECLINED', dtstamp: '20261120T100000Z'}), {senders: ['sam@example.org'], me: [organizer], now: new Date('2026-11-22T10:00:00Z')});
		expect(older.outcome).not.toBe('applied');
		const later = applyReply(recorded.event, makeReply({uid: 'e1', organizer, attendee: 'sam@example.org', partstat: 'DECLINED', dtstamp: '20261122T100000Z'}), {senders: ['sam@example.org'], me: [organizer], now: new Date('2026-11-22T10:00:00Z')});
		expect(partstatOf(later.event, 'sam@example.org')).toBe('DECLINED');
	});

	test('an event the user does not organize is not written', async () => {
		const calendar = fakeCalendar();
		calendar.objects.set('/cal/e1.ics', {ics: stored, etag: '"v0"'});
		const recorded = await recordPlainAnswer(calendar, '/cal/e1.ics', answer, 'ACCEPTED', ['someone-else@example.org']);
		expect(recorded.result.outcome).toBe('ignored');
		expect(calendar.writes).toBe(0);
	});
});
