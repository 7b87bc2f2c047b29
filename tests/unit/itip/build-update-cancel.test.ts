/**
 * buildUpdate and buildCancel: SEQUENCE rules (RFC 5546 §2.1.4), who gets a REQUEST or a CANCEL, and the stored copy.
 */
import ICAL from 'ical.js';
import {describe, expect, test} from 'vitest';
import {applyReply, buildCancel, buildInvite, buildUpdate, InvalidSpecError, InvalidStoredEventError, type EventChanges} from '../../../lib/itip/index.ts';
import {attendeeParameter, eventsByOccurrence, eventValue, partStats} from '../../helpers/itip-semantic.ts';

const later = new Date('2026-11-05T09:00:00Z');
const base = {
	uid: 'weekly-2@example.com',
	organizer: {email: 'org@example.com', name: 'Org'},
	attendees: [{email: 'ann@example.org', name: 'Ann'}, {email: 'bob@example.org'}],
	summary: 'Weekly',
	start: '2026-12-01T10:00',
	end: '2026-12-01T11:00',
	timeZone: 'Europe/Berlin',
	now: new Date('2026-11-01T09:00:00Z'),
};
const single = buildInvite(base).caldav;
const weekly = buildInvite({...base, repeat: {freq: 'weekly', count: 10}}).caldav;

/** The stored event after Ann accepted (so a reset is visible). */
const answered = (stored: string): string => applyReply(stored, [
	'BEGIN:VCALENDAR', 'METHOD:REPLY', 'BEGIN:VEVENT', `UID:${base.uid}`, 'DTSTAMP:20261102T100000Z', 'SEQUENCE:0',
	'ATTENDEE;PARTSTAT=ACCEPTED:mailto:ann@example.org', 'END:VEVENT', 'END:VCALENDAR', '',
].join('\r\n'), {senders: ['ann@example.org'], me: ['org@example.com']}).event;

function method(text: string | null): unknown {
	return text === null ? null : new ICAL.Component(ICAL.parse(text) as unknown[]).getFirstPropertyValue('method');
}

