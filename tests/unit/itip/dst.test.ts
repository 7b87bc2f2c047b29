/**
 * A repeating event in Europe/Berlin keeps 10:00 local time on both sides of a DST change: the VTIMEZONE from
 * timezones-ical-library carries the real rules. Expanded with ical.js; offsets cross-checked against the ICU zone data
 * in Node's Intl (independent of the VTIMEZONE we wrote).
 */
import ICAL from 'ical.js';
import {describe, expect, test} from 'vitest';
import {buildInvite} from '../../../lib/itip/index.ts';

const berlinClock = new Intl.DateTimeFormat('en-GB', {timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'});

/** Every occurrence of the built event: local wall clock, UTC offset in hours, UTC time. */
function occurrences(caldav: string): Array<{local: string; offsetHours: number; utc: string}> {
	const calendar = new ICAL.Component(ICAL.parse(caldav) as unknown[]);
	const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
	const iterator = event.iterator();
	const result: Array<{local: string; offsetHours: number; utc: string}> = [];
	for (let next = iterator.next(); next; next = iterator.next()) {
		result.push({
			local: next.toString(),
			offsetHours: next.utcOffset() / 3600,
			utc: next.convertToZone(ICAL.Timezone.utcTimezone).toString(),
		});
	}

	return result;
}

describe.each([
	// Autumn 2026: CEST ends on Sunday 25 October. Spring 2027: CEST starts on Sunday 28 March.
	['autumn', '2026-10-13T10:00', '2026-10-13T11:00', ['2026-10-13', '2026-10-20'], ['2026-10-27', '2026-11-03'], 2, 1],
	['spring', '2027-03-16T10:00', '2027-03-16T11:00', ['2027-03-16', '2027-03-23'], ['2027-03-30', '2027-04-06'], 1, 2],
])('weekly at 10:00 Berlin across the %s change', (_season, start, end, beforeDays, afterDays, offsetBefore, offsetAfter) => {
	const {caldav} = buildInvite({
		organizer: {email: 'me@example.com', name: 'Me'},
		attendees: [{email: 'ann@example.org'}],
		summary: 'Standup',
		start,
		end,
		timeZone: 'Europe/Berlin',
		repeat: {freq: 'weekly', count: 4},
	});
	const list = occurrences(caldav);

	test('four occurrences, all at 10:00 local', () => {
		expect(list.map(occurrence => occurrence.local)).toEqual([...beforeDays, ...afterDays].map(day => `${day}T10:00:00`));
	});

	test(`UTC offset +${offsetBefore} before, +${offsetAfter} after`, () => {
		expect(list.map(occurrence => occurrence.offsetHours)).toEqual([offsetBefore, offsetBefore, offsetAfter, offsetAfter]);
		expect(list.map(occurrence => occurrence.utc)).toEqual([
			...beforeDays.map(day => `${day}T${String(10 - offsetBefore).padStart(2, '0')}:00:00Z`),
			...afterDays.map(day => `${day}T${String(10 - offsetAfter).padStart(2, '0')}:00:00Z`),
		]);
	});

	test('Intl (ICU zone data) agrees each instant is 10:00 in Berlin', () => {
		for (const occurrence of list) {
			expect(berlinClock.format(new Date(occurrence.utc))).toBe('10:00');
		}
	});
});

test('a daily event over a whole year stays at 10:00 local every day (ICU cross-check)', () => {
	const {caldav} = buildInvite({
		organizer: {email: 'me@example.com', name: 'Me'},
		attendees: [{email: 'ann@example.org'}],
		summary: 'Daily',
		start: '2026-12-01T10:00',
		end: '2026-12-01T10:15',
		timeZone: 'Europe/Berlin',
		repeat: {freq: 'daily', count: 400},
	});
	const list = occurrences(caldav);
	expect(list).toHaveLength(400);
	expect(new Set(list.map(occurrence => occurrence.offsetHours))).toEqual(new Set([1, 2]));
	expect(list.filter(occurrence => berlinClock.format(new Date(occurrence.utc)) !== '10:00')).toEqual([]);
});
