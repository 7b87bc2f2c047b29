/**
 * buildInvite: the VEVENT the issue lists, in a REQUEST and a CalDAV copy, with real VTIMEZONE rules.
 */
import ICAL from 'ical.js';
import {tzlib_get_ical_block} from 'timezones-ical-library';
import {describe, expect, test} from 'vitest';
import {buildInvite, InvalidSpecError, type InviteSpec} from '../../../lib/itip/index.ts';

const now = new Date('2026-11-01T08:30:15.789Z');
const spec: InviteSpec = {
	organizer: {email: 'Me@Example.com', name: 'Mia Organizer'},
	attendees: [{email: 'ann@example.org', name: 'Ann'}, {email: 'bob@example.org', optional: true}],
	summary: 'Planning',
	start: '2026-12-01T16:00',
	end: '2026-12-01T17:00',
	timeZone: 'Europe/Berlin',
	location: 'Room 4',
	description: 'Agenda: budget',
	uid: 'fixed-uid@example.com',
	now,
};

function calendar(text: string): ICAL.Component {
	return new ICAL.Component(ICAL.parse(text) as unknown[]);
}

function vevent(text: string): ICAL.Component {
	return calendar(text).getFirstSubcomponent('vevent')!;
}

describe('the two envelopes', () => {
	const built = buildInvite(spec);

	test('REQUEST has METHOD:REQUEST (RFC 5546 §3.2.2); the CalDAV copy has no METHOD (RFC 4791 §4.1)', () => {
		expect(calendar(built.request).getFirstPropertyValue('method')).toBe('REQUEST');
		expect(calendar(built.caldav).hasProperty('method')).toBe(false);
		expect(built.caldav).not.toMatch(/METHOD/);
	});

	test('both hold the same VEVENT and VTIMEZONE', () => {
		expect(built.request.replace('METHOD:REQUEST\r\n', '')).toBe(built.caldav);
	});

	test('uid and recipients', () => {
		expect(built.uid).toBe('fixed-uid@example.com');
		expect(built.recipients).toEqual(['ann@example.org', 'bob@example.org']);
	});

	test('PRODID and VERSION (RFC 5545 §3.6)', () => {
		expect(calendar(built.caldav).getFirstPropertyValue('prodid')).toBe('-//Purelymail Invites//iTIP//EN');
		expect(calendar(built.caldav).getFirstPropertyValue('version')).toBe('2.0');
	});
});

