/**
 * process() never throws, only gives the four outcomes, and a stranger's message never changes the user's copy:
 * REQUESTs, updates and CANCELs (ours and real clients'), mutated at random by fast-check.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {expect, test} from 'vitest';
import {readCalendarMail} from '../../../lib/imip/index.ts';
import {buildCancel, buildInvite, buildReply, buildUpdate, process} from '../../../lib/itip/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const samples = path.resolve(repoRoot, '../shared/fixtures/itip/samples');
const organizer = 'org@example.com';
const me = 'alex@example.org';
const invite = buildInvite({
	uid: 'prop-1@example.com',
	organizer: {email: organizer, name: 'Org'},
	attendees: [{email: me}, {email: 'sam@example.org'}],
	summary: 'Weekly',
	start: '2026-12-01T10:00',
	end: '2026-12-01T11:00',
	timeZone: 'Europe/Berlin',
	repeat: {freq: 'weekly', count: 5},
	now: new Date('2026-11-01T09:00:00Z'),
});
const copy = process(invite.request, undefined, {me: [me], from: [organizer]}).event!;
const accepted = buildReply(copy, {me: [me], answer: 'ACCEPTED', now: new Date('2026-11-02T09:00:00Z')}).caldav;
const later = new Date('2026-11-05T09:00:00Z');

/** Messages that would change `accepted` when they came from the organizer. */
const messages = [
	invite.request,
	buildUpdate(accepted, {start: '2026-12-01T12:00', end: '2026-12-01T13:00', now: later}).request!,
	buildUpdate(accepted, {location: 'https://evil.example/login', now: later}).request!,
	buildCancel(accepted, {now: later}).cancel,
	buildCancel(accepted, {recurrenceId: '2026-12-08T10:00', now: later}).cancel,
	// Real senders' shapes, with our UID, organizer and user so they aim at the copy.
	...await Promise.all(['outlookcom-REQUEST-base64-lf.eml', 'google-REQUEST-nextcloudmail-fixture.eml'].map(async name => (await readCalendarMail(readFileSync(path.join(samples, name)))).parts[0]!.text)),
	readFileSync(path.join(samples, 'google-CANCEL.ics'), 'utf8'),
	readFileSync(path.join(samples, 'icloud-CANCEL.ics'), 'utf8'),
].map(text => text
	.replaceAll(/^UID:.*$/gm, 'UID:prop-1@example.com')
	.replaceAll(/^(ORGANIZER[^\r\n]*:)mailto:[^\r\n]+$/gim, `$1mailto:${organizer}`)
	.replaceAll(/mailto:(bob@example\.org|karim@nilas\.com)/gi, `mailto:${me}`));

const lines = (text: string): string[] => text.split(/\r?\n/);

/** Random damage: drop, duplicate or rewrite lines, change SEQUENCE/METHOD/STATUS, insert junk. */
const mutation = fc.oneof(
	fc.record({kind: fc.constant('drop' as const), at: fc.nat()}),
	fc.record({kind: fc.constant('duplicate' as const), at: fc.nat()}),
	fc.record({kind: fc.constant('junk' as const), at: fc.nat(), text: fc.string({maxLength: 40})}),
	fc.record({kind: fc.constant('sequence' as const), value: fc.oneof(fc.integer({min: -3, max: 50}).map(String), fc.string({maxLength: 5}))}),
	fc.record({kind: fc.constant('method' as const), value: fc.constantFrom('REQUEST', 'CANCEL', 'REPLY', 'COUNTER', 'PUBLISH', '', 'request')}),
	fc.record({kind: fc.constant('status' as const), value: fc.constantFrom('CANCELLED', 'CONFIRMED', 'TENTATIVE', '')}),
	fc.record({kind: fc.constant('truncate' as const), at: fc.nat()}),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, changes: ReadonlyArray<Mutation>): string {
	let current = lines(text);
	for (const change of changes) {
		const at = 'at' in change ? change.at % Math.max(1, current.length) : 0;
		switch (change.kind) {
			case 'drop': {
				current = current.filter((_line, index) => index !== at);
				break;
			}

			case 'duplicate': {
				current = [...current.slice(0, at + 1), current[at] ?? '', ...current.slice(at + 1)];
				break;
			}

			case 'junk': {
				current = [...current.slice(0, at), change.text, ...current.slice(at)];
				break;
			}

			case 'sequence': {
				current = current.map(line => (line.startsWith('SEQUENCE:') ? `SEQUENCE:${change.value}` : line));
				break;
			}

			case 'method': {
				current = current.map(line => (line.startsWith('METHOD:') ? `METHOD:${change.value}` : line));
				break;
			}

			case 'status': {
				current = current.map(line => (line.startsWith('STATUS:') ? `STATUS:${change.value}` : line));
				break;
			}

			case 'truncate': {
				current = current.slice(0, at);
				break;
			}
		}
	}

	return current.join('\r\n');
}

/**
 * Hundreds of parses take a few seconds on a busy machine; vitest's 5 s default would make a slow run fail, which says
 * nothing about the property. Speed is for `npm run bench`.
 */
const propertyTimeout = 60_000;
const outcomes = ['applied', 'unchanged', 'ignored', 'review'];
const stranger = fc.oneof(fc.emailAddress(), fc.constantFrom('mallory@evil.example', 'ORG@example.com.evil', 'sam@example.org', me));
const stored = fc.constantFrom(accepted, copy, '', 'not a calendar');

test('never throws; one of the four outcomes; a reason; the copy back unless applied', () => {
	fc.assert(fc.property(fc.constantFrom(...messages), fc.array(mutation, {maxLength: 4}), stored, fc.boolean(), (message, changes, existing, trusted) => {
		const text = mutate(message, changes);
		const result = process(text, existing, {me: [me], from: [organizer], trustSender: trusted});
		expect(outcomes).toContain(result.outcome);
		expect(result.reason.length).toBeGreaterThan(0);
		if (result.outcome !== 'applied') {
			expect(result.event).toBe(existing === '' ? null : existing);
		}
	}), {numRuns: 200});
}, propertyTimeout);

test('a stranger\'s message (any From but the copy\'s organizer) never changes the copy', () => {
	fc.assert(fc.property(fc.constantFrom(...messages), fc.array(mutation, {maxLength: 4}), stranger, fc.constantFrom(accepted, copy), (message, changes, from, existing) => {
		fc.pre(from.toLowerCase() !== organizer);
		const result = process(mutate(message, changes), existing, {me: [me], from: [from]});
		expect(result.outcome).not.toBe('applied');
		expect(result.event).toBe(existing);
	}), {numRuns: 300});
}, propertyTimeout);
