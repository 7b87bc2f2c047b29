import {describe, expect, test} from 'vitest';
import {
	addDays, addMinutes, endTimeAfter, formatDuration, instantIn, isLocalDate, isLocalTime, minutesBetween, nextHalfHour, timedDuration, timedEnd, wallClockIn, weekdayOf,
} from '../../lib/local-time.ts';

describe('wall-clock arithmetic', () => {
	test.each([
		['same day', {date: '2025-03-10', time: '10:00'}, 30, {date: '2025-03-10', time: '10:30'}],
		['past midnight', {date: '2025-03-10', time: '23:30'}, 90, {date: '2025-03-11', time: '01:00'}],
		['end of February in a leap year', {date: '2024-02-28', time: '23:00'}, 120, {date: '2024-02-29', time: '01:00'}],
		['end of the year', {date: '2025-12-31', time: '23:45'}, 15, {date: '2026-01-01', time: '00:00'}],
		['backwards', {date: '2025-03-10', time: '00:10'}, -20, {date: '2025-03-09', time: '23:50'}],
		// Wall-clock: a DST change in the event's zone does not move the end (the zone is applied by the calendar).
		['across a DST change (no zone here)', {date: '2025-03-30', time: '01:30'}, 60, {date: '2025-03-30', time: '02:30'}],
	])('addMinutes: %s', (_name, start, minutes, expected) => {
		expect(addMinutes(start, minutes)).toEqual(expected);
	});

	test('addDays and minutesBetween', () => {
		expect(addDays('2025-01-31', 1)).toBe('2025-02-01');
		expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
		expect(minutesBetween({date: '2025-01-01', time: '10:00'}, {date: '2025-01-02', time: '09:00'})).toBe(23 * 60);
	});

	test.each([
		['same day', '10:00', '10:45', {date: '2025-05-01', time: '10:45'}, 45],
		['ends after midnight', '22:00', '01:00', {date: '2025-05-02', time: '01:00'}, 180],
		['equal times read as a whole day', '09:00', '09:00', {date: '2025-05-02', time: '09:00'}, 24 * 60],
	])('timedEnd: %s', (_name, start, end, expectedEnd, duration) => {
		expect(timedEnd('2025-05-01', start, end)).toEqual(expectedEnd);
		expect(timedDuration('2025-05-01', start, end)).toBe(duration);
	});

	test('endTimeAfter says when the end is on the next day', () => {
		expect(endTimeAfter('2025-05-01', '09:15', 90)).toEqual({time: '10:45', nextDay: false});
		expect(endTimeAfter('2025-05-01', '23:30', 45)).toEqual({time: '00:15', nextDay: true});
	});

	test.each([
		['2025-02-28', true],
		['2025-02-29', false],
		['2024-02-29', true],
		['2025-13-01', false],
		['25-01-01', false],
		['', false],
	])('isLocalDate(%j) is %s', (value, expected) => {
		expect(isLocalDate(value)).toBe(expected);
	});

	test.each([
		['00:00', true],
		['23:59', true],
		['24:00', false],
		['9:00', false],
		['12:60', false],
	])('isLocalTime(%j) is %s', (value, expected) => {
		expect(isLocalTime(value)).toBe(expected);
	});

	test.each([
		[15, '15 min'],
		[60, '1 h'],
		[90, '1 h 30 min'],
		[24 * 60 + 120, '1 day 2 h'],
		[0, '0 min'],
	])('formatDuration(%i) is %s', (minutes, expected) => {
		expect(formatDuration(minutes)).toBe(expected);
	});

	test.each([
		['2025-01-06', 'MO'],
		['2025-01-12', 'SU'],
		['2024-02-29', 'TH'],
	])('weekdayOf(%s) is %s', (date, expected) => {
		expect(weekdayOf(date)).toBe(expected);
	});
});

describe('the default start', () => {
	test('reads the clock of the given zone', () => {
		const instant = new Date('2025-06-01T22:10:00Z');
		expect(wallClockIn(instant, 'UTC')).toEqual({date: '2025-06-01', time: '22:10'});
		expect(wallClockIn(instant, 'Asia/Tokyo')).toEqual({date: '2025-06-02', time: '07:10'});
		expect(wallClockIn(instant, 'America/New_York')).toEqual({date: '2025-06-01', time: '18:10'});
	});

	test.each([
		['before the half hour', '2025-06-01T10:10:00Z', {date: '2025-06-01', time: '10:30'}],
		['on the hour', '2025-06-01T10:00:00Z', {date: '2025-06-01', time: '10:30'}],
		['after the half hour', '2025-06-01T10:31:00Z', {date: '2025-06-01', time: '11:00'}],
		['late in the day', '2025-06-01T23:45:00Z', {date: '2025-06-02', time: '00:00'}],
	])('nextHalfHour: %s', (_name, now, expected) => {
		expect(nextHalfHour(new Date(now), 'UTC')).toEqual(expected);
	});
});

describe('instantIn', () => {
	test.each([
		['UTC', {date: '2025-06-10', time: '15:00'}, 'UTC', '2025-06-10T15:00:00.000Z'],
		['summer in Berlin', {date: '2025-06-10', time: '15:00'}, 'Europe/Berlin', '2025-06-10T13:00:00.000Z'],
		['winter in Berlin', {date: '2025-01-10', time: '15:00'}, 'Europe/Berlin', '2025-01-10T14:00:00.000Z'],
		['Tokyo, the day before in UTC', {date: '2025-06-10', time: '03:30'}, 'Asia/Tokyo', '2025-06-09T18:30:00.000Z'],
		['New York', {date: '2025-11-02', time: '12:00'}, 'America/New_York', '2025-11-02T17:00:00.000Z'],
		['a half-hour zone', {date: '2025-06-10', time: '09:00'}, 'Asia/Kolkata', '2025-06-10T03:30:00.000Z'],
	])('%s', (_name, local, zone, expected) => {
		expect(instantIn(local, zone)?.toISOString()).toBe(expected);
	});

	test('an unknown zone gives nothing', () => {
		expect(instantIn({date: '2025-06-10', time: '09:00'}, 'Mars/Olympus')).toBeUndefined();
	});
});
