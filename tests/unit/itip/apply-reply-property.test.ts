/**
 * applyReply never throws: fixture replies (and stored events), mutated at random by fast-check, always give one of
 * the four outcomes, a reason, and the stored event back unless something was applied.
 */
import {readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {expect, test} from 'vitest';
import {applyReply, type ReplyContext} from '../../../lib/itip/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const vectors = path.resolve(repoRoot, '../shared/fixtures/itip/vectors/reply-processing');
const samples = path.resolve(repoRoot, '../shared/fixtures/itip/samples');
const ours = path.resolve(repoRoot, 'tests/fixtures/itip');

/** [stored, reply, organizer] triples from the sabre vectors, the bare .ics samples and our fixtures. */
const cases: Array<[string, string, string]> = [
	...readdirSync(vectors).filter(name => name.endsWith('.reply.ics')).map((name): [string, string, string] => {
		const before = path.join(vectors, name.replace('.reply.ics', '.before.ics'));
		let stored = '';
		try {
			stored = readFileSync(before, 'utf8');
		} catch {
			// reply-no-original has no stored event: the empty string is a case too.
		}

		return [stored, readFileSync(path.join(vectors, name), 'utf8'), 'bar@example.org'];
	}),
	...['google-REPLY-declined.ics', 'google-REPLY-tentative-xmicrosoft-cdo.ics', 'google-REPLY-unknown-uid.ics'].map((name): [string, string, string] => [
		readFileSync(path.join(ours, 'google-single/before.ics'), 'utf8'), readFileSync(path.join(samples, name), 'utf8'), 'test2@example.com',
	]),
	[readFileSync(path.join(ours, 'stale-reply/before.ics'), 'utf8'), readFileSync(path.join(ours, 'stale-reply/reply.ics'), 'utf8'), 'org@example.com'],
	[readFileSync(path.join(ours, 'sent-by/before.ics'), 'utf8'), readFileSync(path.join(ours, 'sent-by/reply.ics'), 'utf8'), 'org@example.com'],
];

// The same replies against events that already hold their answer, so mutations can also end in `unchanged`.
cases.push(...cases.map(([stored, reply, organizer]): [string, string, string] => [
	applyReply(stored, reply, {me: [organizer], trustSender: true, allowUninvited: true}).event, reply, organizer,
]));

const interesting = [
	'', ':', ';', ',', '"', '\\', '\r\n', '\n', ' ', '\t', 'BEGIN:VEVENT', 'END:VEVENT', 'END:VCALENDAR', 'BEGIN:VCALENDAR',
	'RECURRENCE-ID:', 'RECURRENCE-ID;TZID=Nowhere/Else:20140725T000000', 'RECURRENCE-ID;VALUE=DATE:20140725', 'RECURRENCE-ID:99999999T999999Z',
	'ATTENDEE:', 'ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:x@y.z":mailto:foo@example.org', 'PARTSTAT=', 'PARTSTAT=IN-PROCESS',
	'SEQUENCE:-1', 'SEQUENCE:99999999999999999999', 'DTSTAMP:0', 'DTSTAMP:20140101T000000', 'METHOD:COUNTER', 'METHOD:REPLY', 'UID:',
	'RRULE:FREQ=SECONDLY', 'RRULE:FREQ=DAILY;COUNT=0', 'RRULE:garbage', 'EXDATE:nope', 'RDATE;VALUE=PERIOD:20140101T000000Z/PT1H',
	'DTSTART;TZID=America/Toronto:2014', 'DURATION:P1000Y', 'BEGIN:VTIMEZONE\r\nTZID:X\r\nEND:VTIMEZONE', 'mailto:', 'MAILTO:FOO@EXAMPLE.ORG',
	'\u0000', '\uFEFF', '😀', 'é',
];

type Mutation = (lines: string[]) => string[];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.nat().map((index): Mutation => lines => lines.filter((_line, at) => at !== index % Math.max(lines.length, 1))),
	fc.nat().map((index): Mutation => lines => lines.flatMap((line, at) => (at === index % Math.max(lines.length, 1) ? [line, line] : [line]))),
	fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => lines => {
		const copy = [...lines];
		if (copy.length < 2) {
			return copy;
		}

		const i = a % copy.length;
		const j = b % copy.length;
		[copy[i], copy[j]] = [copy[j]!, copy[i]!];
		return copy;
	}),
	fc.tuple(fc.nat(), fc.constantFrom(...interesting)).map(([index, text]): Mutation => lines => {
		const copy = [...lines];
		copy.splice(index % (copy.length + 1), 0, text);
		return copy;
	}),
	fc.tuple(fc.nat(), fc.nat(), fc.oneof(fc.constantFrom(...interesting), fc.string({maxLength: 12}))).map(([index, position, text]): Mutation => lines => lines.map((line, at) => {
		if (at !== index % Math.max(lines.length, 1)) {
			return line;
		}

		const cut = position % (line.length + 1);
		return line.slice(0, cut) + text + line.slice(cut + 1);
	})),
	fc.nat().map((index): Mutation => lines => lines.slice(0, index % (lines.length + 1))),
	fc.constant<Mutation>(lines => lines.map(line => line.toLowerCase())),
);

