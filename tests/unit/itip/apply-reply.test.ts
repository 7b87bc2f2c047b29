/**
 * applyReply, rule by rule (issue 3, "Applying a reply"). Stored events come from buildInvite with a fixed UID and
 * clock; replies are written out here so each rule's input is visible in the table.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {applyReply, buildInvite, type ReplyContext} from '../../../lib/itip/index.ts';
import {attendeeParameter, eventsByOccurrence, partStats} from '../../helpers/itip-semantic.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const fixture = (name: string): string => readFileSync(path.resolve(repoRoot, 'tests/fixtures/itip', name), 'utf8');

const uid = 'weekly-1@example.com';
/** Weekly on Tuesdays at 10:00 Berlin from 2026-12-01, ten times: 09:00Z in winter. */
const stored = buildInvite({
	uid,
	organizer: {email: 'org@example.com', name: 'Org'},
	attendees: [{email: 'ann@example.org', name: 'Ann'}, {email: 'bob@example.org', name: 'Bob'}],
	summary: 'Weekly',
	start: '2026-12-01T10:00',
	end: '2026-12-01T11:00',
	timeZone: 'Europe/Berlin',
	repeat: {freq: 'weekly', count: 10},
	now: new Date('2026-11-01T09:00:00Z'),
}).caldav;

const me = ['org@example.com'];
const fromAnn: ReplyContext = {senders: ['ann@example.org'], me};

type ReplyOptions = {
	method?: string;
	uid?: string;
	attendee?: string;
	attendeeParameters?: string;
	partstat?: string | null;
	sequence?: number;
	dtstamp?: string | null;
	recurrenceId?: string;
	organizer?: boolean;
	lines?: string[];
};

function vevent(options: ReplyOptions): string[] {
	const partstat = options.partstat === undefined ? 'ACCEPTED' : options.partstat;
	return [
		'BEGIN:VEVENT',
		`UID:${options.uid ?? uid}`,
		...(options.dtstamp === null ? [] : [`DTSTAMP:${options.dtstamp ?? '20261102T100000Z'}`]),
		`SEQUENCE:${options.sequence ?? 0}`,
		...(options.organizer === false ? [] : ['ORGANIZER;CN=Org:mailto:org@example.com']),
		`ATTENDEE${partstat === null ? '' : `;PARTSTAT=${partstat}`}${options.attendeeParameters ?? ''}:${options.attendee ?? 'mailto:ann@example.org'}`,
		...(options.recurrenceId ? [`RECURRENCE-ID${options.recurrenceId}`] : []),
		...(options.lines ?? []),
		'END:VEVENT',
	];
}

function reply(options: ReplyOptions = {}, more: ReplyOptions[] = []): string {
	return [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Test//EN',
		...(options.method === '' ? [] : [`METHOD:${options.method ?? 'REPLY'}`]),
		...vevent(options),
		...more.flatMap(item => vevent({...options, ...item})),
		'END:VCALENDAR',
		'',
	].join('\r\n');
}

