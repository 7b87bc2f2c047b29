/**
 * iCalendar text out: CRLF line ends and lines folded at 75 octets (RFC 5545 §3.1).
 *
 * ical.js escapes TEXT values (`\\` `;` `,` newline, RFC 5545 §3.3.11) and quotes parameters correctly, and its
 * folding never splits a UTF-8 character, but it puts 75 octets *after* the leading space of a continuation line,
 * so continuation lines are 76 octets long. We unfold its output and fold again ourselves.
 */
import type ICAL from 'ical.js';
import {unfold} from '../ical-lines.ts';

/** RFC 5545 §3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line break." */
export const maxLineOctets = 75;

function utf8Length(codePoint: number): number {
	if (codePoint < 0x80) {
		return 1;
	}

	if (codePoint < 0x8_00) {
		return 2;
	}

	return codePoint < 0x1_00_00 ? 3 : 4;
}

/**
 * Folds one unfolded content line into physical lines of at most 75 octets each, counting the leading space of
 * continuation lines, and breaking only between code points so no UTF-8 sequence is split (RFC 5545 §3.1).
 */
export function foldLine(line: string): string {
	const pieces: string[] = [];
	let current = '';
	let octets = 0;
	for (const character of line) {
		const size = utf8Length(character.codePointAt(0) ?? 0);
		if (octets + size > maxLineOctets) {
			pieces.push(current);
			current = ' ';
			octets = 1;
		}

		current += character;
		octets += size;
	}

	pieces.push(current);
	return pieces.join('\r\n');
}

/** The iCalendar text of a component: CRLF after every line, the last one included, each folded to 75 octets. */
export function serialize(component: ICAL.Component): string {
	const lines = unfold(component.toString()).split(/\r?\n/).filter(line => line !== '');
	return lines.map(line => foldLine(line)).join('\r\n') + '\r\n';
}