describe('buildUpdate: SEQUENCE and PARTSTAT (RFC 5546 §2.1.4)', () => {
	test.each([
		// [label, changes, SEQUENCE after, Ann's PARTSTAT after]
		['new time → SEQUENCE+1, answers reset', {start: '2026-12-01T12:00', end: '2026-12-01T13:00'}, 1, 'NEEDS-ACTION'],
		['new zone, same wall clock → a new time too', {start: '2026-12-01T10:00', end: '2026-12-01T11:00', timeZone: 'Europe/London'}, 1, 'NEEDS-ACTION'],
		['made all-day → new time', {start: '2026-12-01', end: '2026-12-02', allDay: true}, 1, 'NEEDS-ACTION'],
		['new repeat rule → SEQUENCE+1, answers reset', {repeat: {freq: 'daily', count: 3}}, 1, 'NEEDS-ACTION'],
		['new place → SEQUENCE+1, answers kept', {location: 'Elsewhere'}, 1, 'ACCEPTED'],
		['new title → same SEQUENCE, answers kept', {summary: 'Weekly sync'}, 0, 'ACCEPTED'],
		['new description → same SEQUENCE', {description: 'Bring numbers'}, 0, 'ACCEPTED'],
		['same time again → nothing significant', {start: '2026-12-01T10:00', end: '2026-12-01T11:00'}, 0, 'ACCEPTED'],
		['someone removed → SEQUENCE+1 (the CANCEL must be newer)', {removeAttendees: ['bob@example.org']}, 1, 'ACCEPTED'],
		['someone added → same SEQUENCE', {addAttendees: [{email: 'carol@example.org'}]}, 0, 'ACCEPTED'],
	] as Array<[string, EventChanges, number, string]>)('%s', (_label, changes, sequence, partstat) => {
		const update = buildUpdate(answered(single), {...changes, now: later});
		expect(update.sequence).toBe(sequence);
		expect(update.significant).toBe(sequence === 1);
		expect(eventValue(update.caldav, 'master', 'sequence')).toBe(sequence);
		expect(partStats(update.caldav).master?.['ann@example.org']).toBe(partstat);
		if (partstat === 'NEEDS-ACTION') {
			expect(attendeeParameter(update.caldav, 'master', 'ann@example.org', 'rsvp')).toBe('TRUE');
		}

		// The organizer's own answer is never reset.
		expect(partStats(update.caldav).master?.['org@example.com']).toBe('ACCEPTED');
	});

	test('who gets what: content changes go to everyone, additions only to the new, removals get a CANCEL', () => {
		const update = buildUpdate(single, {summary: 'Renamed', addAttendees: [{email: 'carol@example.org', optional: true}], removeAttendees: ['bob@example.org'], now: later});
		expect(update.requestRecipients).toEqual(['ann@example.org', 'carol@example.org']);
		expect(update.cancelRecipients).toEqual(['bob@example.org']);
		expect(method(update.request)).toBe('REQUEST');
		expect(method(update.cancel)).toBe('CANCEL');
		expect(method(update.caldav)).toBeNull();
		expect(partStats(update.caldav).master).toEqual({'org@example.com': 'ACCEPTED', 'ann@example.org': 'NEEDS-ACTION', 'carol@example.org': 'NEEDS-ACTION'});
		expect(attendeeParameter(update.caldav, 'master', 'carol@example.org', 'role')).toBe('OPT-PARTICIPANT');
		// RFC 5546 §3.2.5: a CANCEL that uninvites attendees names them and MUST NOT carry STATUS.
		const cancelEvent = eventsByOccurrence(update.cancel!).get('master')!;
		expect(cancelEvent.getAllProperties('attendee').map(property => property.getFirstValue())).toEqual(['mailto:bob@example.org']);
		expect(cancelEvent.hasProperty('status')).toBe(false);
		expect(cancelEvent.getFirstPropertyValue('sequence')).toBe(1);
	});

	test('only additions: the REQUEST goes to the new attendee alone', () => {
		const update = buildUpdate(single, {addAttendees: [{email: 'carol@example.org'}], now: later});
		expect(update.requestRecipients).toEqual(['carol@example.org']);
		expect(update.cancel).toBeNull();
	});

	test('no changes at all: nothing to send', () => {
		const update = buildUpdate(single, {now: later});
		expect(update.request).toBeNull();
		expect(update.requestRecipients).toEqual([]);
		expect(update.cancel).toBeNull();
	});

	test('an empty description removes it', () => {
		const update = buildUpdate(buildInvite({...base, description: 'x'}).caldav, {description: '', now: later});
		expect(eventValue(update.caldav, 'master', 'description')).toBeNull();
	});

	test('a new time in another zone brings that zone\'s VTIMEZONE', () => {
		const update = buildUpdate(single, {start: '2026-12-01T10:00', end: '2026-12-01T11:00', timeZone: 'America/New_York', now: later});
		expect(update.caldav).toMatch(/TZID:America\/New_York/);
		expect(eventsByOccurrence(update.caldav).get('master')?.getFirstProperty('dtstart')?.toICALString()).toBe('DTSTART;TZID=America/New_York:20261201T100000');
	});

	test('a series moved by a day keeps its exceptions on the same occurrences', () => {
		// Ann declined 8 Dec (an override) and the organizer cancelled 15 Dec (EXDATE).
		const declined = applyReply(weekly, [
			'BEGIN:VCALENDAR', 'METHOD:REPLY', 'BEGIN:VEVENT', `UID:${base.uid}`, 'DTSTAMP:20261102T100000Z', 'SEQUENCE:0',
			'RECURRENCE-ID:20261208T090000Z', 'ATTENDEE;PARTSTAT=DECLINED:mailto:ann@example.org', 'END:VEVENT', 'END:VCALENDAR', '',
		].join('\r\n'), {senders: ['ann@example.org'], me: ['org@example.com']}).event;
		const cancelled = buildCancel(declined, {recurrenceId: '2026-12-15T10:00', now: later}).caldav;
		const update = buildUpdate(cancelled, {start: '2026-12-02T14:00', end: '2026-12-02T15:00', now: later});
		const events = eventsByOccurrence(update.caldav);
		// Wednesday 9 Dec 14:00 Berlin = 13:00Z is the old 8 Dec occurrence.
		expect([...events.keys()]).toEqual(['master', '2026-12-09T13:00:00Z']);
		expect(events.get('2026-12-09T13:00:00Z')?.getFirstProperty('dtstart')?.toICALString()).toBe('DTSTART;TZID=Europe/Berlin:20261209T140000');
		expect(events.get('master')?.getFirstProperty('exdate')?.toICALString()).toBe('EXDATE;TZID=Europe/Berlin:20261216T140000');
	});

	test('stopping a repeat drops overrides and EXDATEs', () => {
		const declined = applyReply(weekly, [
			'BEGIN:VCALENDAR', 'METHOD:REPLY', 'BEGIN:VEVENT', `UID:${base.uid}`, 'DTSTAMP:20261102T100000Z', 'RECURRENCE-ID:20261208T090000Z',
			'ATTENDEE;PARTSTAT=DECLINED:mailto:ann@example.org', 'END:VEVENT', 'END:VCALENDAR', '',
		].join('\r\n'), {senders: ['ann@example.org'], me: ['org@example.com']}).event;
		const cancelled = buildCancel(declined, {recurrenceId: '2026-12-15T10:00', now: later}).caldav;
		expect([...eventsByOccurrence(cancelled).keys()]).toEqual(['master', '2026-12-08T09:00:00Z']);
		const update = buildUpdate(cancelled, {repeat: null, now: later});
		const events = eventsByOccurrence(update.caldav);
		expect([...events.keys()]).toEqual(['master']);
		expect(events.get('master')?.hasProperty('rrule')).toBe(false);
		expect(events.get('master')?.hasProperty('exdate')).toBe(false);
		expect(update.significant).toBe(true);
	});

	test.each([
		['start', {end: '2026-12-01T12:00'}],
		['end', {start: '2026-12-01T12:00'}],
		['summary', {summary: ''}],
		['addAttendees[0].email', {addAttendees: [{email: 'ann@example.org'}]}],
		['removeAttendees[0]', {removeAttendees: ['nobody@example.org']}],
		['removeAttendees[0]', {removeAttendees: ['org@example.com']}],
		['removeAttendees[0]', {removeAttendees: ['carol@example.org'], addAttendees: [{email: 'carol@example.org'}]}],
		['repeat.freq', {repeat: {freq: 'never'}}],
		['colour', {colour: 'red'}],
	] as Array<[string, EventChanges]>)('misuse throws InvalidSpecError naming %s', (field, changes) => {
		expect(() => buildUpdate(single, changes)).toThrowError(expect.objectContaining({name: 'InvalidSpecError', field}) as Error);
	});

	test.each([
		['not iCalendar', 'nope'],
		['no VEVENT', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n'],
		['no ORGANIZER', single.replace(/ORGANIZER[^\r]*\r\n/, '')],
	])('a stored event with %s throws InvalidStoredEventError', (_label, stored) => {
		expect(() => buildUpdate(stored, {summary: 'x'})).toThrow(InvalidStoredEventError);
		expect(() => buildCancel(stored)).toThrow(InvalidStoredEventError);
	});
});

describe('buildCancel (RFC 5546 §3.2.5)', () => {
	test('the whole event: STATUS:CANCELLED, SEQUENCE+1, every attendee, no RECURRENCE-ID', () => {
		const cancel = buildCancel(weekly, {now: later});
		expect(cancel.sequence).toBe(1);
		expect(cancel.recipients).toEqual(['ann@example.org', 'bob@example.org']);
		expect(method(cancel.cancel)).toBe('CANCEL');
		const events = eventsByOccurrence(cancel.cancel);
		expect([...events.keys()]).toEqual(['master']);
		expect(events.get('master')?.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(events.get('master')?.getFirstPropertyValue('sequence')).toBe(1);
		expect(Object.keys(partStats(cancel.cancel).master!)).toEqual(['org@example.com', 'ann@example.org', 'bob@example.org']);
		expect(eventValue(cancel.caldav, 'master', 'status')).toBe('CANCELLED');
		expect(method(cancel.caldav)).toBeNull();
	});

	test('for some attendees: no STATUS, only them, removed from the stored copy', () => {
		const cancel = buildCancel(weekly, {attendees: ['Bob@Example.org'], now: later});
		expect(cancel.recipients).toEqual(['bob@example.org']);
		expect(Object.keys(partStats(cancel.cancel).master!)).toEqual(['bob@example.org']);
		expect(eventValue(cancel.cancel, 'master', 'status')).toBeNull();
		expect(Object.keys(partStats(cancel.caldav).master!)).toEqual(['org@example.com', 'ann@example.org']);
		expect(eventValue(cancel.caldav, 'master', 'status')).toBe('CONFIRMED');
		expect(eventValue(cancel.caldav, 'master', 'sequence')).toBe(1);
	});

	test.each([
		['local time in the event\'s zone', '2026-12-08T10:00'],
		['a UTC instant', '2026-12-08T09:00:00Z'],
		['a basic-format UTC instant', '20261208T090000Z'],
	])('one occurrence given as %s: RECURRENCE-ID in the CANCEL, EXDATE in the stored copy', (_label, recurrenceId) => {
		const cancel = buildCancel(weekly, {recurrenceId, now: later});
		const events = eventsByOccurrence(cancel.cancel);
		expect([...events.keys()]).toEqual(['2026-12-08T09:00:00Z']);
		const event = events.get('2026-12-08T09:00:00Z')!;
		expect(event.getFirstProperty('recurrence-id')?.toICALString()).toBe('RECURRENCE-ID;TZID=Europe/Berlin:20261208T100000');
		expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(event.getFirstProperty('dtstart')?.toICALString()).toBe('DTSTART;TZID=Europe/Berlin:20261208T100000');
		const master = eventsByOccurrence(cancel.caldav).get('master')!;
		expect(master.getFirstProperty('exdate')?.toICALString()).toBe('EXDATE;TZID=Europe/Berlin:20261208T100000');
		expect(master.getFirstPropertyValue('sequence')).toBe(1);
		expect(master.getFirstPropertyValue('status')).toBe('CONFIRMED');
	});

	test('an occurrence with an override: the override goes, the EXDATE comes', () => {
		const declined = applyReply(weekly, [
			'BEGIN:VCALENDAR', 'METHOD:REPLY', 'BEGIN:VEVENT', `UID:${base.uid}`, 'DTSTAMP:20261102T100000Z', 'RECURRENCE-ID:20261208T090000Z',
			'ATTENDEE;PARTSTAT=DECLINED:mailto:ann@example.org', 'END:VEVENT', 'END:VCALENDAR', '',
		].join('\r\n'), {senders: ['ann@example.org'], me: ['org@example.com']}).event;
		const cancel = buildCancel(declined, {recurrenceId: '2026-12-08T10:00', now: later});
		expect([...eventsByOccurrence(cancel.caldav).keys()]).toEqual(['master']);
		expect(partStats(cancel.cancel)['2026-12-08T09:00:00Z']?.['ann@example.org']).toBe('DECLINED');
	});

	test.each([
		['recurrenceId', {recurrenceId: '2026-12-08T11:00'}, weekly],
		['recurrenceId', {recurrenceId: 'next week'}, weekly],
		['recurrenceId', {recurrenceId: '2026-12-01T10:00'}, single],
		['recurrenceId', {recurrenceId: '2026-12-08T10:00', attendees: ['ann@example.org']}, weekly],
		['attendees', {attendees: []}, weekly],
		['attendees[0]', {attendees: ['eve@example.net']}, weekly],
		['now', {now: new Date('nope')}, weekly],
	])('misuse throws InvalidSpecError naming %s', (field, options, stored) => {
		const error = (() => {
			try {
				buildCancel(stored, options);
			} catch (caught) {
				return caught;
			}

			return undefined;
		})();
		expect(error).toBeInstanceOf(InvalidSpecError);
		expect(error).toMatchObject({field});
	});
});
