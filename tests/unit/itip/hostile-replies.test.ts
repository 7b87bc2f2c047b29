/**
 * Issue 12, the reply path: one crafted reply from a stranger (or from an invitee, who holds the UID) must not stall,
 * freeze, bloat or rewrite the stored event. One describe per numbered item; each test is named after the behaviour.
 */
import ICAL from 'ical.js';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {applyReply, buildInvite, keptReply, maxKeptReplyLength, maxMessageEvents, maxOccurrenceSteps, type ReplyContext} from '../../../lib/itip/index.ts';
import {attendeeParameter, eventsByOccurrence, partStats} from '../../helpers/itip-semantic.ts';

const uid = 'daily-1@example.com';
const organizer = 'org@example.com';
const me = [organizer];
const now = new Date('2026-11-20T12:00:00Z');
/** Daily at 10:00 Berlin from 2026-12-01, for ever. */
const stored = buildInvite({
	uid,
	organizer: {email: organizer, name: 'Org'},
	attendees: [{email: 'alex@example.org', name: 'Alex'}, {email: 'sam@example.org', name: 'Sam'}],
	summary: 'Daily',
	start: '2026-12-01T10:00',
	end: '2026-12-01T10:15',
	timeZone: 'Europe/Berlin',
	repeat: {freq: 'daily'},
	now: new Date('2026-11-01T09:00:00Z'),
}).caldav;

type Event = {attendee?: string; parameters?: string; partstat?: string; recurrenceId?: string; sequence?: number; dtstamp?: string; lines?: string[]};

function vevent(event: Event): string[] {
	return [
		'BEGIN:VEVENT',
		`UID:${uid}`,
		`DTSTAMP:${event.dtstamp ?? '20261120T100000Z'}`,
		`SEQUENCE:${event.sequence ?? 0}`,
		...(event.recurrenceId ? [`RECURRENCE-ID:${event.recurrenceId}`] : []),
		`ORGANIZER:mailto:${organizer}`,
		`ATTENDEE;PARTSTAT=${event.partstat ?? 'DECLINED'}${event.parameters ?? ''}:mailto:${event.attendee ?? 'alex@example.org'}`,
		...(event.lines ?? []),
		'END:VEVENT',
	];
}

function reply(...events: Event[]): string {
	return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Attacker//EN', 'METHOD:REPLY', ...events.flatMap(event => vevent(event)), 'END:VCALENDAR', ''].join('\r\n');
}

const fromAlex: ReplyContext = {senders: ['alex@example.org'], me, now};

/** RECURRENCE-IDs of the 09:00Z occurrence, `count` years apart starting three centuries ahead. */
function farOccurrences(count: number, attendee: string): Event[] {
	return Array.from({length: count}, (_unused, index) => ({attendee, recurrenceId: `${2326 + index}1201T090000Z`}));
}

/**
 * Counts steps of the event's own (daily) RRULE, the cost the crafted reply aimed at. Time-zone conversions step
 * the zone's yearly DST rules too; those are cached per zone and not what an attacker controls.
 */
