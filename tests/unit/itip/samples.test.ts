/**
 * Every REPLY (and COUNTER) in ../shared/fixtures/itip/samples/ with its expected outcome. Samples whose UID matches
 * nothing get a stored event of ours (tests/fixtures/itip/<scenario>/before.ics) or the RFC file's own REQUEST.
 */
import {readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {readCalendarMail} from '../../../lib/imip/index.ts';
import {withMethod, parseCalendar} from '../../../lib/itip/calendar.ts';
import {applyReply, serialize, type ReplyContext} from '../../../lib/itip/index.ts';
import {attendeeParameter, partStats, splitCalendars} from '../../helpers/itip-semantic.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const samples = path.resolve(repoRoot, '../shared/fixtures/itip/samples');
const fixtures = path.resolve(repoRoot, 'tests/fixtures/itip');
const fixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');

/** The calendar of a sample and the addresses its mail came from (none for a bare .ics). */
async function loadSample(name: string): Promise<{text: string; senders: string[]}> {
	const bytes = readFileSync(path.join(samples, name));
	if (name.endsWith('.ics')) {
		return {text: bytes.toString('utf8'), senders: []};
	}

	const mail = await readCalendarMail(bytes);
	const part = mail.parts.find(candidate => candidate.method === 'REPLY') ?? mail.parts[0];
	return {text: part?.text ?? '', senders: [mail.from?.email, mail.sender?.email].filter((address): address is string => Boolean(address))};
}

describe('Apple-style REPLYs from Cyrus tests, against the stored event of imip_reply_override_google', () => {
	const before = fixture('cyrus-recurring-override/before.ics');
	const me = ['cassandane@example.com'];

	test('master + two RECURRENCE-IDs (UTC vs TZID): each applies; one override exists, one is created', async () => {
		const {text, senders} = await loadSample('apple-style-REPLY-multi-vevent-recurrence-id-cyrus.eml');
		expect(senders).toEqual(['foo@example.net']);
		const result = applyReply(before, text, {senders, me});
		expect(result.outcome).toBe('applied');
		expect(partStats(result.event)).toEqual(partStats(fixture('cyrus-recurring-override/after.ics')));
		expect(result.changes).toEqual([
			{attendee: 'foo@example.net', partstat: 'ACCEPTED'},
			{attendee: 'foo@example.net', partstat: 'TENTATIVE', recurrenceId: '2021-07-21T19:30:00Z'},
			{attendee: 'foo@example.net', partstat: 'DECLINED', recurrenceId: '2021-07-28T19:30:00Z'},
		]);
	});

	test('no ORGANIZER (an Outlook habit): accepted because the UID is an event we organize', async () => {
		const {text, senders} = await loadSample('apple-style-REPLY-no-organizer-cyrus.eml');
		expect(text).not.toMatch(/ORGANIZER/);
		const result = applyReply(before, text, {senders, me});
		expect(result.outcome).toBe('applied');
		expect(partStats(result.event).master).toEqual({'cassandane@example.com': 'ACCEPTED', 'foo@example.net': 'ACCEPTED'});
	});

	test('party crasher: review, event unchanged', async () => {
		const {text, senders} = await loadSample('apple-style-REPLY-partycrasher-cyrus.eml');
		const result = applyReply(before, text, {senders, me});
		expect(result.outcome).toBe('review');
		expect(result.reason).toMatch(/bar@example\.net answered but is not invited/);
		expect(result.event).toBe(before);
	});
});

describe('Fastmail REPLYs for occurrences (RECURRENCE-ID;TZID=Australia/Melbourne)', () => {
	const before = fixture('fastmail-daily/before.ics');
	const me = ['cassandane@example.com'];

	// The samples' headers are a test wrapper with a literal backslash: From: <foo\@example.net>. That is not the
	// attendee's address, so the sender check (RFC 6047 §2.2.1) sends them to review.
	test.each(['fastmail-REPLY-single-instance-recurrence-id.eml', 'fastmail-REPLY-two-instances-recurrence-id.eml'])('%s as mailed: review (From is foo\\@example.net)', async name => {
		const {text, senders} = await loadSample(name);
		expect(senders).toEqual(['foo\\@example.net']);
		const result = applyReply(before, text, {senders, me});
		expect(result.outcome).toBe('review');
		expect(result.reason).toMatch(/came from foo\\@example\.net, but the answer is for foo@example\.net/);
	});

	test('single instance, sender trusted: a new override for 2023-06-29 09:00 Melbourne', async () => {
		const {text} = await loadSample('fastmail-REPLY-single-instance-recurrence-id.eml');
		const result = applyReply(before, text, {me, trustSender: true});
		expect(result.outcome).toBe('applied');
		expect(partStats(result.event)).toEqual({
			master: {'cassandane@example.com': 'ACCEPTED', 'foo@example.net': 'NEEDS-ACTION'},
			'2023-06-28T23:00:00Z': {'cassandane@example.com': 'ACCEPTED', 'foo@example.net': 'TENTATIVE'},
		});
		// The fastmail reply's own X-SEQUENCE/X-DTSTAMP parameters are not copied; ours record the reply.
		expect(attendeeParameter(result.event, '2023-06-28T23:00:00Z', 'foo@example.net', 'x-pmi-reply-dtstamp')).toBe('20230622T024256Z');
		expect(result.event).not.toMatch(/X-JMAP/);
	});

	test('two instances, sender trusted: both apply', async () => {
		const {text} = await loadSample('fastmail-REPLY-two-instances-recurrence-id.eml');
		const result = applyReply(before, text, {me, trustSender: true});
		expect(result.outcome).toBe('applied');
		expect(partStats(result.event)).toEqual(partStats(fixture('fastmail-daily/after-two-instances.ics')));
	});
});

describe('Google REPLY payloads (bare .ics)', () => {
	const before = fixture('google-single/before.ics');
	const me = ['test2@example.com'];

	test.each([
		['google-REPLY-declined.ics', 'karim@example.com', 'DECLINED'],
		['google-REPLY-tentative-xmicrosoft-cdo.ics', 'test1@example.com', 'TENTATIVE'],
	])('%s: review without a mail around it; applied when the mail came from %s', async (name, attendee, partstat) => {
		const {text, senders} = await loadSample(name);
		expect(senders).toEqual([]);
		const bare = applyReply(before, text, {senders, me});
		expect(bare.outcome).toBe('review');
		expect(bare.reason).toMatch(/without a mail around it/);

		const mailed = applyReply(before, text, {senders: [attendee], me});
		expect(mailed.outcome).toBe('applied');
		expect(partStats(mailed.event).master?.[attendee]).toBe(partstat);
		expect(mailed.changes).toEqual([{attendee, partstat}]);
	});

	test('google-REPLY-unknown-uid.ics: ignored, names both UIDs', async () => {
		const {text} = await loadSample('google-REPLY-unknown-uid.ics');
		const result = applyReply(before, text, {senders: ['karim@example.com'], me});
		expect(result).toEqual({
			outcome: 'ignored',
			reason: 'The REPLY is for another event (UID 234252cccc@google.com), not this one (UID cccc@nylas.com).',
			changes: [],
			event: before,
		});
	});
});

test('sabre-REPLY-broker-generated-template.ics: DTSTAMP:**ANY** is not a date, so the answer applies but its DTSTAMP is not recorded', async () => {
	const {text} = await loadSample('sabre-REPLY-broker-generated-template.ics');
	const before = fixture('sabre-template/before.ics');
	const result = applyReply(before, text, {senders: ['one@example.org'], me: ['strunk@example.org']});
	expect(result.outcome).toBe('applied');
	expect(partStats(result.event).master).toEqual({'strunk@example.org': 'ACCEPTED', 'one@example.org': 'ACCEPTED', 'two@example.org': 'NEEDS-ACTION'});
	expect(attendeeParameter(result.event, 'master', 'one@example.org', 'x-pmi-reply-sequence')).toBe('1');
	expect(attendeeParameter(result.event, 'master', 'one@example.org', 'x-pmi-reply-dtstamp')).toBeUndefined();
});

test('exchange-REPLY-tnef-winmail-zugesagt.eml: no calendar part at all (TNEF only), so nothing to apply', async () => {
	const mail = await readCalendarMail(readFileSync(path.join(samples, 'exchange-REPLY-tnef-winmail-zugesagt.eml')));
	expect(mail.parts).toEqual([]);
	expect(mail.problems.map(problem => problem.code)).toContain('tnef');
	// What the command line reports for it is checked in apply-reply-cli.test.ts.
});

describe('RFC 2446 examples (libical test-data/2446.ics): REPLY and COUNTER against the file\'s own REQUEST', () => {
	const blocks = splitCalendars(readFileSync(path.join(samples, 'spec-rfc2446-all-methods-COUNTER-DECLINECOUNTER-REFRESH.ics'), 'utf8'));
	/** The first REQUEST for a UID in the file, as the organizer would store it (no METHOD). */
	const storedFor = (uid: string): string => {
		const request = blocks.find(block => /METHOD:REQUEST/.test(block) && block.includes(`UID:${uid}`));
		const parsed = parseCalendar(request ?? '');
		if (!parsed.ok) {
			throw new Error(`no REQUEST for ${uid}`);
		}

		return serialize(withMethod(parsed.calendar, undefined));
	};

	const main = 'calsrv.example.com-873970198738777@example.com';
	test('the file holds the 10 REPLYs and 2 COUNTERs this table covers', () => {
		expect(blocks).toHaveLength(53);
		const indexes = blocks.flatMap((block, index) => (/METHOD:(REPLY|COUNTER)/.test(block) ? [index + 1] : []));
		expect(indexes).toEqual([7, 10, 13, 15, 16, 24, 39, 41, 43, 45, 46, 49]);
	});

	test.each([
		// [block (1-based), stored UID, sender, outcome, reason pattern]
		[7, main, 'b@example.com', 'applied', /b@example\.com accepted the event/],
		// E is already on the event (as NON-PARTICIPANT): a delegation cannot change another attendee (issue 12 item 4).
		[13, main, 'c@example.com', 'review', /c@example\.com delegates to e@example\.com, who is already on the event/],
		[15, main, 'e@example.com', 'applied', /e@example\.com accepted the event/],
		[16, main, 'c@example.com', 'review', /delegates to e@example\.com, who is already on the event/],
		[24, main, 'b@example.com', 'ignored', /about a VFREEBUSY; only events/],
		[41, 'guid-1@host1.com', 'b@example.com', 'applied', /b@example\.com has not decided on the event/],
		[43, 'calsrv.example.com-873970198738777-00@example.com', 'b@example.com', 'ignored', /about a VTODO/],
		[45, main, 'b@example.com', 'ignored', /about a VTODO/],
		[46, main, 'd@example.com', 'ignored', /about a VTODO/],
		[49, main, 'b@example.com', 'ignored', /about a VTODO/],
	])('block %i: %s … %s → %s', (block, uid, sender, outcome, reason) => {
		// The VTODO rows have no REQUEST of their own in the file; any stored event of ours will do, the component type decides.
		const stored = storedFor(uid.endsWith('-00@example.com') ? main : uid);
		const result = applyReply(stored, blocks[block - 1]!, {senders: [sender], me: ['a@example.com']});
		expect(result.outcome).toBe(outcome);
		expect(result.reason).toMatch(reason);
	});

	test('block 13 applied anyway (the delegation check overridden): DELEGATED-TO on C, and E left exactly as it was', () => {
		const result = applyReply(storedFor(main), blocks[12]!, {senders: ['c@example.com'], me: ['a@example.com'], overrides: ['delegation']});
		expect(attendeeParameter(result.event, 'master', 'c@example.com', 'partstat')).toBe('DELEGATED');
		expect(attendeeParameter(result.event, 'master', 'c@example.com', 'delegated-to')).toBe('mailto:e@example.com');
		expect(attendeeParameter(result.event, 'master', 'e@example.com', 'delegated-from')).toBeUndefined();
		expect(attendeeParameter(result.event, 'master', 'e@example.com', 'role')).toBe('NON-PARTICIPANT');
		expect(result.changes).toEqual([{attendee: 'c@example.com', partstat: 'DELEGATED', delegatedTo: ['e@example.com'], requestStatus: ['2.0;Success']}]);
	});

	test('block 16 after block 13: same answer, newer DTSTAMP and a COMMENT: applied, comment kept for display', () => {
		const context: ReplyContext = {senders: ['c@example.com'], me: ['a@example.com'], overrides: ['delegation']};
		const first = applyReply(storedFor(main), blocks[12]!, context);
		const second = applyReply(first.event, blocks[15]!, context);
		expect(second.outcome).toBe('applied');
		expect(second.changes[0]?.comment).toBe('Sorry, I will be out of town at that time.');
		expect(attendeeParameter(second.event, 'master', 'c@example.com', 'x-pmi-comment')).toBe('Sorry, I will be out of town at that time.');
	});

	test('block 10: COUNTER proposing a new time → review with the proposal', () => {
		const result = applyReply(storedFor('calsrv.example.com-873970198738777a@example.com'), blocks[9]!, {senders: ['b@example.com'], me: ['a@example.com']});
		expect(result.outcome).toBe('review');
		expect(result.proposal).toEqual({
			attendee: 'b@example.com',
			start: '1997-07-01T16:00:00Z',
			end: '1997-07-01T19:00:00Z',
			comment: 'This time works much better and I think the big conference room is too big',
		});
		expect(result.event).toBe(storedFor('calsrv.example.com-873970198738777a@example.com'));
	});

	test('block 39: COUNTER for one occurrence → review naming it', () => {
		const result = applyReply(storedFor('guid-1@host1.com'), blocks[38]!, {senders: ['b@example.com'], me: ['a@example.com']});
		expect(result.outcome).toBe('review');
		expect(result.proposal).toEqual({
			attendee: 'b@example.com',
			start: '1997-07-15T22:00:00Z',
			end: '1997-07-15T23:00:00Z',
			recurrenceId: '1997-07-15T21:00:00Z',
			comment: 'May we bump this by an hour? I have a conflict',
		});
	});
});

describe('libical incoming.ics (#I5-#I12)', () => {
	const blocks = splitCalendars(readFileSync(path.join(samples, 'libical-incoming-itip-sequence.ics'), 'utf8'));
	const block = (note: string): string => blocks.find(candidate => candidate.includes(`X-LIC-NOTE:${note}`))!;
	const before = fixture('libical-785/before.ics');

	test.each([
		['#I5', 'b@example.com', 'applied', {'a@example.com': 'ACCEPTED', 'b@example.com': 'ACCEPTED', 'c@example.com': 'NEEDS-ACTION'}],
		// C is already invited: delegating to them is review (issue 12 item 4).
		['#I6', 'b@example.com', 'review', {'a@example.com': 'ACCEPTED', 'b@example.com': 'NEEDS-ACTION', 'c@example.com': 'NEEDS-ACTION'}],
		['#I8', 'c@example.com', 'applied', {'a@example.com': 'ACCEPTED', 'b@example.com': 'NEEDS-ACTION', 'c@example.com': 'DECLINED'}],
		['#I9', 'x@example.com', 'review', {'a@example.com': 'ACCEPTED', 'b@example.com': 'NEEDS-ACTION', 'c@example.com': 'NEEDS-ACTION'}],
		['#I10', 'y@example.com', 'review', {'a@example.com': 'ACCEPTED', 'b@example.com': 'NEEDS-ACTION', 'c@example.com': 'NEEDS-ACTION'}],
	])('%s from %s → %s', (note, sender, outcome, expected) => {
		const result = applyReply(before, block(note), {senders: [sender], me: ['a@example.com']});
		expect(result.outcome).toBe(outcome);
		expect(partStats(result.event).master).toEqual(expected);
	});

	test('#I12: COUNTER with DURATION instead of DTEND → review, end = start + 2h', () => {
		const request = block('#I2. Reschedules C1');
		const parsed = parseCalendar(request);
		expect(parsed.ok).toBe(true);
		const stored = parsed.ok ? serialize(withMethod(parsed.calendar, undefined)) : '';
		const result = applyReply(stored, block('#I12. Counter to #C1. Changed DTEND to DURATION.'), {senders: ['c@example.com'], me: ['b@example.com']});
		expect(result.outcome).toBe('review');
		expect(result.proposal).toMatchObject({attendee: 'c@example.com', start: '1997-07-01T19:00:00Z', end: '1997-07-01T21:00:00Z'});
	});
});

describe('every non-REPLY sample is ignored by applyReply (METHOD must be REPLY, RFC 5546 §3.2.3)', () => {
	const names = readdirSync(samples).filter(name => /-(REQUEST|CANCEL)[-.]/.test(name) && /\.(eml|ics)$/.test(name));
	test('there are such samples', () => {
		// 21 .eml/.ics REQUESTs and CANCELs; the TNEF request (.dat, .b64.txt) has no iCalendar to feed.
		expect(names).toHaveLength(21);
	});

	test.each(names)('%s', async name => {
		const {text} = await loadSample(name);
		const stored = fixture('google-single/before.ics');
		const result = applyReply(stored, text, {senders: ['someone@example.com'], me: ['test2@example.com']});
		expect(result.outcome).toBe('ignored');
		expect(result.event).toBe(stored);
		expect(result.reason).toMatch(/not a REPLY|no METHOD|not valid iCalendar|holds no event/);
	});
});
