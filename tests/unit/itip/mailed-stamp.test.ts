/**
 * The mailed stamp (issue 18): every write of ours carries it, and calendar-app scheduling adopts a version whose
 * stamp matches what it holds without sending anything. Covered changes break the match; the rest keeps it; a forged
 * or copied stamp only ever makes us send as usual, except for the exact version it was computed for.
 */
import ICAL from 'ical.js';
import {describe, expect, test} from 'vitest';
import {buildInvite, changesToMessages, isMailedVersion, mailedStampProperty, withMailedStamp, withoutMailedStamp} from '../../../lib/itip/index.ts';

const me = 'olivia@example.org';
const now = new Date('2026-12-02T12:00:00Z');
const built = buildInvite({
	organizer: {email: me, name: 'Olivia'},
	attendees: [{email: 'alex@example.org', name: 'Alex'}, {email: 'sam@example.org', name: 'Sam'}],
	summary: 'Team sync',
	start: '2027-01-15T10:00',
	end: '2027-01-15T11:00',
	timeZone: 'Europe/Berlin',
});

function stampLines(ics: string): string[] {
	return ics.split(/\r\n/).filter(line => line.startsWith(mailedStampProperty));
}

function moved(ics: string): string {
	const result = ics.replace(/DTSTART;TZID=Europe\/Berlin:20270115T100000/, 'DTSTART;TZID=Europe/Berlin:20270115T110000');
	expect(result).not.toBe(ics);
	return result;
}

/** Unfolded (RFC 5545 §3.1), as an app may write it back. */
function unfolded(ics: string): string {
	return ics.replaceAll(/\r\n[ \t]/g, '');
}

function partstat(ics: string, address: string, value: string): string {
	const result = unfolded(ics).replace(new RegExp(`PARTSTAT=NEEDS-ACTION(;[^:\\r\\n]*)?:mailto:${address}`, 'i'), `PARTSTAT=${value}$1:mailto:${address}`);
	expect(result).not.toBe(ics);
	return result;
}

describe('stamping a write', () => {
	test('one stamp right after BEGIN:VCALENDAR, on one line; the rest of the text kept as written', async () => {
		const stamped = await withMailedStamp(built.caldav);
		expect(stampLines(stamped)).toHaveLength(1);
		expect(stamped.split('\r\n')[1]).toMatch(new RegExp(`^${mailedStampProperty}:[\\w-]{43}$`));
		expect(withoutMailedStamp(stamped)).toBe(built.caldav);
		expect(await isMailedVersion(stamped)).toBe(true);
		expect(await isMailedVersion(built.caldav)).toBe(false);
	});

	test('stamping again replaces the old stamp (also one an app moved into the VEVENT)', async () => {
		const stamped = await withMailedStamp(built.caldav);
		const stale = stampLines(stamped)[0]!;
		const movedStamp = moved(withoutMailedStamp(stamped)).replace('BEGIN:VEVENT\r\n', `BEGIN:VEVENT\r\n${stale}\r\n`);
		const restamped = await withMailedStamp(movedStamp);
		expect(stampLines(restamped)).toHaveLength(1);
		expect(stampLines(restamped)[0]).not.toBe(stale);
		expect(await isMailedVersion(restamped)).toBe(true);
	});

	test('text that is not iCalendar is written without a stamp', async () => {
		const broken = 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:not a date\r\n';
		expect(stampLines(await withMailedStamp(broken))).toEqual([]);
		expect(await isMailedVersion(`BEGIN:VCALENDAR\r\n${mailedStampProperty}:abc\r\nEND:VCALENDAR\r\n`)).toBe(false);
	});
});

describe('reading a version', () => {
	test.each([
		['moved', moved],
		['an attendee answered', (ics: string) => partstat(ics, 'alex@example.org', 'ACCEPTED')],
		['an attendee removed', (ics: string) => unfolded(ics).replace(/ATTENDEE[^\r\n]*sam@example\.org\r\n/i, '')],
		['SEQUENCE raised', (ics: string) => ics.replace(/^SEQUENCE:(\d+)/m, (_line, value: string) => `SEQUENCE:${Number(value) + 1}`)],
		['DTSTAMP renewed', (ics: string) => ics.replace(/^DTSTAMP:\d{8}T\d{6}Z/m, 'DTSTAMP:20301231T235959Z')],
		['a place given', (ics: string) => ics.replace('SUMMARY:', 'LOCATION:Room 4\r\nSUMMARY:')],
		['a weekly rule added', (ics: string) => ics.replace('SUMMARY:', 'RRULE:FREQ=WEEKLY\r\nSUMMARY:')],
		['a description given (sent as a details REQUEST)', (ics: string) => ics.replace('SUMMARY:', 'DESCRIPTION:Agenda to follow\r\nSUMMARY:')],
		['one occurrence moved (a new overriding VEVENT)', (ics: string) => ics.replace('END:VCALENDAR', 'BEGIN:VEVENT\r\nUID:x\r\nRECURRENCE-ID:20270122T090000Z\r\nDTSTAMP:20261202T120000Z\r\nDTSTART:20270122T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR')],
	])('changed in an app (%s), keeping the old stamp: not ours, diffed as usual', async (_name, change) => {
		const stamped = await withMailedStamp(built.caldav);
		const changed = change(stamped);
		expect(changed).not.toBe(stamped);
		expect(stampLines(changed)).toEqual(stampLines(stamped));
		expect(await isMailedVersion(changed)).toBe(false);
	});

	test.each([
		['free/busy transparency', (ics: string) => ics.replace('SUMMARY:', 'TRANSP:TRANSPARENT\r\nSUMMARY:')],
		['an alarm', (ics: string) => ics.replace('END:VEVENT', 'BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Soon\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT')],
		['an app\'s own property', (ics: string) => ics.replace('END:VEVENT', 'X-MOZ-GENERATION:3\r\nEND:VEVENT')],
	])('changed in an app (%s), nothing attendees are told about: still ours', async (_name, change) => {
		const stamped = await withMailedStamp(built.caldav);
		const changed = change(stamped);
		expect(changed).not.toBe(stamped);
		expect(await isMailedVersion(changed)).toBe(true);
	});

	test('the server or an app writing the same version out again (LF line ends, refolded, re-serialized) keeps the match', async () => {
		const stamped = await withMailedStamp(built.caldav);
		const reserialized = new ICAL.Component(ICAL.parse(stamped) as unknown[]).toString();
		expect(reserialized).not.toBe(stamped);
		expect(await isMailedVersion(reserialized)).toBe(true);
		expect(await isMailedVersion(stamped.replaceAll('\r\n', '\n'))).toBe(true);
		expect(await isMailedVersion(stamped.replace(/mailto:alex@example\.org/i, 'MAILTO:Alex@Example.org'))).toBe(true);
	});
});

