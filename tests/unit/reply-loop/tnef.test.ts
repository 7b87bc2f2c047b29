/**
 * An Outlook answer that exists only as winmail.dat, read by the relay (relay/tnef.ts on the real Exchange fixture),
 * goes through the reply loop like any REPLY: applied on the event it names; TNEF with no answer in it is ignored
 * with the relay's reason.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import PostalMime from 'postal-mime';
import {describe, expect, test} from 'vitest';
import {attendeeStatuses, buildInvite, replyFromTnef} from '../../../lib/itip/index.ts';
import type {TrackedEvent} from '../../../lib/model.ts';
import {runTick} from '../../../lib/reply-loop/index.ts';
import type {CalendarPart} from '../../../lib/relay-client/types.ts';
import {readTnef} from '../../../relay/tnef.ts';
import {fakeCalendar, fakeRelay, memoryStore, replyMessage} from '../../helpers/reply-loop-fakes.ts';

const samples = path.resolve(import.meta.dirname, '../../../../shared/fixtures/itip/samples');
const organizer = 'olivia@example.org';

async function exchangeAnswer(): Promise<{part: CalendarPart; from: string}> {
	const email = await PostalMime.parse(readFileSync(path.join(samples, 'exchange-REPLY-tnef-winmail-zugesagt.eml')));
	const winmail = email.attachments.find(attachment => attachment.filename === 'winmail.dat')!;
	const bytes = Buffer.from(winmail.content as ArrayBuffer);
	const part: CalendarPart = {part: '2', contentType: 'application/ms-tnef', filename: 'winmail.dat', encoding: 'base64', text: bytes.toString('base64'), tnef: await readTnef(bytes)};
	return {part, from: email.from!.address!};
}

function tracked(uid: string, attendees: string[]): {tracked: TrackedEvent; ics: string} {
	const spec = {
		uid, organizer: {email: organizer, name: 'Olivia'}, attendees: attendees.map(email => ({email})), summary: 'Infoveranstaltung',
		start: '2026-12-01T16:00', end: '2026-12-01T17:00', timeZone: 'Europe/Berlin', now: new Date('2026-11-20T09:00:00Z'),
	};
	const built = buildInvite(spec);
	return {
		ics: built.caldav,
		tracked: {
			uid, href: '/cal/x.ics', etag: '"v0"', calendarUrl: '/cal/', summary: spec.summary, start: '2026-12-01T15:00:00Z', end: '2026-12-01T16:00:00Z',
			timeZone: spec.timeZone, allDay: false, sequence: 0, attendees: attendeeStatuses(built.caldav),
			delivery: {state: 'sent', at: '2026-11-20T09:00:00Z', rejected: []}, cancelled: false, spec, createdAt: '2026-11-20T09:00:00Z', updatedAt: '2026-11-20T09:00:00Z',
		},
	};
}

describe('TNEF answers in the reply loop', () => {
	test('the Exchange "Zugesagt" winmail.dat marks its sender ACCEPTED on the event it names', async () => {
		const {part, from} = await exchangeAnswer();
		expect(part.tnef?.kind).toBe('meeting-response');
		const uid = part.tnef?.kind === 'meeting-response' ? part.tnef.uid : '';
		const event = tracked(uid, [from.toLowerCase(), 'sam@example.org']);
		const calendar = fakeCalendar();
		calendar.objects.set('/cal/x.ics', {ics: event.ics, etag: '"v0"'});
		const message = replyMessage(1, '', from);
		message.calendarParts = [part];
		const store = memoryStore([event.tracked]);
		const result = await runTick({relay: fakeRelay([message]), calendar, store, account: {user: organizer, password: 'x'}, me: [organizer]});
		expect(result.outcomes.map(outcome => [outcome.outcome, outcome.eventUid])).toEqual([['applied', uid]]);
		const after = attendeeStatuses(calendar.objects.get('/cal/x.ics')!.ics);
		expect(after.find(status => status.email === from.toLowerCase())?.partstat).toBe('ACCEPTED');
		expect(after.find(status => status.email === 'sam@example.org')?.partstat).toBe('NEEDS-ACTION');
	});

	test('the REPLY it stands for: METHOD:REPLY, the UID, one ATTENDEE with the answer, DTSTAMP from Outlook\'s send time', async () => {
		const {part} = await exchangeAnswer();
		if (part.tnef?.kind !== 'meeting-response') {
			throw new Error('the fixture should read as a meeting response');
		}

		const text = replyFromTnef(part.tnef);
		expect(text).toMatch(/^METHOD:REPLY\r$/m);
		expect(text.replaceAll('\r\n ', '')).toContain(`UID:${part.tnef.uid}`);
		expect(text.match(/^ATTENDEE/gm)).toHaveLength(1);
		expect(text.replaceAll('\r\n ', '')).toMatch(new RegExp(`PARTSTAT=ACCEPTED.*:mailto:${part.tnef.attendee.address.replaceAll('.', String.raw`\.`)}`, 'i'));
		expect(text).toContain(`DTSTAMP:${part.tnef.sentAt!.replaceAll(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`);
	});

	test('TNEF that holds no answer is ignored with the relay\'s reason, and nothing is written', async () => {
		const event = tracked('e1', ['alex@example.org']);
		const calendar = fakeCalendar();
		calendar.objects.set('/cal/x.ics', {ics: event.ics, etag: '"v0"'});
		const message = replyMessage(1, '', 'alex@example.org');
		const reason = 'The winmail.dat (Outlook TNEF) attachment holds no answer to an invitation (message class IPM.Note).';
		message.calendarParts = [{part: '2', contentType: 'application/ms-tnef', filename: 'winmail.dat', encoding: 'base64', text: 'eJ8+Ig==', tnef: {kind: 'none', reason}}];
		const result = await runTick({relay: fakeRelay([message]), calendar, store: memoryStore([event.tracked]), account: {user: organizer, password: 'x'}, me: [organizer]});
		expect(result.outcomes.map(outcome => [outcome.outcome, outcome.reason])).toEqual([['ignored', reason]]);
		expect(calendar.writes).toBe(0);
	});
});
