import {describe, expect, test} from 'vitest';
import {formatEventWhen, formatRelative} from '../../../lib/ui/format.ts';

const london = {locale: 'en-GB', timeZone: 'Europe/London'};

describe('formatEventWhen', () => {
	test.each([
		['timed, same zone', {start: '2025-06-10T09:00:00Z', end: '2025-06-10T09:30:00Z', allDay: false, timeZone: 'Europe/London'}, {text: 'Tue 10 Jun, 10:00 – 10:30'}],
		['timed, across midnight', {start: '2025-06-10T22:00:00Z', end: '2025-06-11T00:30:00Z', allDay: false, timeZone: 'Europe/London'}, {text: 'Tue 10 Jun, 23:00 – Wed 11 Jun, 01:30'}],
		['set in another zone: its own clock as a note', {start: '2025-06-10T19:00:00Z', end: '2025-06-10T19:45:00Z', allDay: false, timeZone: 'America/New_York'}, {
			text: 'Tue 10 Jun, 20:00 – 20:45',
			note: 'Tue 10 Jun, 15:00 – 15:45 New York (America)',
		}],
		['all day, one day', {start: '2025-06-10', end: '2025-06-11', allDay: true, timeZone: 'Europe/London'}, {text: 'Tue 10 Jun, all day'}],
		['all day, three days', {start: '2025-06-10', end: '2025-06-13', allDay: true, timeZone: 'Europe/London'}, {text: 'Tue 10 Jun – Thu 12 Jun'}],
		['unreadable', {start: 'whenever', end: '', allDay: false, timeZone: 'UTC'}, {text: 'whenever'}],
	])('%s', (_name, event, expected) => {
		expect(formatEventWhen(event, london)).toEqual(expected);
	});

	test('a zone the browser does not know is left out', () => {
		expect(formatEventWhen({start: '2025-06-10T09:00:00Z', end: '2025-06-10T09:30:00Z', allDay: false, timeZone: 'Mars/Olympus'}, london)).toEqual({text: 'Tue 10 Jun, 10:00 – 10:30'});
	});
});

describe('formatRelative', () => {
	const now = new Date('2025-06-10T12:00:00Z');
	test.each([
		['2025-06-10T11:59:40Z', 'just now'],
		['2025-06-10T11:55:00Z', '5 min ago'],
		['2025-06-10T09:00:00Z', '3 h ago'],
		['2025-06-08T09:05:00Z', '8 Jun, 10:05'],
		['nonsense', 'nonsense'],
	])('%s → %s', (iso, expected) => {
		expect(formatRelative(iso, now, london)).toBe(expected);
	});
});