describe('hostile stamps', () => {
	test('a stamp copied from another event, or two stamps, is not ours', async () => {
		const other = buildInvite({organizer: {email: me, name: 'Olivia'}, attendees: [{email: 'alex@example.org', name: 'Alex'}], summary: 'Other', start: '2027-02-01T10:00', end: '2027-02-01T11:00', timeZone: 'UTC'});
		const foreign = stampLines(await withMailedStamp(other.caldav))[0]!;
		const copied = built.caldav.replace('BEGIN:VCALENDAR\r\n', `BEGIN:VCALENDAR\r\n${foreign}\r\n`);
		expect(await isMailedVersion(copied)).toBe(false);
		const own = stampLines(await withMailedStamp(built.caldav))[0]!;
		const twice = built.caldav.replace('BEGIN:VCALENDAR\r\n', `BEGIN:VCALENDAR\r\n${own}\r\n${foreign}\r\n`);
		expect(await isMailedVersion(twice)).toBe(false);
	});

	test('a stranger\'s invitation carrying a valid stamp: the user\'s answer in an app breaks it, and its REPLY is sent', async () => {
		// The stranger organizes; the user (alex) attends. The digest is not secret: the stranger can stamp the version he sends.
		const forged = await withMailedStamp(buildInvite({organizer: {email: 'stranger@example.net', name: 'Stranger'}, attendees: [{email: 'alex@example.org', name: 'Alex'}], summary: 'Offer', start: '2027-03-01T10:00', end: '2027-03-01T11:00', timeZone: 'UTC'}).caldav);
		expect(await isMailedVersion(forged)).toBe(true);
		// The user accepts in another app, which keeps the stamp and renews DTSTAMP: no longer a match, so the change is
		// diffed as usual (against the filed version) and the REPLY goes out.
		const accepted = partstat(forged, 'alex@example.org', 'ACCEPTED').replace(/^DTSTAMP:\d{8}T\d{6}Z/m, 'DTSTAMP:20270101T090000Z');
		expect(await isMailedVersion(accepted)).toBe(false);
		const change = changesToMessages(forged, accepted, ['alex@example.org'], {now});
		expect(change.messages.map(message => [message.method, [...message.recipients]])).toEqual([['REPLY', ['stranger@example.net']]]);
	});

	test('what a forged stamp can do: the stranger guessed the user\'s exact answer (same DTSTAMP) and stamped it; only the REPLY to that stranger is withheld', async () => {
		const invitation = buildInvite({organizer: {email: 'stranger@example.net', name: 'Stranger'}, attendees: [{email: 'alex@example.org', name: 'Alex'}], summary: 'Offer', start: '2027-03-01T10:00', end: '2027-03-01T11:00', timeZone: 'UTC'}).caldav;
		const guessed = await withMailedStamp(partstat(invitation, 'alex@example.org', 'ACCEPTED'));
		const filed = withoutMailedStamp(invitation).replace('BEGIN:VCALENDAR\r\n', `BEGIN:VCALENDAR\r\n${stampLines(guessed)[0]!}\r\n`);
		expect(await isMailedVersion(filed)).toBe(false);
		const accepted = partstat(filed, 'alex@example.org', 'ACCEPTED');
		expect(await isMailedVersion(accepted)).toBe(true);
		// The only message that version would have caused goes to the forger himself.
		const change = changesToMessages(filed, accepted, ['alex@example.org'], {now});
		expect(change.messages.flatMap(message => [...message.recipients])).toEqual(['stranger@example.net']);
	});

	test('the stamp never adds a mail: a meeting with our PRODID and no stamp is scheduled like any app\'s', () => {
		expect(built.caldav).toMatch(/^PRODID:-\/\/Purelymail Invites\/\//m);
		const change = changesToMessages(undefined, built.caldav, [me], {now});
		expect(change.messages.map(message => [message.method, [...message.recipients].sort()])).toEqual([['REQUEST', ['alex@example.org', 'sam@example.org']]]);
	});
});
