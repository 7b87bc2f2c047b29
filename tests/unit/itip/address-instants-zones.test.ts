/**
 * The small helpers the rules stand on: address comparison, instants across zones, and zone lookup.
 */
import ICAL from 'ical.js';
import {describe, expect, test, vi} from 'vitest';
import {isEmailAddress, normalizeAddress, sameAddress} from '../../../lib/address.ts';
import {isoOfKey, keyOfProperty} from '../../../lib/itip/instants.ts';
import {isKnownTimeZone, isUtcZoneName, resolveZone, vtimezoneFor} from '../../../lib/itip/timezones.ts';

describe('addresses', () => {
	test.each([
		['mailto:Ann@Example.org', 'ann@example.org'],
		['MAILTO:ann@example.org', 'ann@example.org'],
		['  mailto: ann@example.org  ', 'ann@example.org'],
		['<ann@example.org>', 'ann@example.org'],
		['ann@example.org', 'ann@example.org'],
	])('normalizeAddress(%j) = %j', (input, output) => {
		expect(normalizeAddress(input)).toBe(output);
	});

	test('sameAddress never matches two empty values', () => {
		expect(sameAddress('', 'mailto:')).toBe(false);
		expect(sameAddress('mailto:A@x.org', 'a@X.ORG')).toBe(true);
	});

	test.each([
		['ann@example.org', true],
		['ann.smith+tag@sub.example.org', true],
		['ann@localhost', false],
		['mailto:ann@example.org', false],
		['Ann <ann@example.org>', false],
		['ann@@example.org', false],
		['ann example@example.org', false],
	])('isEmailAddress(%j) = %s', (input, valid) => {
		expect(isEmailAddress(input)).toBe(valid);
	});
});

describe('instants', () => {
	const calendar = new ICAL.Component(['vcalendar', [], []]);
	const key = (line: string): string | undefined => {
		const parsed = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n${line}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`) as unknown[]);
		const property = parsed.getFirstSubcomponent('vevent')!.getAllProperties()[0]!;
		const result = keyOfProperty(property, [calendar]);
		return result ? `${result.kind} ${isoOfKey(result)}` : undefined;
	};

	test.each([
		// Zones without a VTIMEZONE in the calendar come from the IANA data (sabre's vectors do this).
		['RECURRENCE-ID;TZID=America/Toronto:20140725T000000', 'utc 2014-07-25T04:00:00Z'],
		['RECURRENCE-ID;TZID=Asia/Ho_Chi_Minh:20140725T110000', 'utc 2014-07-25T04:00:00Z'],
		['RECURRENCE-ID;TZID=Europe/Berlin:20261208T100000', 'utc 2026-12-08T09:00:00Z'],
		['RECURRENCE-ID;TZID=Europe/Berlin:20260708T100000', 'utc 2026-07-08T08:00:00Z'],
		['RECURRENCE-ID:20140725T040000Z', 'utc 2014-07-25T04:00:00Z'],
		// A value ending in Z is UTC even with a TZID (RFC 5545 §3.3.5); some clients write both.
		['DTSTART;TZID=Europe/Berlin:20140716T120000Z', 'utc 2014-07-16T12:00:00Z'],
		['RECURRENCE-ID:20140725T000000', 'floating 2014-07-25T00:00:00'],
		['RECURRENCE-ID;TZID=No/Such_Zone:20140725T000000', 'floating 2014-07-25T00:00:00'],
		['RECURRENCE-ID;VALUE=DATE:20140725', 'date 2014-07-25'],
		['DTSTAMP:**ANY**', undefined],
		['DTSTAMP:20141325T000000Z', undefined],
	])('%s → %s', (line, expected) => {
		expect(key(line)).toBe(expected);
	});
});

describe('zones', () => {
	test('an unknown IANA name is undefined, and the library is not asked (it would log to the console)', () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		expect(vtimezoneFor('Mars/Olympus_Mons')).toBeUndefined();
		expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
		expect(error).not.toHaveBeenCalled();
		error.mockRestore();
	});

	test.each(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Zulu'])('%s is UTC', name => {
		expect(isUtcZoneName(name)).toBe(true);
		expect(resolveZone(name)).toBe(ICAL.Timezone.utcTimezone);
	});

	test('Europe/London is not UTC', () => {
		expect(isUtcZoneName('Europe/London')).toBe(false);
	});

	test('a VTIMEZONE in the calendar wins over the IANA data for names that are not Windows zone names', () => {
		const calendar = new ICAL.Component(ICAL.parse([
			'BEGIN:VCALENDAR', 'BEGIN:VTIMEZONE', 'TZID:Office time', 'BEGIN:STANDARD', 'DTSTART:16010101T000000',
			'TZOFFSETFROM:+0300', 'TZOFFSETTO:+0300', 'END:STANDARD', 'END:VTIMEZONE', 'END:VCALENDAR', '',
		].join('\r\n')) as unknown[]);
		expect(resolveZone('Office time', calendar)?.tzid).toBe('Office time');
		expect(resolveZone('Office time')).toBeUndefined();
	});

	test('a Windows zone name (Outlook) takes the mapped IANA zone\'s rules (windows-iana), even over the sender\'s VTIMEZONE', () => {
		// Outlook sometimes writes a VTIMEZONE with the standard part only; the IANA rules know about summer time.
		const calendar = new ICAL.Component(ICAL.parse([
			'BEGIN:VCALENDAR', 'BEGIN:VTIMEZONE', 'TZID:W. Europe Standard Time', 'BEGIN:STANDARD', 'DTSTART:16010101T000000',
			'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', 'END:STANDARD', 'END:VTIMEZONE', 'END:VCALENDAR', '',
		].join('\r\n')) as unknown[]);
		const july = (zone: ICAL.Timezone | undefined): string => ICAL.Time.fromData({year: 2026, month: 7, day: 1, hour: 10, minute: 0}, zone).toJSDate().toISOString();
		expect(july(resolveZone('W. Europe Standard Time', calendar))).toBe('2026-07-01T08:00:00.000Z');
		expect(july(resolveZone('W. Europe Standard Time'))).toBe('2026-07-01T08:00:00.000Z');
		expect(july(resolveZone('FLE Standard Time'))).toBe('2026-07-01T07:00:00.000Z');
	});
});