const outcomes = new Set(['applied', 'unchanged', 'ignored', 'review']);

function mutate(text: string, mutations: Mutation[]): string {
	return mutations.reduce((lines, change) => change(lines), text.split(/\r?\n/)).join('\r\n');
}

test('applyReply never throws on mutated replies and stored events, and always answers with one of the four outcomes', () => {
	fc.assert(fc.property(
		fc.constantFrom(...cases),
		fc.array(mutation, {minLength: 1, maxLength: 4}),
		fc.array(mutation, {maxLength: 2}),
		fc.record({trustSender: fc.boolean(), allowUninvited: fc.boolean(), sender: fc.constantFrom('foo@example.org', 'crasher@example.org', 'karim@example.com', 'ann@example.org', '')}),
		([stored, reply, organizer], replyMutations, storedMutations, options) => {
			const mutatedStored = storedMutations.length > 0 ? mutate(stored, storedMutations) : stored;
			const context: ReplyContext = {
				senders: options.sender ? [options.sender] : [],
				me: [organizer],
				trustSender: options.trustSender,
				allowUninvited: options.allowUninvited,
			};
			const result = applyReply(mutatedStored, mutate(reply, replyMutations), context);
			expect(outcomes.has(result.outcome)).toBe(true);
			expect(typeof result.reason).toBe('string');
			expect(result.reason.length).toBeGreaterThan(0);
			expect(Array.isArray(result.changes)).toBe(true);
			expect(typeof result.event).toBe('string');
			if (result.outcome !== 'applied') {
				expect(result.event).toBe(mutatedStored);
			}

			if (result.outcome === 'applied') {
				expect(result.changes.length).toBeGreaterThan(0);
			}
		},
	), {numRuns: 1500});
});

test('the mutations reach every outcome (so the property above is not only exercising parse errors)', () => {
	const seen = new Set<string>();
	fc.assert(fc.property(fc.constantFrom(...cases), fc.array(mutation, {minLength: 1, maxLength: 2}), ([stored, reply, organizer], mutations) => {
		seen.add(applyReply(stored, mutate(reply, mutations), {senders: ['foo@example.org', 'karim@example.com', 'ann@example.org'], me: [organizer]}).outcome);
	}), {numRuns: 400, seed: 42});
	expect([...seen].sort()).toEqual(['applied', 'ignored', 'review', 'unchanged']);
});

test('inputs that are not even strings are ignored, not thrown on', () => {
	const result = applyReply(undefined as unknown as string, null as unknown as string, {me: []});
	expect(result.outcome).toBe('ignored');
	expect(result.event).toBe('');
});
