/**
 * process(): the attendee's side of iTIP (RFC 5546 §3.2.2 REQUEST, §3.2.5 CANCEL as received), one rule per test,
 * with the organizer's own builders (buildInvite, buildUpdate, buildCancel) making the messages.
 */
import ICAL from 'ical.js';
import {describe, expect, test} from 'vitest';
import {buildCancel, buildInvite, buildReply, buildUpdate, process, type ProcessContext} from '../../../lib/itip/index.ts';
import {withMethod, parseCalendar} from '../../../lib/itip/calendar.ts';
import {serialize} from '../../../lib/itip/serialize.ts';
import {eventsByOccurrence, eventValue, partStats} from '../../helpers/itip-semantic.ts';

const organizer = 'org@example.com';
const alex = 'alex@example.org';
const base = {
	uid: 'sync-1@example.com',
	organizer: {email: organizer, name: 'Org'},
	attendees: [{email: 'Alex@Example.org', name: 'Alex'}, {email: 'sam@example.org'}],
	summary: 'Project sync',
	start: '2026-12-01T10:00',
	end: '2026-12-01T11:00',
	timeZone: 'Europe/Berlin',
	location: 'Room 4',
	now: new Date('2026-11-01T09:00:00Z'),
};
const invite = buildInvite(base);
const weeklyInvite = buildInvite({...base, uid: 'weekly-1@example.com', repeat: {freq: 'weekly', count: 6}});
const fromOrganizer: ProcessContext = {me: [alex], from: [organizer]};
const later = new Date('2026-11-05T09:00:00Z');

/** The REQUEST text of an organizer's update (buildUpdate's, or a METHOD:REQUEST copy of its stored event). */
function requestOf(caldav: string): string {
	const parsed = parseCalendar(caldav);
	if (!parsed.ok) {
		throw new Error(parsed.reason);
	}

	return serialize(withMethod(parsed.calendar, 'REQUEST'));
}

function methodOf(text: string): unknown {
	return new ICAL.Component(ICAL.parse(text) as unknown[]).getFirstPropertyValue('method');
}

/** Alex's copy after a first REQUEST, and after answering it. */
const newCopy = process(invite.request, undefined, fromOrganizer).event!;
const acceptedCopy = buildReply(newCopy, {me: [alex], answer: 'ACCEPTED', now: later}).caldav;

describe('REQUEST: a new invitation becomes the user\'s copy (RFC 5546 §3.2.2)', () => {
	test('applied; the copy has no METHOD (RFC 4791 §4.1) and keeps every attendee as sent', () => {
		const result = process(invite.request, undefined, fromOrganizer);
		expect(result).toMatchObject({method: 'REQUEST', outcome: 'applied'});
		expect(result.reason).toMatch(/New invitation "Project sync" from org@example.com/);
		expect(methodOf(result.event!)).toBeNull();
		expect(partStats(result.event!).master).toEqual({'org@example.com': 'ACCEPTED', 'alex@example.org': 'NEEDS-ACTION', 'sam@example.org': 'NEEDS-ACTION'});
	});

	test('every TZID gets a VTIMEZONE with the zone\'s real rules when the sender left it out (RFC 5545 §3.2.19)', () => {
		const bare = invite.request.replace(/BEGIN:VTIMEZONE[\s\S]*END:VTIMEZONE\r\n/, '');
		expect(bare).not.toMatch(/VTIMEZONE/);
		const result = process(bare, undefined, fromOrganizer);
		const zone = new ICAL.Component(ICAL.parse(result.event!) as unknown[]).getFirstSubcomponent('vtimezone');
		expect(zone?.getFirstPropertyValue('tzid')).toBe('Europe/Berlin');
		// 10:00 in Berlin in December is 09:00 UTC: the added definition gives the right instant.
		const start = new ICAL.Component(ICAL.parse(result.event!) as unknown[]).getFirstSubcomponent('vevent')!.getFirstPropertyValue('dtstart') as ICAL.Time;
		expect(start.toJSDate().toISOString()).toBe('2026-12-01T09:00:00.000Z');
	});

	test('an invitation that does not list the user (list, forward) is review, and nothing is added', () => {
		const result = process(invite.request, undefined, {me: ['carol@example.org'], from: [organizer]});
		expect(result).toMatchObject({outcome: 'review', review: 'not-invited', event: null});
		expect(result.reason).toMatch(/does not list you \(carol@example\.org\)/);
	});

	test('the user\'s own invitation (they organize it) is ignored', () => {
		expect(process(invite.request, undefined, {me: [organizer], from: [organizer]})).toMatchObject({outcome: 'ignored', event: null});
	});

	test('no ORGANIZER: not a meeting (RFC 5546 §3.2.2 requires one)', () => {
		const result = process(invite.request.replace(/ORGANIZER[^\r\n]*\r\n/, ''), undefined, fromOrganizer);
		expect(result.outcome).toBe('ignored');
		expect(result.reason).toMatch(/no ORGANIZER/);
	});
});

