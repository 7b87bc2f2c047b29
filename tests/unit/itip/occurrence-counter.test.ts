/**
 * One occurrence changed (override + REQUEST with RECURRENCE-ID, RFC 5546 §4.4.3), COUNTER proposals read back
 * (§3.2.7) and DECLINECOUNTER (§3.2.8).
 */
import ICAL from 'ical.js';
import {describe, expect, test} from 'vitest';
import {
	applyReply, buildDeclineCounter, buildInvite, buildOccurrenceUpdate, buildUpdate, readCounterProposal, type OccurrenceChanges,
} from '../../../lib/itip/index.ts';
import {attendeeParameter, eventsByOccurrence, eventValue, partStats} from '../../helpers/itip-semantic.ts';

const later = new Date('2026-11-05T09:00:00Z');
const base = {
	uid: 'weekly-occ@example.com',
	organizer: {email: 'org@example.com', name: 'Org'},
	attendees: [{email: 'ann@example.org', name: 'Ann'}, {email: 'bob@example.org'}],
	summary: 'Weekly',
	start: '2026-12-01T10:00',
	end: '2026-12-01T11:00',
	timeZone: 'Europe/Berlin',
	location: 'Room 1',
	now: new Date('2026-11-01T09:00:00Z'),
};
const weekly = buildInvite({...base, repeat: {freq: 'weekly', count: 10}}).caldav;
const single = buildInvite(base).caldav;

