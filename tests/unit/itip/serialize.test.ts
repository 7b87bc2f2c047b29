/**
 * Output is valid RFC 5545 text: CRLF, lines of at most 75 octets folded between UTF-8 characters, TEXT escaped.
 */
import ICAL from 'ical.js';
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {unfold} from '../../../lib/ical-lines.ts';
import {buildInvite, foldLine} from '../../../lib/itip/index.ts';
import {maxLineOctets} from '../../../lib/itip/serialize.ts';

const octets = (text: string): number => new TextEncoder().encode(text).length;
const strictUtf8 = new TextDecoder('utf-8', {fatal: true});

/** The physical lines of iCalendar text, checked to end in CRLF (RFC 5545 §3.1). */
function physicalLines(text: string): string[] {
	expect(text.endsWith('\r\n')).toBe(true);
	expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
	return text.slice(0, -2).split('\r\n');
}

/** Splits folded text on its byte representation and decodes each line strictly: a split UTF-8 sequence throws. */
function decodeEachLine(text: string): string[] {
	const bytes = new TextEncoder().encode(text);
	const lines: string[] = [];
	let start = 0;
	for (let index = 0; index < bytes.length - 1; index++) {
		if (bytes[index] === 0x0D && bytes[index + 1] === 0x0A) {
			lines.push(strictUtf8.decode(bytes.subarray(start, index)));
			start = index + 2;
		}
	}

	lines.push(strictUtf8.decode(bytes.subarray(start)));
	return lines;
}

describe('foldLine', () => {
	test.each([
		['75 ASCII octets stay one line', 'A'.repeat(75), ['A'.repeat(75)]],
		['76 ASCII octets: 75, then a space and 1', 'A'.repeat(76), ['A'.repeat(75), ' A']],
		['continuation lines hold 74 octets after their space', 'A'.repeat(75 + 74 + 1), ['A'.repeat(75), ` ${'A'.repeat(74)}`, ' A']],
		['a 2-octet ü that would end at octet 76 moves to the next line', `${'A'.repeat(74)}ü`, ['A'.repeat(74), ' ü']],
		['a 3-octet € that would straddle the limit moves whole', `${'A'.repeat(73)}€`, ['A'.repeat(73), ' €']],
		['a 4-octet emoji (a surrogate pair in JS) moves whole', `${'A'.repeat(72)}😀`, ['A'.repeat(72), ' 😀']],
		['a 3-octet € that fits exactly stays', `${'A'.repeat(72)}€`, [`${'A'.repeat(72)}€`]],
	])('%s', (_label, line, expected) => {
		expect(foldLine(line).split('\r\n')).toEqual(expected);
	});

	test('property: every physical line ≤ 75 octets, no UTF-8 character split, unfolding gives the line back', () => {
		fc.assert(fc.property(fc.string({unit: 'binary', maxLength: 400}), text => {
			const line = `SUMMARY:${text.replaceAll(/[\r\n]/g, '')}`;
			const folded = foldLine(line);
			const lines = decodeEachLine(folded);
			expect(lines.every(physical => octets(physical) <= maxLineOctets)).toBe(true);
			expect(unfold(folded)).toBe(line);
		}));
	});

	// Why we fold ourselves: ical.js counts 75 octets after the leading space of a continuation line, so those lines
	// are 76 octets long. If a future ical.js fixes this, this test fails and our fold can go.
	test('ical.js\'s own folding makes 76-octet continuation lines', () => {
		const component = new ICAL.Component('vevent');
		component.addPropertyWithValue('summary', 'A'.repeat(200));
		const lengths = component.toString().split('\r\n').map(line => octets(line));
		expect(Math.max(...lengths)).toBe(76);
	});
});

describe('what buildInvite writes', () => {
	const summary = 'Grüße, Ünïcødé; back\\slash\nsecond line 😀 ' + '日本語のテキスト'.repeat(12);
	const built = buildInvite({
		organizer: {email: 'me@example.com', name: 'Zoë Ørganizer, PhD'},
		attendees: [{email: 'ann@example.org', name: 'Ann "Nancy" Smith'}],
		summary,
		description: 'x'.repeat(300),
		location: 'Café; upstairs, left',
		start: '2026-12-01T16:00',
		end: '2026-12-01T17:00',
		timeZone: 'Europe/Berlin',
		uid: 'escape-test@example.com',
	});

	test.each([['request', built.request], ['caldav', built.caldav]])('%s: CRLF everywhere, every line ≤ 75 octets, none splits a character', (_label, text) => {
		const lines = physicalLines(text);
		expect(lines.every(line => octets(line) <= 75)).toBe(true);
		expect(lines.length).toBeGreaterThan(20);
		decodeEachLine(text);
	});

	test('TEXT values are escaped: backslash, semicolon, comma, newline (RFC 5545 §3.3.11)', () => {
		const line = unfold(built.caldav).split('\r\n').find(candidate => candidate.startsWith('SUMMARY:'));
		expect(line).toBe(`SUMMARY:${summary.replaceAll('\\', '\\\\').replaceAll(';', '\\;').replaceAll(',', '\\,').replaceAll('\n', '\\n')}`);
		expect(unfold(built.caldav)).toMatch(/\r\nLOCATION:Café\\; upstairs\\, left\r\n/);
	});

	test('parameter values with , ; : are quoted, DQUOTE uses RFC 6868 ^\'', () => {
		expect(unfold(built.caldav)).toMatch(/ORGANIZER;CN="Zoë Ørganizer, PhD":mailto:me@example\.com/);
		expect(unfold(built.caldav)).toMatch(/ATTENDEE;CN=Ann \^'Nancy\^' Smith;/);
	});

	test('ical.js reads every value back unchanged', () => {
		const event = new ICAL.Component(ICAL.parse(built.caldav) as unknown[]).getFirstSubcomponent('vevent')!;
		expect(event.getFirstPropertyValue('summary')).toBe(summary);
		expect(event.getFirstPropertyValue('location')).toBe('Café; upstairs, left');
		expect(event.getFirstProperty('organizer')?.getParameter('cn')).toBe('Zoë Ørganizer, PhD');
		expect(event.getAllProperties('attendee')[1]?.getParameter('cn')).toBe('Ann "Nancy" Smith');
	});
});
