import {describe, expect, test} from 'vitest';
import {offsetLabel, searchTimeZones, supportedTimeZones, timeZoneChoices, timeZoneLabel} from '../../../lib/ui/time-zones.ts';

const names = ['Africa/Abidjan', 'America/Argentina/Buenos_Aires', 'America/New_York', 'America/North_Dakota/New_Salem', 'Asia/Kolkata', 'Europe/Berlin', 'Europe/London', 'UTC'];

describe('time zones', () => {
	test('the choices add UTC and the extra names, sorted, once each', () => {
		expect(timeZoneChoices(['Europe/Berlin', 'America/New_York'], ['Asia/Calcutta', 'Europe/Berlin'])).toEqual([
			'America/New_York', 'Asia/Calcutta', 'Europe/Berlin', 'UTC',
		]);
	});

	test('Node knows the IANA list', () => {
		expect(supportedTimeZones()).toContain('Europe/Berlin');
	});

	test.each([
		['empty query gives everything', '', names],
		['a city, with a space for the underscore', 'new york', ['America/New_York']],
		['case and slashes do not matter', 'EUROPE/ber', ['Europe/Berlin']],
		['city matches come before region matches', 'new', ['America/New_York', 'America/North_Dakota/New_Salem']],
		['several words must all match', 'america new', ['America/New_York', 'America/North_Dakota/New_Salem']],
		['a region lists its zones in order', 'europe', ['Europe/Berlin', 'Europe/London']],
		['no match', 'atlantis', []],
	])('search: %s', (_name, query, expected) => {
		expect(searchTimeZones(names, query)).toEqual(expected);
	});

	test('search stops at the limit', () => {
		expect(searchTimeZones(names, 'a', 2)).toHaveLength(2);
	});

	test('labels', () => {
		expect(timeZoneLabel('America/Argentina/Buenos_Aires')).toBe('Buenos Aires (America/Argentina)');
		expect(timeZoneLabel('UTC')).toBe('UTC');
		expect(offsetLabel('Asia/Kolkata', new Date('2025-01-01T00:00:00Z'))).toBe('GMT+5:30');
		expect(offsetLabel('Europe/Berlin', new Date('2025-07-01T00:00:00Z'))).toBe('GMT+2');
		expect(offsetLabel('Not/AZone', new Date())).toBe('');
	});
});