describe('the VEVENT', () => {
	const event = vevent(buildInvite(spec).caldav);

	test.each([
		['uid', 'fixed-uid@example.com'],
		['sequence', 0],
		['summary', 'Planning'],
		['location', 'Room 4'],
		['description', 'Agenda: budget'],
		['status', 'CONFIRMED'],
	])('%s', (name, value) => {
		expect(event.getFirstPropertyValue(name)).toBe(value);
	});

	test.each(['dtstamp', 'created', 'last-modified'])('%s is the given clock in UTC, to the second', name => {
		expect(event.getFirstProperty(name)?.toICALString()).toBe(`${name.toUpperCase()}:20261101T083015Z`);
	});

	test('ORGANIZER with CN, lower-cased mailto:', () => {
		expect(event.getFirstProperty('organizer')?.toICALString()).toBe('ORGANIZER;CN=Mia Organizer:mailto:me@example.com');
	});

	test('one ATTENDEE per invitee, and the organizer as ACCEPTED', () => {
		const attendees = event.getAllProperties('attendee').map(property => [property.getFirstValue(), property.getParameter('cn'), property.getParameter('cutype'), property.getParameter('role'), property.getParameter('partstat'), property.getParameter('rsvp')]);
		expect(attendees).toEqual([
			['mailto:me@example.com', 'Mia Organizer', 'INDIVIDUAL', 'CHAIR', 'ACCEPTED', 'FALSE'],
			['mailto:ann@example.org', 'Ann', 'INDIVIDUAL', 'REQ-PARTICIPANT', 'NEEDS-ACTION', 'TRUE'],
			['mailto:bob@example.org', undefined, 'INDIVIDUAL', 'OPT-PARTICIPANT', 'NEEDS-ACTION', 'TRUE'],
		]);
	});

	test('DTSTART/DTEND carry TZID and local time', () => {
		expect(event.getFirstProperty('dtstart')?.toICALString()).toBe('DTSTART;TZID=Europe/Berlin:20261201T160000');
		expect(event.getFirstProperty('dtend')?.toICALString()).toBe('DTEND;TZID=Europe/Berlin:20261201T170000');
	});

	test('the VTIMEZONE is the library\'s definition of the zone (not rules of ours)', () => {
		const zone = calendar(buildInvite(spec).caldav).getFirstSubcomponent('vtimezone')!;
		const library = (tzlib_get_ical_block('Europe/Berlin') as string[])[0]!;
		expect(zone.toString().replaceAll('\r\n', '\n')).toBe(library.replaceAll('\r\n', '\n'));
	});

	test('a zone the library resolves as a link keeps the name the user picked', () => {
		const zone = calendar(buildInvite({...spec, timeZone: 'Europe/Amsterdam'}).caldav).getFirstSubcomponent('vtimezone')!;
		expect(zone.getFirstPropertyValue('tzid')).toBe('Europe/Amsterdam');
		// Same rules as Brussels, whose definition the library returns for this link.
		expect(zone.getAllSubcomponents().map(rule => rule.getFirstPropertyValue('tzoffsetto')?.toString())).toEqual(['+02:00', '+01:00']);
	});

	test('a new UID each time when none is given (RFC 7986 §5.3: a UUID)', () => {
		const {uid: _uid, ...withoutUid} = spec;
		const first = buildInvite(withoutUid).uid;
		const second = buildInvite(withoutUid).uid;
		expect(first).toMatch(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/);
		expect(first).not.toBe(second);
	});

	test('an organizer also listed as attendee appears once, as ACCEPTED', () => {
		const built = buildInvite({...spec, attendees: [...spec.attendees, {email: 'me@example.com'}]});
		expect(vevent(built.caldav).getAllProperties('attendee').filter(property => property.getFirstValue() === 'mailto:me@example.com')).toHaveLength(1);
		expect(built.recipients).toEqual(['ann@example.org', 'bob@example.org']);
	});
});

describe('all-day and UTC events', () => {
	test('all-day: VALUE=DATE, DTEND exclusive, no VTIMEZONE', () => {
		const built = buildInvite({...spec, allDay: true, start: '2026-12-24', end: '2026-12-27'});
		const event = vevent(built.caldav);
		expect(event.getFirstProperty('dtstart')?.toICALString()).toBe('DTSTART;VALUE=DATE:20261224');
		expect(event.getFirstProperty('dtend')?.toICALString()).toBe('DTEND;VALUE=DATE:20261227');
		expect(built.caldav).not.toMatch(/VTIMEZONE|TZID/);
	});

	test('UTC: times with Z, no VTIMEZONE', () => {
		const built = buildInvite({...spec, timeZone: 'UTC'});
		expect(vevent(built.caldav).getFirstProperty('dtstart')?.toICALString()).toBe('DTSTART:20261201T160000Z');
		expect(built.caldav).not.toMatch(/VTIMEZONE|TZID/);
	});
});

