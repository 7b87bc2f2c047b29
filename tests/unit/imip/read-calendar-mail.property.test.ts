import {readdirSync, readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {readCalendarMail, type CalendarMail} from '../../../lib/imip/index.ts';
import {fixturePath} from './mail-builders.ts';

const samples: Uint8Array[] = readdirSync(fixturePath('samples'))
	.filter(name => name.endsWith('.eml'))
	.map(name => new Uint8Array(readFileSync(fixturePath('samples', name))));

/** Byte patterns that matter to a MIME parser, spliced in by the mutations. */
const tokens = ['\r\n', '\n', '\r\n\r\n', '--', '=', '=\r\n', '=?UTF-8?B?', '?=', 'Content-Type: multipart/mixed; boundary="x"\r\n', '--x\r\n', 'Content-Transfer-Encoding: base64\r\n', 'Content-Type: message/rfc822\r\n\r\n', 'BEGIN:VCALENDAR\r\n', 'END:VCALENDAR', '\t', ';', '"', '\u0000', '\u00FF']
	.map(token => Uint8Array.from(token, character => character.codePointAt(0)!));

type Mutation =
	| {kind: 'delete'; at: number; length: number}
	| {kind: 'insert'; at: number; bytes: Uint8Array}
	| {kind: 'flip'; at: number; value: number}
	| {kind: 'duplicate'; at: number; length: number}
	| {kind: 'truncate'; at: number};

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({min: 1, max: 400})}),
	fc.record({kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.oneof(fc.constantFrom(...tokens), fc.uint8Array({minLength: 1, maxLength: 64}))}),
	fc.record({kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({min: 0, max: 255})}),
	fc.record({kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({min: 1, max: 2000})}),
	fc.record({kind: fc.constant('truncate' as const), at: fc.nat()}),
);

function apply(bytes: Uint8Array, change: Mutation): Uint8Array {
	const at = bytes.length === 0 ? 0 : change.at % bytes.length;
	switch (change.kind) {
		case 'delete': {
			return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + change.length)]);
		}

		case 'insert': {
			return Uint8Array.from([...bytes.subarray(0, at), ...change.bytes, ...bytes.subarray(at)]);
		}

		case 'flip': {
			const copy = Uint8Array.from(bytes);
			copy[at] = change.value;
			return copy;
		}

		case 'duplicate': {
			const slice = bytes.subarray(at, at + change.length);
			return Uint8Array.from([...bytes.subarray(0, at), ...slice, ...slice, ...bytes.subarray(at + slice.length)]);
		}

		case 'truncate': {
			return bytes.subarray(0, at);
		}
	}
}

function expectWellFormed(mail: CalendarMail): void {
	expect(Array.isArray(mail.parts)).toBe(true);
	expect(Array.isArray(mail.problems)).toBe(true);
	for (const part of mail.parts) {
		expect(typeof part.text).toBe('string');
		expect(part.text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
	}

	for (const problem of mail.problems) {
		expect(typeof problem.code).toBe('string');
		expect(typeof problem.message).toBe('string');
	}
}

describe('readCalendarMail on mutated samples', () => {
	test('never throws or rejects, and always returns the documented shape', async () => {
		expect(samples.length).toBeGreaterThan(10);
		await fc.assert(
			fc.asyncProperty(fc.nat({max: samples.length - 1}), fc.array(mutation, {minLength: 1, maxLength: 8}), fc.boolean(), async (index, changes, asText) => {
				const mutated = changes.reduce<Uint8Array>((bytes, change) => apply(bytes, change), samples[index]!);
				// Also as a string, the other accepted input form (bytes that are not UTF-8 become U+FFFD).
				const mail = await readCalendarMail(asText ? new TextDecoder().decode(mutated) : mutated);
				expectWellFormed(mail);
			}),
			{numRuns: 300},
		);
	});

	test('mutations that keep the calendar part intact keep finding it', async () => {
		// Junk headers added at the top never hide a calendar the unmodified mail has.
		await fc.assert(
			fc.asyncProperty(fc.nat({max: samples.length - 1}), fc.array(fc.stringMatching(/^X-[A-Za-z]{1,10}: [\u0020-\u007E]{0,60}$/), {maxLength: 5}), async (index, headers) => {
				const original = samples[index]!;
				const before = await readCalendarMail(original);
				const prefix = new TextEncoder().encode(headers.map(header => `${header}\r\n`).join(''));
				const after = await readCalendarMail(Uint8Array.from([...prefix, ...original]));
				expect(after.parts).toEqual(before.parts);
			}),
			{numRuns: 60},
		);
	});
});