describe('Who may change the copy: the organizer only (RFC 5546 §3.2.2, RFC 6047 §3)', () => {
	test('From a stranger: review, copy unchanged', () => {
		const result = process(invite.request, undefined, {me: [alex], from: ['mallory@evil.example']});
		expect(result).toMatchObject({outcome: 'review', review: 'not-organizer', event: null});
		expect(result.reason).toMatch(/Sent by mallory@evil\.example, not by the organizer org@example\.com/);
	});

	test('the ORGANIZER\'s SENT-BY may send it (RFC 5545 §3.2.18)', () => {
		const withSentBy = invite.request.replace('ORGANIZER;', 'ORGANIZER;SENT-BY="mailto:assistant@example.com";');
		expect(process(withSentBy, undefined, {me: [alex], from: ['assistant@example.com']}).outcome).toBe('applied');
	});

	test('a Sender header is not From: only From counts (the caller passes From only)', () => {
		// Google puts calendar-notification@google.com in Sender and the organizer in From; the reverse is a forgery.
		expect(process(invite.request, undefined, {me: [alex], from: ['calendar-notification@google.com']}).outcome).toBe('review');
	});

	test.each([
		['dmarc=fail', 'mx.example.org; dmarc=fail (p=NONE) header.from=example.com'],
		['dkim=fail', 'mx.example.org; dkim=fail header.d=example.com'],
	])('Authentication-Results %s: review even with the right From', (_label, header) => {
		const result = process(invite.request, undefined, {...fromOrganizer, authenticationResults: [header]});
		expect(result).toMatchObject({outcome: 'review', review: 'authentication'});
	});

	test('Authentication-Results with passes only: applied', () => {
		expect(process(invite.request, undefined, {...fromOrganizer, authenticationResults: ['mx.example.org; dkim=pass; dmarc=pass']}).outcome).toBe('applied');
	});

	test('no mail around it (bare .ics): review unless the caller trusts it', () => {
		expect(process(invite.request, undefined, {me: [alex]})).toMatchObject({outcome: 'review', review: 'no-mail'});
		expect(process(invite.request, undefined, {me: [alex], trustSender: true}).outcome).toBe('applied');
	});

	test('a stranger\'s REQUEST with a known UID (moving the meeting to a phishing link) changes nothing', () => {
		const phishing = buildUpdate(acceptedCopy, {location: 'https://evil.example/login', now: later});
		const asStranger = phishing.request!.replaceAll(organizer, 'mallory@evil.example');
		const result = process(asStranger, acceptedCopy, {me: [alex], from: ['mallory@evil.example']});
		expect(result).toMatchObject({outcome: 'review', event: acceptedCopy});
		// The stranger named themselves organizer: that is an organizer change, not applied.
		expect(result.review).toBe('organizer-changed');
		// Same, keeping the real ORGANIZER but sent from elsewhere.
		const spoofed = process(phishing.request!, acceptedCopy, {me: [alex], from: ['mallory@evil.example']});
		expect(spoofed).toMatchObject({outcome: 'review', review: 'not-organizer', event: acceptedCopy});
	});
});

