/**
 * applyReply never throws: fixture replies (and stored events), mutated at random by fast-check, always give one of
 * the four outcomes, a reason, and the stored event back unless something was applied.
 */
import {readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {expect, test} from 'vitest';
import type ICAL from 'ical.js';
import {normalizeAddress} from '../../../lib/address.ts';
import {applyReply, type ReplyContext} from '../../../lib/itip/index.ts';
import {eventsOf, masterOf, parseCalendar} from '../../../lib/itip/calendar.ts';

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
	// Issue 12's attacks: freezing marks, delegations that name others, oversized and control-laden text.
	'SEQUENCE:2147483647', 'DTSTAMP:99991231T235959Z', 'ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:bar@example.org","mailto:x@y.z":mailto:foo@example.org',
	'ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:strunk@example.org":mailto:one@example.org', `COMMENT:${'\u202Ex'.repeat(3000)}`, 'ATTENDEE;CN="\u0007\u202E":mailto:foo@example.org',
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

// 1,500 runs take a few seconds on a quiet machine; the limit is vitest's guard against a hang, not a speed check.
test('applyReply never throws on mutated replies and stored events, and always answers with one of the four outcomes', {timeout: 120_000}, () => {
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

/** The one attendee a reply speaks for, as applyReply will read it; '' when the reply does not parse. */
function replierOf(reply: string): string {
	const parsed = parseCalendar(reply);
	const attendee = parsed.ok ? eventsOf(parsed.calendar)[0]?.getFirstProperty('attendee') : undefined;
	const value: unknown = attendee?.toJSON()[3];
	return typeof value === 'string' ? normalizeAddress(value) : '';
}

/** What a reply may change on its replier's entry (RFC 5546 §3.2.3 and our X-PMI marks); nothing else. */
const replierParameters = new Set(['partstat', 'rsvp', 'x-pmi-comment', 'x-pmi-reply-sequence', 'x-pmi-reply-dtstamp', 'x-pmi-request-status', 'delegated-to']);

function addressOfProperty(property: ICAL.Property): string {
	const value: unknown = property.toJSON()[3];
	return typeof value === 'string' ? normalizeAddress(value) : '';
}

function withoutParameters(property: ICAL.Property, names: ReadonlySet<string>): string {
	const [name, parameters, type, ...values] = property.toJSON() as [string, Record<string, unknown>, string, ...unknown[]];
	return JSON.stringify([name, Object.fromEntries(Object.entries(parameters).filter(([key]) => !names.has(key)).sort()), type, values]);
}

const startProperties = new Set(['dtstart', 'dtend', 'recurrence-id', 'rrule', 'rdate', 'exdate', 'attendee']);

/** Checks that `after` differs from `before` only where a reply from `replier` may change it. */
function expectOnlyReplierChanged(before: string, after: string, replier: string): void {
	const a = parseCalendar(after);
	const b = parseCalendar(before);
	expect(a.ok && b.ok).toBe(true);
	if (!a.ok || !b.ok) {
		return;
	}

	const keyOf = (event: ICAL.Component): string => JSON.stringify(event.getFirstProperty('recurrence-id')?.toJSON() ?? 'master');
	expect(a.calendar.getAllSubcomponents().filter(component => component.name !== 'vevent').map(component => component.toString()))
		.toEqual(b.calendar.getAllSubcomponents().filter(component => component.name !== 'vevent').map(component => component.toString()));
	const beforeEvents = new Map(eventsOf(b.calendar).map(event => [keyOf(event), event]));
	const afterKeys = new Set(eventsOf(a.calendar).map(event => keyOf(event)));
	for (const key of beforeEvents.keys()) {
		expect(afterKeys.has(key)).toBe(true);
	}

	for (const event of eventsOf(a.calendar)) {
		const existing = beforeEvents.get(keyOf(event));
		// A new override copies the master at one occurrence (RFC 5545 §3.8.4.4): only its times differ.
		const base = existing ?? masterOf(b.calendar)!;
		const skip = existing ? new Set(['attendee']) : startProperties;
		const others = (component: ICAL.Component): string[] => component.getAllProperties().filter(property => !skip.has(property.name)).map(property => property.toICALString());
		expect(others(event)).toEqual(others(base));
		const afterAttendees = event.getAllProperties('attendee');
		const added = afterAttendees.filter(property => !base.getAllProperties('attendee').some(old => addressOfProperty(old) === addressOfProperty(property)));
		for (const old of base.getAllProperties('attendee')) {
			const now = afterAttendees.find(property => addressOfProperty(property) === addressOfProperty(old));
			expect(now).toBeDefined();
			const free = addressOfProperty(old) === replier ? replierParameters : new Set<string>();
			// A new override starts without the master's ordering marks (they belong to the master's key).
			const marks = existing ? free : new Set([...free, 'x-pmi-reply-sequence', 'x-pmi-reply-dtstamp']);
			expect(withoutParameters(now!, marks)).toBe(withoutParameters(old, marks));
		}

		// At most one new attendee: the replier's delegate, NEEDS-ACTION, DELEGATED-FROM the replier.
		expect(added.length).toBeLessThanOrEqual(1);
		for (const delegate of added) {
			expect(delegate.getParameter('partstat')).toBe('NEEDS-ACTION');
			expect(String(delegate.getParameter('delegated-from')).toLowerCase()).toBe(`mailto:${replier}`);
		}
	}
}

test('property: mutated real replies change nothing in the stored event but the replier\'s own answer, the X-PMI marks and at most one new delegate', {timeout: 120_000}, () => {
	fc.assert(fc.property(
		fc.constantFrom(...cases),
		fc.array(mutation, {minLength: 1, maxLength: 4}),
		([stored, reply, organizer], mutations) => {
			const mutated = mutate(reply, mutations);
			const replier = replierOf(mutated);
			const result = applyReply(stored, mutated, {senders: replier ? [replier] : [], me: [organizer], now: new Date('2026-11-20T12:00:00Z')});
			if (result.outcome === 'applied') {
				expectOnlyReplierChanged(stored, result.event, replier);
			} else {
				expect(result.event).toBe(stored);
			}
		},
	), {numRuns: 600});
});