describe('repeats (RFC 5545 §3.3.10)', () => {
	test.each([
		[{freq: 'daily'}, 'FREQ=DAILY'],
		[{freq: 'weekly', byDay: ['TU', 'TH']}, 'FREQ=WEEKLY;BYDAY=TU,TH'],
		[{freq: 'monthly', interval: 2, count: 6}, 'FREQ=MONTHLY;INTERVAL=2;COUNT=6'],
		[{freq: 'yearly', count: 3}, 'FREQ=YEARLY;COUNT=3'],
		// UNTIL for a zoned DTSTART MUST be UTC: the end of 2027-06-30 in Berlin (CEST) is 21:59:59Z.
		[{freq: 'weekly', until: '2027-06-30'}, 'FREQ=WEEKLY;UNTIL=20270630T215959Z'],
		[{freq: 'weekly', until: '2027-01-12T16:00'}, 'FREQ=WEEKLY;UNTIL=20270112T150000Z'],
	] as const)('%j → %s', (repeat, rule) => {
		const built = buildInvite({...spec, repeat: 'byDay' in repeat ? {...repeat, byDay: [...repeat.byDay]} : repeat});
		// Rule parts may come in any order (RFC 5545 §3.3.10), so compare them as parsed.
		const written = vevent(built.caldav).getFirstPropertyValue('rrule') as ICAL.Recur;
		expect(written.toJSON()).toEqual(ICAL.Recur.fromString(rule).toJSON());
	});

	test('all-day UNTIL is a DATE', () => {
		const built = buildInvite({...spec, allDay: true, start: '2026-12-24', end: '2026-12-25', repeat: {freq: 'yearly', until: '2030-12-24'}});
		expect(vevent(built.caldav).getFirstProperty('rrule')?.toICALString()).toBe('RRULE:FREQ=YEARLY;UNTIL=20301224');
	});

	test('the UNTIL day is included: the last occurrence falls on it', () => {
		const built = buildInvite({...spec, repeat: {freq: 'daily', until: '2026-12-03'}});
		const iterator = new ICAL.Event(vevent(built.caldav)).iterator();
		const starts: string[] = [];
		for (let next = iterator.next(); next; next = iterator.next()) {
			starts.push(next.toString());
		}

		expect(starts).toEqual(['2026-12-01T16:00:00', '2026-12-02T16:00:00', '2026-12-03T16:00:00']);
	});
});

describe('programmer misuse throws InvalidSpecError naming the field', () => {
	test.each([
		['organizer.email', {organizer: {email: 'not an address', name: 'X'}}],
		['organizer.name', {organizer: {email: 'me@example.com', name: 'Two\nlines'}}],
		['attendees', {attendees: []}],
		['attendees', {attendees: [{email: 'me@example.com'}]}],
		['attendees[1].email', {attendees: [{email: 'a@example.org'}, {email: 'A@example.org'}]}],
		['attendees[0].email', {attendees: [{email: 'mailto:a@example.org'}]}],
		['summary', {summary: '  '}],
		['start', {start: '2026-12-01 16:00'}],
		['start', {start: '2026-02-30T10:00'}],
		['end', {end: '2026-12-01T15:00'}],
		['end', {end: '2026-12-01T16:00'}],
		['start', {allDay: true}],
		['end', {allDay: true, start: '2026-12-24', end: '2026-12-24'}],
		['timeZone', {timeZone: 'Mars/Olympus_Mons'}],
		['timeZone', {timeZone: ''}],
		['repeat.freq', {repeat: {freq: 'hourly'}}],
		['repeat.interval', {repeat: {freq: 'daily', interval: 0}}],
		['repeat.count', {repeat: {freq: 'daily', count: 1.5}}],
		['repeat.until', {repeat: {freq: 'daily', count: 2, until: '2027-01-01'}}],
		['repeat.until', {repeat: {freq: 'daily', until: '2026-11-30'}}],
		['repeat.byDay', {repeat: {freq: 'weekly', byDay: ['XX']}}],
		['uid', {uid: ''}],
		['now', {now: new Date(Number.NaN)}],
	])('%s', (field, change) => {
		const bad = {...spec, ...change} as unknown as InviteSpec;
		const error = (() => {
			try {
				buildInvite(bad);
			} catch (caught) {
				return caught;
			}

			return undefined;
		})();
		expect(error).toBeInstanceOf(InvalidSpecError);
		expect(error).toBeInstanceOf(TypeError);
		expect(error).toMatchObject({name: 'InvalidSpecError', code: 'ERR_ITIP_INVALID_SPEC', field});
		expect((error as Error).message.startsWith(field)).toBe(true);
	});
});