describe('what is ignored', () => {
	test.each([
		['METHOD:REQUEST', reply({method: 'REQUEST'}), /is a REQUEST, not a REPLY/],
		['METHOD:CANCEL', reply({method: 'CANCEL'}), /is a CANCEL, not a REPLY/],
		['METHOD:REFRESH', reply({method: 'REFRESH'}), /is a REFRESH, not a REPLY/],
		['no METHOD', reply({method: ''}), /has no METHOD/],
		['another UID', reply({uid: 'other@example.com'}), /another event \(UID other@example\.com\)/],
		['VEVENTs with different UIDs', reply({}, [{uid: 'other@example.com', recurrenceId: ':20261208T090000Z'}]), /mixes events with different UIDs/],
		['no ATTENDEE (RFC 5546 §3.2.3)', reply({lines: []}).replace(/ATTENDEE[^\r]*\r\n/, ''), /names 0/],
		['two ATTENDEEs (RFC 5546 §3.2.3)', reply({lines: ['ATTENDEE;PARTSTAT=DECLINED:mailto:bob@example.org']}), /names 2/],
		['two attendees across VEVENTs', reply({}, [{attendee: 'mailto:bob@example.org', recurrenceId: ':20261208T090000Z'}]), /answers for several/],
		['a VTODO PARTSTAT', reply({partstat: 'COMPLETED'}), /PARTSTAT COMPLETED is not an answer to an event/],
		['a RECURRENCE-ID that is no date', reply({recurrenceId: ':soon'}), /RECURRENCE-ID that is not a date/],
		['the same occurrence twice', reply({recurrenceId: ':20261208T090000Z'}, [{recurrenceId: ';TZID=Europe/Berlin:20261208T100000'}]), /same occurrence twice/],
		['not an occurrence (wrong time)', reply({recurrenceId: ':20261208T100000Z'}), /no occurrence at 2026-12-08T10:00:00Z/],
		['not an occurrence (after COUNT=10)', reply({recurrenceId: ':20270209T090000Z'}), /no occurrence at 2027-02-09T09:00:00Z/],
		['text that is not iCalendar', 'hello', /not valid iCalendar/],
		['an empty message', '', /not valid iCalendar: it is empty/],
		['a VCARD', 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann\r\nEND:VCARD\r\n', /not a VCALENDAR/],
	])('%s', (_label, message, reason) => {
		const result = applyReply(stored, message, fromAnn);
		expect(result.outcome).toBe('ignored');
		expect(result.reason).toMatch(reason);
		expect(result.changes).toEqual([]);
		expect(result.event).toBe(stored);
	});

	test.each([
		['me is someone else', {senders: ['ann@example.org'], me: ['ann@example.org']}, /organized by org@example\.com, not by you \(ann@example\.org\)/],
		['no addresses of mine', {senders: ['ann@example.org'], me: []}, /not by you \(no address given\)/],
	])('the stored event must be organized by me: %s', (_label, context, reason) => {
		const result = applyReply(stored, reply(), context);
		expect(result.outcome).toBe('ignored');
		expect(result.reason).toMatch(reason);
	});

	test.each([
		['unparsable', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nthis is no content line\r\n', /stored event could not be read: /],
		['without VEVENT', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n', /holds no event/],
		['without ORGANIZER', stored.replace(/ORGANIZER[^\r]*\r\n/, ''), /has no ORGANIZER/],
	])('a stored event %s', (_label, broken, reason) => {
		const result = applyReply(broken, reply(), fromAnn);
		expect(result.outcome).toBe('ignored');
		expect(result.reason).toMatch(reason);
		expect(result.event).toBe(broken);
	});

	test('the parser\'s own reason is passed on', () => {
		const result = applyReply(stored, 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nno colon here\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n', fromAnn);
		expect(result.reason).toMatch(/^The message is not valid iCalendar: invalid line \(no token ";" or ":"\)/);
	});
});

describe('who may answer', () => {
	test.each([
		['exact', 'mailto:ann@example.org', ['ann@example.org']],
		['MAILTO: and upper case', 'MAILTO:ANN@Example.ORG', ['ann@example.org']],
		['From with angle brackets and spaces', 'mailto:ann@example.org', [' <Ann@Example.org> ']],
		['From with mailto:', 'mailto:ann@example.org', ['mailto:ann@example.org']],
	])('the replier is matched case-insensitively, mailto: and whitespace normalised: %s', (_label, attendee, senders) => {
		const result = applyReply(stored, reply({attendee}), {senders, me: ['ORG@example.com']});
		expect(result.outcome).toBe('applied');
		expect(partStats(result.event).master?.['ann@example.org']).toBe('ACCEPTED');
	});

	test('an uninvited address (a party crasher) is review, with what it asked for', () => {
		const result = applyReply(stored, reply({attendee: 'mailto:eve@example.net'}), {senders: ['eve@example.net'], me});
		expect(result).toEqual({
			outcome: 'review',
			reason: 'eve@example.net answered but is not invited to the event; check it before adding them.',
			changes: [{attendee: 'eve@example.net', partstat: 'ACCEPTED'}],
			event: stored,
			check: 'uninvited',
		});
	});

	test('a delegate whose delegator has not replied yet is review, and the reason says why', () => {
		const result = applyReply(stored, reply({attendee: 'mailto:carol@example.org', attendeeParameters: ';DELEGATED-FROM="mailto:ann@example.org"'}), {senders: ['carol@example.org'], me});
		expect(result.outcome).toBe('review');
		expect(result.reason).toBe('carol@example.org answered but is not invited to the event (it says ann@example.org delegated to it, but that delegation has not been recorded); check it before adding them.');
	});

	test('an ATTENDEE without an address is ignored', () => {
		expect(applyReply(stored, reply({attendee: ''}), fromAnn).reason).toBe('The reply\'s ATTENDEE has no address.');
	});

	test('once reviewed (allowUninvited), the crasher is added with their answer', () => {
		const result = applyReply(stored, reply({attendee: 'mailto:eve@example.net', attendeeParameters: ';CN=Eve'}), {senders: ['eve@example.net'], me, allowUninvited: true});
		expect(result.outcome).toBe('applied');
		expect(partStats(result.event).master?.['eve@example.net']).toBe('ACCEPTED');
		expect(attendeeParameter(result.event, 'master', 'eve@example.net', 'cn')).toBe('Eve');
	});

	test.each([
		['From is someone else (RFC 6047 §2.2.1: spoof@ must not decline for ann@)', {senders: ['spoof@example.net'], me}, /came from spoof@example\.net, but the answer is for ann@example\.org/],
		['no mail around it (bare .ics)', {senders: [], me}, /without a mail around it/],
		['senders omitted', {me}, /without a mail around it/],
	])('the sender must be the replier: %s → review', (_label, context, reason) => {
		const result = applyReply(stored, reply({partstat: 'DECLINED'}), context);
		expect(result.outcome).toBe('review');
		expect(result.reason).toMatch(reason);
		expect(result.changes).toEqual([{attendee: 'ann@example.org', partstat: 'DECLINED'}]);
		expect(result.event).toBe(stored);
	});

	test('the Sender header counts as well as From', () => {
		expect(applyReply(stored, reply(), {senders: ['list@example.net', 'ann@example.org'], me}).outcome).toBe('applied');
	});

	test('trustSender skips the check (pmi apply-reply --trust-sender)', () => {
		expect(applyReply(stored, reply(), {senders: [], me, trustSender: true}).outcome).toBe('applied');
	});

	test('SENT-BY that the stored attendee names: the assistant may answer', () => {
		const result = applyReply(fixture('sent-by/before.ics'), fixture('sent-by/reply.ics'), {senders: ['assistant@example.org'], me});
		expect(result.outcome).toBe('applied');
		expect(partStats(result.event)).toEqual(partStats(fixture('sent-by/after.ics')));
	});

	// Deliberate: the issue allows "the ATTENDEE address, or its SENT-BY", but a SENT-BY in the reply is written by
	// whoever sent it, so on its own it would let spoof@ answer for anyone. It counts only when the stored event
	// already names that SENT-BY for the attendee; otherwise a person decides.
	test('SENT-BY that only the reply claims: review', () => {
		const before = fixture('sent-by/before.ics').replace(';SENT-BY="mailto:assistant@example.org"', '');
		const result = applyReply(before, fixture('sent-by/reply.ics'), {senders: ['assistant@example.org'], me});
		expect(result.outcome).toBe('review');
		expect(result.reason).toMatch(/came from assistant@example\.org, answering on behalf of ann@example\.org/);
	});
});

describe('the answer itself', () => {
	test.each(['ACCEPTED', 'DECLINED', 'TENTATIVE', 'DELEGATED'])('PARTSTAT=%s is recorded and RSVP becomes FALSE', partstat => {
		const result = applyReply(stored, reply({partstat}), fromAnn);
		expect(result.outcome).toBe('applied');
		expect(partStats(result.event).master).toEqual({'org@example.com': 'ACCEPTED', 'ann@example.org': partstat, 'bob@example.org': 'NEEDS-ACTION'});
		expect(attendeeParameter(result.event, 'master', 'ann@example.org', 'rsvp')).toBe('FALSE');
		expect(result.changes).toEqual([{attendee: 'ann@example.org', partstat}]);
	});

	test('PARTSTAT=NEEDS-ACTION (undecided again) keeps RSVP=TRUE', () => {
		const accepted = applyReply(stored, reply({dtstamp: '20261102T100000Z'}), fromAnn).event;
		const undecided = applyReply(accepted, reply({partstat: 'NEEDS-ACTION', dtstamp: '20261103T100000Z'}), fromAnn);
		expect(undecided.outcome).toBe('applied');
		expect(attendeeParameter(undecided.event, 'master', 'ann@example.org', 'partstat')).toBe('NEEDS-ACTION');
		// RSVP went FALSE with the first answer; an undecided reply does not ask again, it leaves RSVP as it was.
		expect(attendeeParameter(undecided.event, 'master', 'ann@example.org', 'rsvp')).toBe('FALSE');
	});

	test('a reply without PARTSTAT means NEEDS-ACTION (RFC 5545 §3.2.12 default)', () => {
		const result = applyReply(stored, reply({partstat: null}), fromAnn);
		expect(result.changes).toEqual([{attendee: 'ann@example.org', partstat: 'NEEDS-ACTION'}]);
	});

	test('COMMENT is kept for display, in the change and on the stored attendee', () => {
		const result = applyReply(stored, reply({partstat: 'TENTATIVE', lines: ['COMMENT:Running late\\, sorry;', 'COMMENT:Second line']}), fromAnn);
		expect(result.changes).toEqual([{attendee: 'ann@example.org', partstat: 'TENTATIVE', comment: 'Running late, sorry;\nSecond line'}]);
		expect(attendeeParameter(result.event, 'master', 'ann@example.org', 'x-pmi-comment')).toBe('Running late, sorry;\nSecond line');
	});

	test('REQUEST-STATUS is kept', () => {
		const result = applyReply(stored, reply({lines: ['REQUEST-STATUS:2.0;Success']}), fromAnn);
		expect(result.changes[0]?.requestStatus).toEqual(['2.0;Success']);
		expect(attendeeParameter(result.event, 'master', 'ann@example.org', 'x-pmi-request-status')).toBe('2.0');
	});

	test('DELEGATED-TO adds the delegate as NEEDS-ACTION with DELEGATED-FROM (RFC 5546 §3.2.2.3)', () => {
		const result = applyReply(stored, reply({partstat: 'DELEGATED', attendeeParameters: ';DELEGATED-TO="mailto:Carol@example.org"'}), fromAnn);
		expect(result.outcome).toBe('applied');
		expect(result.reason).toBe('ann@example.org delegated the event to carol@example.org.');
		expect(partStats(result.event).master).toEqual({'org@example.com': 'ACCEPTED', 'ann@example.org': 'DELEGATED', 'bob@example.org': 'NEEDS-ACTION', 'carol@example.org': 'NEEDS-ACTION'});
		expect(attendeeParameter(result.event, 'master', 'carol@example.org', 'delegated-from')).toBe('mailto:ann@example.org');
		expect(attendeeParameter(result.event, 'master', 'carol@example.org', 'rsvp')).toBe('TRUE');
		expect(attendeeParameter(result.event, 'master', 'ann@example.org', 'delegated-to')).toBe('mailto:carol@example.org');
		// The delegate may now answer for themselves.
		const carol = applyReply(result.event, reply({attendee: 'mailto:carol@example.org', dtstamp: '20261103T100000Z'}), {senders: ['carol@example.org'], me});
		expect(carol.outcome).toBe('applied');
	});
});

describe('order of replies (RFC 5546 §2.1.5)', () => {
	test('the SEQUENCE and DTSTAMP of the last reply are recorded on the attendee', () => {
		const result = applyReply(stored, reply({sequence: 0, dtstamp: '20261102T100000Z'}), fromAnn);
		expect(attendeeParameter(result.event, 'master', 'ann@example.org', 'x-pmi-reply-sequence')).toBe('0');
		expect(attendeeParameter(result.event, 'master', 'ann@example.org', 'x-pmi-reply-dtstamp')).toBe('20261102T100000Z');
	});

	test('stale-reply fixture: an older DTSTAMP than the recorded answer is ignored', () => {
		const before = fixture('stale-reply/before.ics');
		const result = applyReply(before, fixture('stale-reply/reply.ics'), fromAnn);
		expect(result.outcome).toBe('ignored');
		expect(result.reason).toMatch(/older than the answer already recorded from ann@example\.org/);
		expect(result.event).toBe(before);
	});

	test.each([
		['older SEQUENCE, later DTSTAMP: stale (SEQUENCE decides first)', {sequence: 0, dtstamp: '20261120T100000Z'}, 'ignored'],
		['same SEQUENCE, later DTSTAMP: applied', {sequence: 1, dtstamp: '20261111T100000Z'}, 'applied'],
		// The fixture's event is at SEQUENCE 1: a reply to SEQUENCE 2 answers a version that does not exist (issue 12 item 3).
		['newer SEQUENCE than the event itself: review, never recorded', {sequence: 2, dtstamp: '20261101T100000Z'}, 'review'],
		['same SEQUENCE and DTSTAMP, same answer: unchanged', {sequence: 1, dtstamp: '20261110T100000Z', partstat: 'ACCEPTED'}, 'unchanged'],
		['same SEQUENCE, no DTSTAMP (cannot be ordered; arrival order wins): applied', {sequence: 1, dtstamp: null}, 'applied'],
	])('%s', (_label, options, outcome) => {
		const result = applyReply(fixture('stale-reply/before.ics'), reply({uid: 'stale-1@example.com', partstat: 'DECLINED', ...options}), fromAnn);
		expect(result.outcome).toBe(outcome);
	});

	test('a reply to an earlier SEQUENCE than the event\'s is applied, and says so', () => {
		const revised = stored.replace('SEQUENCE:0', 'SEQUENCE:2');
		const result = applyReply(revised, reply({sequence: 1}), fromAnn);
		expect(result.outcome).toBe('applied');
		expect(result.changes).toEqual([{attendee: 'ann@example.org', partstat: 'ACCEPTED', note: 'answered an earlier version of the event (SEQUENCE 1; the event is at 2)'}]);
		expect(result.reason).toMatch(/answered an earlier version/);
	});

	test('applying the same reply twice: the second is unchanged and returns the event as given', () => {
		const message = reply({partstat: 'TENTATIVE', lines: ['COMMENT:maybe']});
		const first = applyReply(stored, message, fromAnn);
		expect(first.outcome).toBe('applied');
		const second = applyReply(first.event, message, fromAnn);
		expect(second).toEqual({outcome: 'unchanged', reason: 'ann@example.org had already tentatively accepted the event; nothing changed.', changes: [], event: first.event});
	});

	test.each([
		['two DTSTAMPs', {partstat: 'ACCEPTED', dtstamp: '20261102T100000Z'}, {partstat: 'DECLINED', dtstamp: '20261103T100000Z'}],
		['two SEQUENCEs', {partstat: 'DECLINED', sequence: 1, dtstamp: '20261105T100000Z'}, {partstat: 'TENTATIVE', sequence: 0, dtstamp: '20261106T100000Z'}],
		['two occurrences', {partstat: 'DECLINED', recurrenceId: ':20261208T090000Z'}, {partstat: 'TENTATIVE', recurrenceId: ';TZID=Europe/Berlin:20261215T100000'}],
		['master and occurrence', {partstat: 'ACCEPTED', dtstamp: '20261105T100000Z'}, {partstat: 'DECLINED', recurrenceId: ':20261208T090000Z', dtstamp: '20261101T100000Z'}],
	])('two replies in either order end in the same state: %s', (_label, a, b) => {
		const one = reply(a);
		const two = reply(b);
		const ab = applyReply(applyReply(stored, one, fromAnn).event, two, fromAnn).event;
		const ba = applyReply(applyReply(stored, two, fromAnn).event, one, fromAnn).event;
		expect(partStats(ab)).toEqual(partStats(ba));
		const stamps = (text: string): unknown[] => [...eventsByOccurrence(text).keys()].map(key => [key, attendeeParameter(text, key, 'ann@example.org', 'x-pmi-reply-sequence'), attendeeParameter(text, key, 'ann@example.org', 'x-pmi-reply-dtstamp')]);
		expect(stamps(ab).sort()).toEqual(stamps(ba).sort());
	});
});

describe('recurring events', () => {
	test('a UTC RECURRENCE-ID matches the 10:00 Berlin occurrence and creates an override for it alone', () => {
		const result = applyReply(stored, reply({partstat: 'DECLINED', recurrenceId: ':20261208T090000Z'}), fromAnn);
		expect(result.outcome).toBe('applied');
		expect(partStats(result.event)).toEqual({
			master: {'org@example.com': 'ACCEPTED', 'ann@example.org': 'NEEDS-ACTION', 'bob@example.org': 'NEEDS-ACTION'},
			'2026-12-08T09:00:00Z': {'org@example.com': 'ACCEPTED', 'ann@example.org': 'DECLINED', 'bob@example.org': 'NEEDS-ACTION'},
		});
		const override = eventsByOccurrence(result.event).get('2026-12-08T09:00:00Z')!;
		// RFC 5545 §3.8.4.4: RECURRENCE-ID in the form of DTSTART (TZID, local time); the override has no RRULE.
		expect(override.getFirstProperty('recurrence-id')?.toICALString()).toBe('RECURRENCE-ID;TZID=Europe/Berlin:20261208T100000');
		expect(override.getFirstProperty('dtstart')?.toICALString()).toBe('DTSTART;TZID=Europe/Berlin:20261208T100000');
		expect(override.getFirstProperty('dtend')?.toICALString()).toBe('DTEND;TZID=Europe/Berlin:20261208T110000');
		expect(override.hasProperty('rrule')).toBe(false);
		expect(result.changes).toEqual([{attendee: 'ann@example.org', partstat: 'DECLINED', recurrenceId: '2026-12-08T09:00:00Z'}]);
	});

	test('a second reply for that occurrence changes the override, not the master', () => {
		const first = applyReply(stored, reply({partstat: 'DECLINED', recurrenceId: ':20261208T090000Z'}), fromAnn);
		const second = applyReply(first.event, reply({partstat: 'ACCEPTED', recurrenceId: ';TZID=Europe/Berlin:20261208T100000', dtstamp: '20261103T100000Z'}), fromAnn);
		expect(second.outcome).toBe('applied');
		expect(eventsByOccurrence(second.event).size).toBe(2);
		expect(partStats(second.event)['2026-12-08T09:00:00Z']?.['ann@example.org']).toBe('ACCEPTED');
		expect(partStats(second.event).master?.['ann@example.org']).toBe('NEEDS-ACTION');
	});

	test('several instances in one reply all apply', () => {
		const result = applyReply(stored, reply({partstat: 'DECLINED', recurrenceId: ':20261208T090000Z'}, [{recurrenceId: ':20261215T090000Z', partstat: 'TENTATIVE'}]), fromAnn);
		expect(result.changes.map(change => [change.recurrenceId, change.partstat])).toEqual([['2026-12-08T09:00:00Z', 'DECLINED'], ['2026-12-15T09:00:00Z', 'TENTATIVE']]);
	});

	test('an excluded occurrence (EXDATE) is not an occurrence', () => {
		const withExdate = stored.replace('RRULE:FREQ=WEEKLY;COUNT=10', 'RRULE:FREQ=WEEKLY;COUNT=10\r\nEXDATE;TZID=Europe/Berlin:20261208T100000');
		const result = applyReply(withExdate, reply({recurrenceId: ':20261208T090000Z'}), fromAnn);
		expect(result.outcome).toBe('ignored');
		expect(result.reason).toMatch(/no occurrence at 2026-12-08T09:00:00Z/);
	});

	test('an RDATE is an occurrence', () => {
		const withRdate = stored.replace('RRULE:FREQ=WEEKLY;COUNT=10', 'RRULE:FREQ=WEEKLY;COUNT=10\r\nRDATE:20261224T150000Z');
		const result = applyReply(withRdate, reply({recurrenceId: ':20261224T150000Z'}), fromAnn);
		expect(result.outcome).toBe('applied');
		// Written in DTSTART's zone, as RFC 5545 §3.8.4.4 asks: 15:00Z is 16:00 in Berlin in December.
		expect(eventsByOccurrence(result.event).get('2026-12-24T15:00:00Z')?.getFirstProperty('recurrence-id')?.toICALString()).toBe('RECURRENCE-ID;TZID=Europe/Berlin:20261224T160000');
	});

	test('the first occurrence (DTSTART itself) can be answered alone', () => {
		const result = applyReply(stored, reply({recurrenceId: ';TZID=Europe/Berlin:20261201T100000'}), fromAnn);
		expect(result.outcome).toBe('applied');
		expect([...eventsByOccurrence(result.event).keys()]).toEqual(['master', '2026-12-01T09:00:00Z']);
	});

	test('occurrences after the DST change are found by instant too (summer: 08:00Z)', () => {
		const summer = buildInvite({
			uid,
			organizer: {email: 'org@example.com', name: 'Org'},
			attendees: [{email: 'ann@example.org'}],
			summary: 'Weekly',
			start: '2027-03-16T10:00',
			end: '2027-03-16T11:00',
			timeZone: 'Europe/Berlin',
			repeat: {freq: 'weekly', count: 4},
			now: new Date('2027-03-01T09:00:00Z'),
		}).caldav;
		// 2027-03-23 is before the change (last Sunday of March is the 28th): 09:00Z; 2027-03-30 is after: 08:00Z.
		expect(applyReply(summer, reply({recurrenceId: ':20270323T090000Z'}), fromAnn).outcome).toBe('applied');
		expect(applyReply(summer, reply({recurrenceId: ':20270330T080000Z'}), fromAnn).outcome).toBe('applied');
		expect(applyReply(summer, reply({recurrenceId: ':20270330T090000Z'}), fromAnn).outcome).toBe('ignored');
	});

	test('a reply for an occurrence of an event that does not repeat only matches its start', () => {
		const single = stored.replace('RRULE:FREQ=WEEKLY;COUNT=10\r\n', '');
		expect(applyReply(single, reply({recurrenceId: ':20261208T090000Z'}), fromAnn).outcome).toBe('ignored');
	});
});

test('a stored event that wrongly carries METHOD comes back without it, ready for a CalDAV PUT (RFC 4791 §4.1)', () => {
	const withMethodLine = stored.replace('BEGIN:VCALENDAR\r\n', 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n');
	const result = applyReply(withMethodLine, reply(), fromAnn);
	expect(result.outcome).toBe('applied');
	expect(result.event).not.toMatch(/METHOD/);
});

test('a REPLY without ORGANIZER (some Outlook versions) is accepted when the UID matches an event we organize', () => {
	const result = applyReply(stored, reply({organizer: false}), fromAnn);
	expect(result.outcome).toBe('applied');
});

test('a COUNTER from an attendee is review with the proposed start and end (zones resolved)', () => {
	const counter = [
		'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//EN', 'METHOD:COUNTER', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261102T100000Z', 'SEQUENCE:0',
		'ORGANIZER:mailto:org@example.com', 'ATTENDEE;PARTSTAT=TENTATIVE:mailto:ann@example.org',
		'DTSTART;TZID=America/New_York:20261201T080000', 'DTEND;TZID=America/New_York:20261201T090000', 'COMMENT:Earlier?', 'END:VEVENT', 'END:VCALENDAR', '',
	].join('\r\n');
	const result = applyReply(stored, counter, fromAnn);
	expect(result).toEqual({
		outcome: 'review',
		reason: 'ann@example.org proposes 2026-12-01T13:00:00Z to 2026-12-01T14:00:00Z (COUNTER); accepting or declining it is up to you.',
		changes: [],
		event: stored,
		proposal: {attendee: 'ann@example.org', start: '2026-12-01T13:00:00Z', end: '2026-12-01T14:00:00Z', comment: 'Earlier?'},
	});
});

test('a COUNTER for an event we do not organize is ignored like any reply', () => {
	const result = applyReply(stored, reply({method: 'COUNTER'}), {senders: ['ann@example.org'], me: ['someone@example.com']});
	expect(result.outcome).toBe('ignored');
});
