import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {
	encodeBase64,
	encodeDisplayName,
	encodeMailboxList,
	encodeQuotedPrintable,
	encodeUnstructured,
	encodeWords,
	formatMailDate,
	isSevenBitSafe,
} from '../../../lib/imip/encoding.ts';

/** A plain quoted-printable decoder (RFC 2045 §6.7), written apart from the encoder so the two check each other. */
function decodeQuotedPrintable(encoded: string): string {
	const bytes: number[] = [];
	const lines = encoded.split('\r\n');
	for (const [index, line] of lines.entries()) {
		const soft = line.endsWith('=');
		const body = soft ? line.slice(0, -1) : line;
		for (let position = 0; position < body.length; position++) {
			if (body[position] === '=') {
				bytes.push(Number.parseInt(body.slice(position + 1, position + 3), 16));
				position += 2;
			} else {
				bytes.push(body.codePointAt(position)!);
			}
		}

		if (!soft && index < lines.length - 1) {
			bytes.push(0x0D, 0x0A);
		}
	}

	return new TextDecoder('utf-8', {fatal: true}).decode(new Uint8Array(bytes));
}

function decodeWord(word: string): string {
	const match = /^=\?UTF-8\?B\?([A-Za-z\d+/=]*)\?=$/.exec(word);
	expect(match).not.toBeNull();
	const bytes = Uint8Array.from(atob(match![1]!), character => character.codePointAt(0)!);
	// fatal: a word that split a character in two would not decode.
	return new TextDecoder('utf-8', {fatal: true}).decode(bytes);
}

describe('quoted-printable', () => {
	test.each([
		{input: 'plain ascii', expected: 'plain ascii'},
		{input: 'a=b', expected: 'a=3Db'},
		{input: 'trailing space \r\nnext\t', expected: 'trailing space=20\r\nnext=09'},
		{input: 'Grüße', expected: 'Gr=C3=BC=C3=9Fe'},
		{input: 'From here\r\nFrom there', expected: '=46rom here\r\n=46rom there'},
		{input: 'lf\nonly', expected: 'lf\r\nonly'},
		{input: `${'x'.repeat(80)}`, expected: `${'x'.repeat(75)}=\r\n${'x'.repeat(5)}`},
		// An escape is never split by a soft break.
		{input: `${'x'.repeat(74)}ü`, expected: `${'x'.repeat(74)}=\r\n=C3=BC`},
	])('$input', ({input, expected}) => {
		expect(encodeQuotedPrintable(input)).toBe(expected);
	});

	test('any text round-trips, in lines of at most 76 characters of printable ASCII', () => {
		fc.assert(fc.property(fc.string({unit: 'grapheme', maxLength: 400}), fc.array(fc.constantFrom('\r\n', ' ', '\t', '=', 'From '), {maxLength: 5}), (text, extras) => {
			const input = [text, ...extras].join('').replaceAll(/\r\n|\r|\n/g, '\r\n');
			const encoded = encodeQuotedPrintable(input);
			expect(encoded).toMatch(/^[\u0020-\u007E\t\r\n]*$/);
			for (const line of encoded.split('\r\n')) {
				expect(line.length).toBeLessThanOrEqual(76);
				expect(line).not.toMatch(/[ \t]$/);
			}

			expect(decodeQuotedPrintable(encoded)).toBe(input);
		}));
	});
});

describe('7bit', () => {
	test.each([
		{text: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', safe: true},
		{text: 'tab\tis fine\r\n', safe: true},
		{text: 'Köln\r\n', safe: false},
		{text: 'bare\nLF', safe: false},
		{text: 'x'.repeat(77), safe: false},
		{text: 'x'.repeat(76), safe: true},
		{text: 'nul\u0000', safe: false},
	])('$text.length characters → $safe', ({text, safe}) => {
		expect(isSevenBitSafe(text)).toBe(safe);
	});
});

describe('base64', () => {
	test('76-character lines that decode to the input', () => {
		const bytes = Uint8Array.from({length: 1000}, (_, index) => (index * 7) % 256);
		const encoded = encodeBase64(bytes);
		expect(encoded.split('\r\n').every(line => line.length <= 76)).toBe(true);
		expect(Buffer.from(encoded.replaceAll('\r\n', ''), 'base64')).toEqual(Buffer.from(bytes));
	});
});

describe('RFC 2047 and folding', () => {
	test('encoded words are at most 75 characters, honour the first budget and never split a character', () => {
		fc.assert(fc.property(fc.string({unit: 'grapheme', minLength: 1, maxLength: 200}), fc.integer({min: 20, max: 75}), (text, firstBudget) => {
			const words = encodeWords(text, firstBudget);
			expect(words[0]!.length).toBeLessThanOrEqual(firstBudget);
			expect(words.every(word => word.length <= 75)).toBe(true);
			expect(words.map(word => decodeWord(word)).join('')).toBe(text);
		}));
	});

	test.each([
		{name: 'Bob', expected: ['Bob']},
		{name: 'Bob  Smith', expected: ['Bob', 'Smith']},
		{name: 'Doe, Jane', expected: ['"Doe, Jane"']},
		{name: 'say "hi" \\o/', expected: ['"say \\"hi\\" \\\\o/"']},
		{name: 'Zoë van Dijk', expected: ['=?UTF-8?B?Wm/Dqw==?=', 'van', 'Dijk']},
		// Adjacent non-ASCII words share one encoded word, so the space between them survives decoding.
		{name: 'Jörg Müller', expected: ['=?UTF-8?B?SsO2cmcgTcO8bGxlcg==?=']},
		// Something that looks like an encoded word is encoded itself, so it reads back literally.
		{name: '=?UTF-8?B?QQ==?= Ann', expected: ['=?UTF-8?B?PT9VVEYtOD9CP1FRPT0/PQ==?=', 'Ann']},
	])('display name $name', ({name, expected}) => {
		expect(encodeDisplayName(name)).toEqual(expected);
	});

	test('a long mailbox list folds between tokens, every line within 76 characters', () => {
		const mailboxes = Array.from({length: 8}, (_, index) => ({name: `Person Number ${index} Ünïcode`, address: `person${index}@example.com`}));
		const header = `To: ${encodeMailboxList(mailboxes, 4)}`;
		expect(header.split('\r\n').length).toBeGreaterThan(1);
		expect(header.split('\r\n').every(line => line.length <= 76)).toBe(true);
		expect(header.split('\r\n').slice(1).every(line => line.startsWith(' '))).toBe(true);
	});

	test.each([
		{text: 'Short subject', expected: 'Short subject'},
		{text: `${'word '.repeat(20).trim()}`, expected: `${'word '.repeat(13).trim()}\r\n ${'word '.repeat(7).trim()}`},
		{text: 'Köln', expected: '=?UTF-8?B?S8O2bG4=?='},
	])('Subject: $text', ({text, expected}) => {
		expect(encodeUnstructured(text, 'Subject: '.length)).toBe(expected);
	});

	test('dates are RFC 5322 in UTC', () => {
		expect(formatMailDate(new Date('2026-03-05T07:08:09Z'))).toBe('Thu, 05 Mar 2026 07:08:09 +0000');
	});
});