describe('REQUEST over the stored copy: ordering (RFC 5546 §2.1.5)', () => {
	test('a higher SEQUENCE replaces the copy; a new time asks for a new answer', () => {
		const update = buildUpdate(acceptedCopy, {start: '2026-12-01T12:00', end: '2026-12-01T13:00', now: later});
		const result = process(update.request!, acceptedCopy, fromOrganizer);
		expect(result).toMatchObject({outcome: 'applied', changed: ['time']});
		expect(eventValue(result.event!, 'master', 'sequence')).toBe(1);
		expect(partStats(result.event!).master![alex]).toBe('NEEDS-ACTION');
	});

	test('an update that keeps the time keeps the user\'s answer (RFC 5546 §2.1.4)', () => {
		const update = buildUpdate(acceptedCopy, {location: 'Room 7', now: later});
		const result = process(update.request!, acceptedCopy, fromOrganizer);
		expect(result).toMatchObject({outcome: 'applied', changed: ['location']});
		expect(result.reason).toMatch(/the place changed\); your answer still stands/);
		expect(partStats(result.event!).master![alex]).toBe('ACCEPTED');
		expect(eventValue(result.event!, 'master', 'location')).toBe('Room 7');
	});

	test('the same SEQUENCE with a later DTSTAMP replaces it (a title change)', () => {
		const update = buildUpdate(acceptedCopy, {summary: 'Project sync (agenda inside)', now: later});
		expect(update.sequence).toBe(0);
		const result = process(update.request!, acceptedCopy, fromOrganizer);
		expect(result).toMatchObject({outcome: 'applied', changed: ['summary']});
	});

	test('the same message again is unchanged; an older one is ignored', () => {
		expect(process(invite.request, newCopy, fromOrganizer)).toMatchObject({outcome: 'unchanged', event: newCopy});
		const update = buildUpdate(acceptedCopy, {start: '2026-12-01T12:00', end: '2026-12-01T13:00', now: later});
		const updated = process(update.request!, acceptedCopy, fromOrganizer).event!;
		const result = process(invite.request, updated, fromOrganizer);
		expect(result).toMatchObject({outcome: 'ignored', event: updated});
		expect(result.reason).toMatch(/older than your copy/);
	});

	test('the user\'s alarms survive an update', () => {
		const withAlarm = acceptedCopy.replace('END:VEVENT', 'BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Mine\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\nEND:VEVENT');
		const update = buildUpdate(acceptedCopy, {start: '2026-12-01T12:00', end: '2026-12-01T13:00', now: later});
		const result = process(update.request!, withAlarm, fromOrganizer);
		const alarm = eventsByOccurrence(result.event!).get('master')!.getFirstSubcomponent('valarm');
		expect(alarm?.getFirstPropertyValue('description')).toBe('Mine');
	});

	test('a REQUEST for another UID than the stored copy is ignored', () => {
		const other = buildInvite({...base, uid: 'other@example.com'});
		expect(process(other.request, newCopy, fromOrganizer)).toMatchObject({outcome: 'ignored', event: newCopy});
	});

	test('an update of one occurrence only leaves the rest of the series as it was', () => {
		const weekly = process(weeklyInvite.request, undefined, fromOrganizer).event!;
		const occurrence = weekly.replace(/RRULE:[^\r\n]*\r\n/, '').replace('DTSTART;TZID=Europe/Berlin:20261208T100000', 'X').replace(/DTSTART;TZID=Europe\/Berlin:20261201T100000/, 'DTSTART;TZID=Europe/Berlin:20261208T150000\r\nRECURRENCE-ID;TZID=Europe/Berlin:20261208T100000').replace(/DTEND;TZID=Europe\/Berlin:20261201T110000/, 'DTEND;TZID=Europe/Berlin:20261208T160000').replace('SEQUENCE:0', 'SEQUENCE:1');
		const result = process(requestOf(occurrence), weekly, fromOrganizer);
		expect(result.outcome).toBe('applied');
		expect([...eventsByOccurrence(result.event!).keys()]).toEqual(['2026-12-08T09:00:00Z', 'master']);
		expect(eventValue(result.event!, 'master', 'rrule')).toBeTruthy();
	});
});