function reply(lines: readonly string[], from = 'ann@example.org'): string {
	return applyReply(weekly, ['BEGIN:VCALENDAR', 'METHOD:REPLY', 'BEGIN:VEVENT', `UID:${base.uid}`, 'DTSTAMP:20261102T100000Z', 'SEQUENCE:0', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n'), {senders: [from], me: ['org@example.com']}).event;
}

function method(text: string | null): unknown {
	return text === null ? null : new ICAL.Component(ICAL.parse(text) as unknown[]).getFirstPropertyValue('method');
}

/** Ann accepted the whole series. */
const accepted = reply(['ATTENDEE;PARTSTAT=ACCEPTED:mailto:ann@example.org']);

describe('buildOccurrenceUpdate: one occurrence moved or changed', () => {
	test('moving 8 Dec: an override on the stored copy, a REQUEST holding only that override, answers for it reset', () => {
		const update = buildOccurrenceUpdate(accepted, {recurrenceId: '2026-12-08T10:00', start: '2026-12-08T14:00', end: '2026-12-08T15:00', now: later});
		expect(update.recurrenceId).toBe('2026-12-08T09:00:00Z');
		expect(update.significant).toBe(true);
		expect(update.sequence).toBe(1);
		expect(update.recipients).toEqual(['ann@example.org', 'bob@example.org']);

		const stored = eventsByOccurrence(update.caldav);
		expect([...stored.keys()]).toEqual(['master', '2026-12-08T09:00:00Z']);
		const override = stored.get('2026-12-08T09:00:00Z')!;
		expect(override.getFirstProperty('dtstart')?.toICALString()).toBe('DTSTART;TZID=Europe/Berlin:20261208T140000');
		expect(override.getFirstProperty('recurrence-id')?.toICALString()).toBe('RECURRENCE-ID;TZID=Europe/Berlin:20261208T100000');
		expect(override.hasProperty('rrule')).toBe(false);
		// The master is untouched: its answers and SEQUENCE stay.
		expect(eventValue(update.caldav, 'master', 'sequence')).toBe(0);
		expect(partStats(update.caldav).master?.['ann@example.org']).toBe('ACCEPTED');
		expect(partStats(update.caldav)['2026-12-08T09:00:00Z']).toEqual({'org@example.com': 'ACCEPTED', 'ann@example.org': 'NEEDS-ACTION', 'bob@example.org': 'NEEDS-ACTION'});
		expect(attendeeParameter(update.caldav, '2026-12-08T09:00:00Z', 'ann@example.org', 'rsvp')).toBe('TRUE');
		expect(method(update.caldav)).toBeNull();

		expect(method(update.request)).toBe('REQUEST');
		const mailed = eventsByOccurrence(update.request!);
		expect([...mailed.keys()]).toEqual(['2026-12-08T09:00:00Z']);
		expect(mailed.get('2026-12-08T09:00:00Z')?.getFirstPropertyValue('sequence')).toBe(1);
		expect(update.request).toMatch(/BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin/);
	});

	test('an occurrence that already had an override (Ann declined it) is changed in place', () => {
		const declined = reply(['RECURRENCE-ID:20261208T090000Z', 'ATTENDEE;PARTSTAT=DECLINED:mailto:ann@example.org']);
		const update = buildOccurrenceUpdate(declined, {recurrenceId: '2026-12-08T09:00:00Z', start: '2026-12-08T16:00', end: '2026-12-08T17:00', now: later});
		expect([...eventsByOccurrence(update.caldav).keys()]).toEqual(['master', '2026-12-08T09:00:00Z']);
		expect(partStats(update.caldav)['2026-12-08T09:00:00Z']?.['ann@example.org']).toBe('NEEDS-ACTION');
	});

	test.each([
		// [label, changes, significant, SEQUENCE, Ann's PARTSTAT on the occurrence]
		['a new place: SEQUENCE+1, answers kept', {location: 'Room 2'}, true, 1, 'ACCEPTED'],
		['a new title: same SEQUENCE, answers kept', {summary: 'Weekly (short)'}, false, 0, 'ACCEPTED'],
	] as Array<[string, Omit<OccurrenceChanges, 'recurrenceId'>, boolean, number, string]>)('%s', (_label, changes, significant, sequence, partstat) => {
		// Ann accepted the 8 Dec occurrence on its own, so the override exists and holds her answer.
		const answered = reply(['RECURRENCE-ID:20261208T090000Z', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:ann@example.org']);
		const update = buildOccurrenceUpdate(answered, {recurrenceId: '2026-12-08T10:00', ...changes, now: later});
		expect(update.significant).toBe(significant);
		expect(update.sequence).toBe(sequence);
		expect(update.request).not.toBeNull();
		expect(partStats(update.caldav)['2026-12-08T09:00:00Z']?.['ann@example.org']).toBe(partstat);
	});

	test('nothing changed: no REQUEST, the stored copy as it was', () => {
		const update = buildOccurrenceUpdate(weekly, {recurrenceId: '2026-12-08T10:00', start: '2026-12-08T10:00', end: '2026-12-08T11:00', now: later});
		expect(update.request).toBeNull();
		expect(update.recipients).toEqual([]);
		expect([...eventsByOccurrence(update.caldav).keys()]).toEqual(['master']);
	});

	test('a later change of the whole series carries the moved occurrence along as its own (buildUpdate)', () => {
		const moved = buildOccurrenceUpdate(weekly, {recurrenceId: '2026-12-08T10:00', start: '2026-12-08T14:00', end: '2026-12-08T15:00', now: later}).caldav;
		const series = buildUpdate(moved, {location: 'Room 3', now: later});
		expect(eventValue(series.caldav, '2026-12-08T09:00:00Z', 'location')).toBe('Room 3');
		expect(eventsByOccurrence(series.caldav).get('2026-12-08T09:00:00Z')?.getFirstProperty('dtstart')?.toICALString()).toBe('DTSTART;TZID=Europe/Berlin:20261208T140000');
	});

	test.each([
		['recurrenceId', {recurrenceId: '2026-12-08T11:00'}, weekly],
		['recurrenceId', {recurrenceId: '2026-12-01T10:00'}, single],
		['end', {recurrenceId: '2026-12-08T10:00', start: '2026-12-08T12:00'}, weekly],
		['end', {recurrenceId: '2026-12-08T10:00', start: '2026-12-08T12:00', end: '2026-12-08T11:00'}, weekly],
		['summary', {recurrenceId: '2026-12-08T10:00', summary: ' '}, weekly],
		['colour', {recurrenceId: '2026-12-08T10:00', colour: 'red'}, weekly],
	] as Array<[string, OccurrenceChanges, string]>)('misuse throws InvalidSpecError naming %s', (field, changes, stored) => {
		expect(() => buildOccurrenceUpdate(stored, changes)).toThrowError(expect.objectContaining({name: 'InvalidSpecError', field}) as Error);
	});
});

const counterText = (lines: readonly string[]): string => [
	'BEGIN:VCALENDAR', 'METHOD:COUNTER', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN', 'VERSION:2.0', 'BEGIN:VEVENT', `UID:${base.uid}`,
	'DTSTAMP:20261103T100000Z', 'SEQUENCE:0', 'ORGANIZER:mailto:org@example.com', 'ATTENDEE;PARTSTAT=TENTATIVE:mailto:ann@example.org',
	...lines, 'END:VEVENT', 'END:VCALENDAR', '',
].join('\r\n');

describe('COUNTER proposals and DECLINECOUNTER', () => {
	test('the proposal is read with its time, occurrence and comment', () => {
		const counter = counterText(['RECURRENCE-ID:20261208T090000Z', 'DTSTART:20261208T130000Z', 'DTEND:20261208T140000Z', 'COMMENT:Afternoon works better']);
		expect(readCounterProposal(counter, ['ann@example.org'])).toEqual({
			attendee: 'ann@example.org', start: '2026-12-08T13:00:00Z', end: '2026-12-08T14:00:00Z', recurrenceId: '2026-12-08T09:00:00Z', comment: 'Afternoon works better',
		});
		expect(readCounterProposal(counter.replace('METHOD:COUNTER', 'METHOD:REPLY'), ['ann@example.org'])).toBeUndefined();
		expect(readCounterProposal('not iCalendar', ['ann@example.org'])).toBeUndefined();
	});

	test('the RFC 2446 spec sample COUNTER is read: the sender among its attendees proposes, DTSTART/DTEND and comment kept', async () => {
		const {readFile} = await import('node:fs/promises');
		const text = await readFile(new URL('../../../../shared/fixtures/itip/samples/spec-rfc2446-all-methods-COUNTER-DECLINECOUNTER-REFRESH.ics', import.meta.url), 'utf8');
		const counter = text.split(/(?=BEGIN:VCALENDAR)/).find(part => /METHOD:COUNTER/.test(part))!;
		const proposal = readCounterProposal(counter, ['b@example.com']);
		expect(proposal).toMatchObject({attendee: 'b@example.com', start: '1997-07-01T16:00:00Z', end: '1997-07-01T19:00:00Z'});
		expect(proposal?.comment).toMatch(/big conference\s*room is too big/);
	});

	test('DECLINECOUNTER goes to the proposer alone, echoes UID, SEQUENCE and RECURRENCE-ID, and carries the comment', () => {
		const moved = buildUpdate(weekly, {location: 'Room 5', now: later}).caldav;
		const counter = counterText(['RECURRENCE-ID:20261208T090000Z', 'DTSTART:20261208T130000Z', 'DTEND:20261208T140000Z']).replace('SEQUENCE:0', 'SEQUENCE:1');
		const built = buildDeclineCounter(moved, counter, {proposer: 'Ann@Example.org', comment: 'The room is taken then', now: later});
		expect(built.recipients).toEqual(['ann@example.org']);
		expect(method(built.declineCounter)).toBe('DECLINECOUNTER');
		const events = eventsByOccurrence(built.declineCounter);
		expect([...events.keys()]).toEqual(['2026-12-08T09:00:00Z']);
		const event = events.get('2026-12-08T09:00:00Z')!;
		expect(event.getFirstPropertyValue('uid')).toBe(base.uid);
		expect(event.getFirstPropertyValue('sequence')).toBe(1);
		expect(event.getFirstPropertyValue('organizer')).toBe('mailto:org@example.com');
		expect(event.getAllProperties('attendee').map(property => property.getFirstValue())).toEqual(['mailto:ann@example.org']);
		expect(event.getFirstPropertyValue('comment')).toBe('The room is taken then');
		expect(event.hasProperty('dtstamp')).toBe(true);
		// §3.2.8: the proposal itself is not echoed back.
		expect(event.hasProperty('dtstart')).toBe(false);
	});

	test.each([
		['counter', 'nope', 'ann@example.org'],
		['counter', counterText([]).replace(`UID:${base.uid}`, 'UID:other@example.com'), 'ann@example.org'],
		['proposer', counterText([]), 'org@example.com'],
	])('misuse throws InvalidSpecError naming %s', (field, counter, proposer) => {
		expect(() => buildDeclineCounter(single, counter, {proposer})).toThrowError(expect.objectContaining({name: 'InvalidSpecError', field}) as Error);
	});
});