function countSteps(): {steps: () => number} {
	const next = vi.spyOn(ICAL.RecurIterator.prototype, 'next');
	return {steps: () => next.mock.contexts.filter(context => (context as ICAL.RecurIterator).rule.freq === 'DAILY').length};
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe('1. bounded work', () => {
	test('a reply with 30 far RECURRENCE-IDs from someone not invited is turned away without stepping the RRULE once', () => {
		const counter = countSteps();
		const result = applyReply(stored, reply(...farOccurrences(30, 'evil@x.test')), {senders: ['evil@x.test'], me, now});
		expect(result.outcome).toBe('ignored');
		expect(result.reason).toBe(`The message carries 30 events; an answer carries at most ${maxMessageEvents}, so it was not read.`);
		expect(counter.steps()).toBe(0);
	});

	test('the envelope checks run before any occurrence work: an uninvited replier within the event limit costs no RRULE step', () => {
		const counter = countSteps();
		const result = applyReply(stored, reply(...farOccurrences(maxMessageEvents, 'evil@x.test')), {senders: ['evil@x.test'], me, now});
		expect(result).toMatchObject({outcome: 'review', check: 'uninvited'});
		expect(counter.steps()).toBe(0);
	});

	test('an invited attendee naming far occurrences costs at most the fixed step bound in all, and each is named as too far', () => {
		const counter = countSteps();
		const result = applyReply(stored, reply(...farOccurrences(maxMessageEvents, 'alex@example.org')), fromAlex);
		expect(result.outcome).toBe('ignored');
		expect(result.reason).toMatch(/too far into the series to check/);
		expect(counter.steps()).toBeLessThanOrEqual(maxOccurrenceSteps);
		expect(result.event).toBe(stored);
	});

	test('locating an occurrence costs no more than stepping to its date', () => {
		const counter = countSteps();
		const result = applyReply(stored, reply({recurrenceId: '20261205T090000Z'}), fromAlex);
		expect(result.outcome).toBe('applied');
		// DTSTART is the 1st; the 5th is the fifth occurrence: at most one step per day, plus the one that finds it.
		expect(counter.steps()).toBeLessThanOrEqual(6);
		expect(partStats(result.event)['2026-12-05T09:00:00Z']?.['alex@example.org']).toBe('DECLINED');
	});

	test('an occurrence before DTSTART costs no step at all', () => {
		const counter = countSteps();
		expect(applyReply(stored, reply({recurrenceId: '19991201T090000Z'}), fromAlex).outcome).toBe('ignored');
		expect(counter.steps()).toBe(0);
	});
});

describe('2. only From is the sender', () => {
	test('a mail From a stranger whose Sender header names the attendee goes to review, and says the Sender header proves nothing', () => {
		const result = applyReply(stored, reply({}), {senders: ['evil@x.test'], senderHeader: 'alex@example.org', me, now});
		expect(result.outcome).toBe('review');
		expect(result.check).toBe('sender');
		expect(result.reason).toBe('The mail came from evil@x.test (its Sender header names alex@example.org, which proves nothing), but the answer is for alex@example.org; only alex@example.org may answer for themselves (RFC 6047 §2.2.1).');
		expect(result.event).toBe(stored);
	});

	test('a failed DKIM/DMARC verdict from the user\'s provider sends even a matching From to review, naming the check', () => {
		const result = applyReply(stored, reply({}), {...fromAlex, authentication: 'dmarc=fail for example.org'});
		expect(result).toMatchObject({outcome: 'review', check: 'authentication'});
		expect(result.reason).toMatch(/failed its check \(dmarc=fail for example\.org\)/);
		expect(applyReply(stored, reply({}), {...fromAlex, authentication: 'dmarc=fail for example.org', overrides: ['authentication']}).outcome).toBe('applied');
	});
});

describe('3. no freezing', () => {
	test.each([
		['SEQUENCE:2147483647', {sequence: 2_147_483_647}, 'sequence-ahead'],
		['DTSTAMP:99991231T235959Z', {dtstamp: '99991231T235959Z'}, 'dtstamp-ahead'],
		['a DTSTAMP 25 hours ahead', {dtstamp: '20261121T130000Z'}, 'dtstamp-ahead'],
	] as const)('a reply with %s goes to review, is never recorded, and the next genuine answer applies', (_label, event, check) => {
		const frozen = applyReply(stored, reply(event), fromAlex);
		expect(frozen).toMatchObject({outcome: 'review', check});
		expect(frozen.event).toBe(stored);
		const genuine = applyReply(frozen.event, reply({partstat: 'ACCEPTED', dtstamp: '20261120T110000Z'}), fromAlex);
		expect(genuine.outcome).toBe('applied');
		expect(attendeeParameter(genuine.event, 'master', 'alex@example.org', 'x-pmi-reply-sequence')).toBe('0');
	});

	test('a DTSTAMP within a day ahead (a skewed clock) is still applied', () => {
		expect(applyReply(stored, reply({dtstamp: '20261121T100000Z'}), fromAlex).outcome).toBe('applied');
	});
});

describe('4. delegation cannot rewrite others', () => {
	test('a delegation to someone already invited goes to review and changes nobody', () => {
		const result = applyReply(stored, reply({partstat: 'DELEGATED', parameters: ';DELEGATED-TO="mailto:sam@example.org"'}), fromAlex);
		expect(result).toMatchObject({outcome: 'review', check: 'delegation'});
		expect(result.event).toBe(stored);
	});

	test('a delegation to several strangers goes to review', () => {
		const result = applyReply(stored, reply({partstat: 'DELEGATED', parameters: ';DELEGATED-TO="mailto:a@x.test","mailto:b@x.test"'}), fromAlex);
		expect(result).toMatchObject({outcome: 'review', check: 'delegation'});
		expect(result.reason).toMatch(/delegates to 2 people/);
	});

	test('an accepted delegation changes only the replier and adds the delegate once, NEEDS-ACTION, with DELEGATED-FROM', () => {
		const result = applyReply(stored, reply({partstat: 'DELEGATED', parameters: ';DELEGATED-TO="mailto:kim@x.test","MAILTO:Kim@x.test"'}), fromAlex);
		expect(result.outcome).toBe('applied');
		const master = eventsByOccurrence(result.event).get('master')!;
		expect(master.getAllProperties('attendee').map(property => String(property.getFirstValue()))).toEqual(['mailto:org@example.com', 'mailto:alex@example.org', 'mailto:sam@example.org', 'mailto:kim@x.test']);
		expect(attendeeParameter(result.event, 'master', 'kim@x.test', 'partstat')).toBe('NEEDS-ACTION');
		expect(attendeeParameter(result.event, 'master', 'kim@x.test', 'delegated-from')).toBe('mailto:alex@example.org');
		expect(attendeeParameter(result.event, 'master', 'sam@example.org', 'delegated-from')).toBeUndefined();
		// The same delegation again: nothing new.
		expect(applyReply(result.event, reply({partstat: 'DELEGATED', parameters: ';DELEGATED-TO="mailto:kim@x.test"'}), fromAlex).outcome).toBe('unchanged');
	});

	test('applied anyway, a delegation to an invited attendee still leaves that attendee exactly as they were', () => {
		const result = applyReply(stored, reply({partstat: 'DELEGATED', parameters: ';DELEGATED-TO="mailto:sam@example.org"'}), {...fromAlex, overrides: ['delegation']});
		expect(result.outcome).toBe('applied');
		const before = eventsByOccurrence(stored).get('master')!.getAllProperties('attendee').find(property => String(property.getFirstValue()).includes('sam'))!.toICALString();
		const after = eventsByOccurrence(result.event).get('master')!.getAllProperties('attendee').find(property => String(property.getFirstValue()).includes('sam'))!.toICALString();
		expect(after).toBe(before);
	});
});

describe('5. bounded, clean text', () => {
	test('a 900 KB comment makes neither a 900 KB CalDAV object nor a 900 KB change: it is cut to about 1 KB on a character boundary', () => {
		const comment = '😀'.repeat(450_000);
		const result = applyReply(stored, reply({lines: [`COMMENT:${comment}`]}), fromAlex);
		expect(result.outcome).toBe('applied');
		expect(result.event.length).toBeLessThan(stored.length + 2500);
		const kept = result.changes[0]!.comment!;
		expect(kept.length).toBeLessThanOrEqual(1024);
		expect(kept.endsWith('😀…')).toBe(true);
	});

	test('control characters and bidi overrides are removed from the stored comment and the name of an added attendee', () => {
		const result = applyReply(stored, reply({attendee: 'kim@x.test', parameters: ';CN="Kim\u202Egnp.exe"', lines: ['COMMENT:Yes\u0007\u202E please\u2066']}), {senders: ['kim@x.test'], me, now, allowUninvited: true});
		expect(result.outcome).toBe('applied');
		expect(attendeeParameter(result.event, 'master', 'kim@x.test', 'x-pmi-comment')).toBe('Yes please');
		expect(attendeeParameter(result.event, 'master', 'kim@x.test', 'cn')).toBe('Kim gnp.exe');
	});

	test('a reason quoting attacker text carries no control characters and is bounded', () => {
		const result = applyReply(stored, reply({}).replace(`UID:${uid}`, `UID:x\u202E${'y'.repeat(5000)}`), fromAlex);
		expect(result.outcome).toBe('ignored');
		// eslint-disable-next-line no-control-regex -- looking for control characters is the point
		expect(result.reason).not.toMatch(/[\u0000-\u001F\u202A-\u202E]/);
		expect(result.reason.length).toBeLessThan(600);
	});

	test('the reply kept for "apply anyway" is a few KB whatever its size, and applies the same way', () => {
		const big = reply({lines: [`COMMENT:${'x'.repeat(900_000)}`, `X-JUNK:${'y'.repeat(100_000)}`]});
		const kept = keptReply(big)!;
		expect(kept.length).toBeLessThanOrEqual(maxKeptReplyLength);
		expect(applyReply(stored, kept, fromAlex).changes).toEqual(applyReply(stored, big, fromAlex).changes);
	});
});

describe('6. lookalikes are flagged', () => {
	test('an address differing from an attendee\'s only by a Cyrillic letter is shown in punycode with a warning', () => {
		const lookalike = 'alex@ex\u0430mple.org';
		const result = applyReply(stored, reply({attendee: lookalike}), {senders: [lookalike], me, now});
		expect(result).toMatchObject({outcome: 'review', check: 'uninvited'});
		expect(result.reason).toMatch(/^alex@xn--exmple-4nf\.org answered but is not invited/);
		expect(result.warnings).toEqual(['alex@xn--exmple-4nf.org looks like alex@example.org but is a different address (written with lookalike characters).']);
	});

	test('a domain mixing scripts is flagged even when it imitates no attendee', () => {
		const mixed = 'kim@p\u0430ypal.com';
		const result = applyReply(stored, reply({attendee: mixed}), {senders: [mixed], me, now});
		expect(result.warnings?.[0]).toMatch(/^kim@xn--pypal-4ve\.com has a domain written in a mix of alphabets/);
	});

	test('an ordinary stranger gets no lookalike warning', () => {
		const result = applyReply(stored, reply({attendee: 'kim@x.test'}), {senders: ['kim@x.test'], me, now});
		expect(result.warnings).toBeUndefined();
	});
});
