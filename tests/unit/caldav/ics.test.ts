/** The line-level checks made before every PUT: top-level METHOD (RFC 4791 §4.1), UID, resource names. */
import {describe, expect, test} from 'vitest';
import {eventFileName} from '../../../lib/caldav/calendar-objects.ts';
import {CaldavInvalidObject} from '../../../lib/caldav/errors.ts';
import {assertStorable} from '../../../lib/caldav/ics.ts';
import {topLevelMethod, uidOf} from '../../../lib/ical-lines.ts';

function calendar(...inner: string[]): string {
	return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', ...inner, 'END:VCALENDAR', ''].join('\r\n');
}

const event = ['BEGIN:VEVENT', 'UID:abc@example.com', 'DTSTAMP:20260101T000000Z', 'END:VEVENT'];

describe('topLevelMethod', () => {
	test.each([
		['no METHOD', calendar(...event), undefined],
		['METHOD:REQUEST', calendar('METHOD:REQUEST', ...event), 'REQUEST'],
		['lower-case name (names are case-insensitive, RFC 5545 §2)', calendar('method:REPLY', ...event), 'REPLY'],
		['with a parameter', calendar('METHOD;X-FOO=bar:PUBLISH', ...event), 'PUBLISH'],
		['after the event', calendar(...event, 'METHOD:CANCEL'), 'CANCEL'],
		['folded over two lines (RFC 5545 §3.1)', calendar('METH', ' OD:REQUEST', ...event), 'REQUEST'],
		['LF line endings', calendar('METHOD:REQUEST', ...event).replaceAll('\r\n', '\n'), 'REQUEST'],
		['inside the VEVENT: not top-level', calendar('BEGIN:VEVENT', 'UID:a', 'METHOD:REQUEST', 'END:VEVENT'), undefined],
		['only mentioned in escaped text', calendar('BEGIN:VEVENT', 'UID:a', String.raw`DESCRIPTION:first line\nMETHOD:REQUEST`, 'END:VEVENT'), undefined],
		['an X- property whose name starts with METHOD', calendar('X-METHOD:REQUEST', 'METHODX:1', ...event), undefined],
	])('%s', (_name, ics, expected) => {
		expect(topLevelMethod(ics)).toBe(expected);
	});
});

describe('uidOf', () => {
	test.each([
		['plain', calendar(...event), 'abc@example.com'],
		['folded', calendar('BEGIN:VEVENT', 'UID:0123456789', ' abcdef', 'END:VEVENT'), '0123456789abcdef'],
		['escaped TEXT (RFC 5545 §3.3.11)', calendar('BEGIN:VEVENT', String.raw`UID:a\,b\;c\\d`, 'END:VEVENT'), String.raw`a,b;c\d`],
		['a colon inside a quoted parameter', calendar('BEGIN:VEVENT', 'UID;X-NOTE="a:b":real-uid', 'END:VEVENT'), 'real-uid'],
		['none', calendar('BEGIN:VEVENT', 'END:VEVENT'), undefined],
	])('%s', (_name, ics, expected) => {
		expect(uidOf(ics)).toBe(expected);
	});
});

describe('assertStorable', () => {
	test('accepts a calendar object with the named UID', () => {
		expect(() => {
			assertStorable(calendar(...event), 'abc@example.com');
		}).not.toThrow();
	});

	test.each([
		['a METHOD', calendar('METHOD:REQUEST', ...event), undefined, /METHOD:REQUEST.*RFC 4791 §4\.1/],
		['no VCALENDAR', 'BEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n', undefined, /BEGIN:VCALENDAR/],
		['not text', undefined as unknown as string, undefined, /BEGIN:VCALENDAR/],
		['another UID', calendar(...event), 'other@example.com', /"abc@example\.com", not "other@example\.com"/],
	])('refuses %s', (_name, ics, uid, message) => {
		expect(() => {
			assertStorable(ics, uid);
		}).toThrow(CaldavInvalidObject);
		expect(() => {
			assertStorable(ics, uid);
		}).toThrow(message);
	});

	test('the error is a TypeError with a code', () => {
		const error = (() => {
			try {
				assertStorable(calendar('METHOD:REQUEST', ...event));
			} catch (caught) {
				return caught;
			}

			return undefined;
		})();
		expect(error).toBeInstanceOf(TypeError);
		expect(error).toMatchObject({name: 'CaldavInvalidObject', code: 'ERR_CALDAV_INVALID_OBJECT'});
	});
});

describe('eventFileName', () => {
	test.each([
		['0b5f3c2e-3b7a-4c47-9a39-0d3c9d5b1a2f', '0b5f3c2e-3b7a-4c47-9a39-0d3c9d5b1a2f.ics'],
		['abc@example.com', 'abc%40example.com.ics'],
		['a/b c', 'a%2Fb%20c.ics'],
		['ünï', '%C3%BCn%C3%AF.ics'],
	])('%s → %s', (uid, name) => {
		expect(eventFileName(uid)).toBe(name);
	});

	test.each([[''], ['a\r\nb'], ['tab\there']])('refuses %j', uid => {
		expect(() => eventFileName(uid)).toThrow(TypeError);
	});
});