describe('CANCEL (RFC 5546 §3.2.5)', () => {
	test('the whole event: STATUS:CANCELLED on the copy', () => {
		const cancel = buildCancel(acceptedCopy, {now: later});
		const result = process(cancel.cancel, acceptedCopy, fromOrganizer);
		expect(result).toMatchObject({method: 'CANCEL', outcome: 'applied'});
		expect(result.reason).toMatch(/Cancelled by the organizer org@example\.com: the event/);
		expect(eventValue(result.event!, 'master', 'status')).toBe('CANCELLED');
		expect(methodOf(result.event!)).toBeNull();
		// Processing it again changes nothing.
		expect(process(cancel.cancel, result.event!, fromOrganizer)).toMatchObject({outcome: 'unchanged', event: result.event});
	});

	test('one occurrence: an EXDATE on the series (RFC 5545 §3.8.5.1)', () => {
		const weekly = process(weeklyInvite.request, undefined, fromOrganizer).event!;
		const cancel = buildCancel(weekly, {recurrenceId: '2026-12-15T10:00', now: later});
		const result = process(cancel.cancel, weekly, fromOrganizer);
		expect(result).toMatchObject({outcome: 'applied', cancelledOccurrences: ['2026-12-15T09:00:00Z']});
		expect(eventValue(result.event!, 'master', 'status')).toBe('CONFIRMED');
		expect(result.event).toMatch(/EXDATE;TZID=Europe\/Berlin:20261215T100000/);
	});

	test('one occurrence that has an override: the override is cancelled', () => {
		const weekly = process(weeklyInvite.request, undefined, fromOrganizer).event!;
		const declinedOne = buildReply(weekly, {me: [alex], answer: 'DECLINED', occurrence: '2026-12-15T10:00', now: later}).caldav;
		const cancel = buildCancel(weekly, {recurrenceId: '2026-12-15T10:00', now: later});
		const result = process(cancel.cancel, declinedOne, fromOrganizer);
		expect(result.outcome).toBe('applied');
		expect(eventValue(result.event!, '2026-12-15T09:00:00Z', 'status')).toBe('CANCELLED');
		expect(eventValue(result.event!, 'master', 'status')).toBe('CONFIRMED');
	});

	test('from a stranger: review, the copy is untouched', () => {
		const cancel = buildCancel(acceptedCopy, {now: later});
		const result = process(cancel.cancel, acceptedCopy, {me: [alex], from: ['mallory@evil.example']});
		expect(result).toMatchObject({outcome: 'review', review: 'not-organizer', event: acceptedCopy});
	});

	test('a CANCEL that takes other attendees off the event is not about the user', () => {
		const removeSam = buildCancel(acceptedCopy, {attendees: ['sam@example.org'], now: later});
		expect(process(removeSam.cancel, acceptedCopy, fromOrganizer).outcome).toBe('ignored');
		const removeAlex = buildCancel(acceptedCopy, {attendees: [alex], now: later});
		expect(process(removeAlex.cancel, acceptedCopy, fromOrganizer).outcome).toBe('applied');
	});

	test('nothing stored: ignored, nothing to remove', () => {
		expect(process(buildCancel(acceptedCopy, {now: later}).cancel, undefined, fromOrganizer)).toMatchObject({outcome: 'ignored', event: null});
	});

	test('an older CANCEL than the copy is ignored (RFC 5546 §2.1.5)', () => {
		const update = buildUpdate(acceptedCopy, {start: '2026-12-01T12:00', end: '2026-12-01T13:00', now: later});
		const updated = process(update.request!, acceptedCopy, fromOrganizer).event!;
		const oldCancel = buildCancel(acceptedCopy, {now: later}).cancel.replace('SEQUENCE:1', 'SEQUENCE:0');
		expect(process(oldCancel, updated, fromOrganizer).outcome).toBe('ignored');
	});
});

describe('other METHODs', () => {
	test('REPLY goes to applyReply on the organizer\'s copy', () => {
		const reply = buildReply(newCopy, {me: [alex], answer: 'TENTATIVE', comment: 'Ten minutes late', now: later});
		const result = process(reply.reply, invite.caldav, {me: [organizer], from: [alex]});
		expect(result).toMatchObject({method: 'REPLY', outcome: 'applied', changes: [{attendee: alex, partstat: 'TENTATIVE', comment: 'Ten minutes late'}]});
		expect(partStats(result.event!).master![alex]).toBe('TENTATIVE');
	});

	test('REPLY from someone else than the attendee: review (same rule as apply-reply)', () => {
		const reply = buildReply(newCopy, {me: [alex], answer: 'DECLINED', now: later});
		expect(process(reply.reply, invite.caldav, {me: [organizer], from: ['mallory@evil.example']})).toMatchObject({outcome: 'review', review: 'reply'});
	});

	test.each([
		['PUBLISH', invite.caldav.replace('BEGIN:VCALENDAR\r\n', 'BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\n'), /PUBLISH is not handled/],
		['no METHOD', invite.caldav, /no METHOD/],
		['not iCalendar', 'hello', /not valid iCalendar/],
	])('%s: ignored', (_label, message, reason) => {
		const result = process(message, newCopy, fromOrganizer);
		expect(result).toMatchObject({outcome: 'ignored', event: newCopy});
		expect(result.reason).toMatch(reason);
	});
});
