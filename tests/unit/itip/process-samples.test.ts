/**
 * Every REQUEST and CANCEL in ../shared/fixtures/itip/samples/ through process(), as the attendee it invites. Real
 * senders' shapes: Google, Outlook/Teams, Exchange, iCloud, Proton Bridge, KOrganizer, Roundcube, recurring events,
 * several VEVENTs, Windows zone names, TNEF-only requests.
 */
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import {describe, expect, test} from 'vitest';
import {readCalendarMail} from '../../../lib/imip/index.ts';
import {buildReply, process, type ProcessContext} from '../../../lib/itip/index.ts';
import {eventsByOccurrence, eventValue, partStats, splitCalendars} from '../../helpers/itip-semantic.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const samples = path.resolve(repoRoot, '../shared/fixtures/itip/samples');

type Sample = {text: string; from: string[]; authenticationResults: string[]};

/** A sample's calendar and its mail's From and Authentication-Results (none for a bare .ics). */
async function load(name: string): Promise<Sample> {
	const bytes = readFileSync(path.join(samples, name));
	if (!name.endsWith('.eml')) {
		return {text: bytes.toString('utf8'), from: [], authenticationResults: []};
	}

	const mail = await readCalendarMail(bytes);
	return {text: mail.parts[0]?.text ?? '', from: mail.from ? [mail.from.email] : [], authenticationResults: mail.authenticationResults};
}

function context(sample: Sample, me: string): ProcessContext {
	return {me: [me], from: sample.from, authenticationResults: sample.authenticationResults};
}

/** The instant of a copy's DTSTART, computed by ical.js from the copy's own VTIMEZONE. */
function startInstant(copy: string, occurrence = 'master'): string {
	const calendar = new ICAL.Component(ICAL.parse(copy) as unknown[]);
	for (const zone of calendar.getAllSubcomponents('vtimezone')) {
		ICAL.TimezoneService.register(new ICAL.Timezone(zone));
	}

	try {
		const event = eventsByOccurrence(copy).get(occurrence)!;
		const property = event.getFirstProperty('dtstart')!;
		const tzid = property.getParameter('tzid');
		const time = property.getFirstValue() as ICAL.Time;
		const zone = typeof tzid === 'string' ? ICAL.TimezoneService.get(tzid) : undefined;
		const zoned = zone ? ICAL.Time.fromData({year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second}, zone) : time;
		return zoned.toJSDate().toISOString();
	} finally {
		ICAL.TimezoneService.reset();
	}
}

function vtimezone(copy: string, tzid: string): ICAL.Component | undefined {
	return new ICAL.Component(ICAL.parse(copy) as unknown[]).getAllSubcomponents('vtimezone').find(zone => zone.getFirstPropertyValue('tzid') === tzid);
}

describe('REQUEST samples: a new invitation from the organizer becomes the copy', () => {
	test.each([
		// [sample, the invited user, title, start instant]
		['google-REQUEST-meet-invite-qp.eml', 'homer@example.com', 'Meeeeet me HTML', '2021-03-22T09:30:00.000Z'],
		['google-REQUEST-nextcloudmail-fixture.eml', 'bob@example.org', 'Imip Testing', '2025-02-20T18:00:00.000Z'],
		['google-REQUEST-2024-full-headers-dkim.eml', 'andris@ethereal.email', 'Test event ⏰', '2024-04-11T08:00:00.000Z'],
		['protonbridge-REQUEST-no-method-param.eml', 'bob@example.org', 'Imip Testing', '2025-02-20T18:00:00.000Z'],
		['outlook-REQUEST-teams-meeting.eml', 'homer@example.com', 'Teams meeting', '2020-12-02T17:00:00.000Z'],
		['outlook-REQUEST-testaus-base64.eml', 'homer@example.org', 'Testaus', '2021-11-27T07:00:00.000Z'],
		['outlookcom-REQUEST-base64-lf.eml', 'bob@example.org', 'Imip Testing', '2025-02-26T07:00:00.000Z'],
		['outlook16-REQUEST-singlepart-xmsolk.eml', 'recipient@proton.local', 'Testing calendar invite', '2023-02-03T00:30:00.000Z'],
		['apple-REQUEST-recurring-nonmultipart.eml', 'jane@example.com', 'Recurring', '2012-07-09T09:00:00.000Z'],
		['roundcube-REQUEST-application-ics-qp.eml', 'resource-collection-car@example.org', 'test', '2012-07-13T09:00:00.000Z'],
	])('%s', async (name, me, title, start) => {
		const sample = await load(name);
		const result = process(sample.text, undefined, context(sample, me));
		expect(result).toMatchObject({method: 'REQUEST', outcome: 'applied'});
		expect(eventValue(result.event!, 'master', 'summary')).toBe(title);
		expect(result.event).not.toMatch(/^METHOD:/m);
		// Every TZID has its VTIMEZONE and the instant is the one the sender meant.
		expect(startInstant(result.event!)).toBe(start);
		expect(partStats(result.event!).master![me]).toBe('NEEDS-ACTION');
		// The copy can be answered.
		const reply = buildReply(result.event!, {me: [me], answer: 'ACCEPTED', now: new Date('2026-01-01T00:00:00Z')});
		expect(reply.reply).toMatch(/^METHOD:REPLY\r$/m);
	});

	test('Outlook\'s Windows zone names get the mapped IANA rules (windows-iana), TZID kept as written', async () => {
		const sample = await load('outlookcom-REQUEST-base64-lf.eml');
		expect(sample.text).toMatch(/TZID:W. Europe Standard Time/);
		const copy = process(sample.text, undefined, context(sample, 'bob@example.org')).event!;
		const zone = vtimezone(copy, 'W. Europe Standard Time');
		expect(zone?.getFirstPropertyValue('x-lic-location')).toBe('Europe/Berlin');
		// Outlook's own definition started in 1601; ours is the IANA zone's.
		expect(copy).not.toMatch(/DTSTART:1601/);
		// Summer time comes out right too: the same wall clock in July is UTC+2.
		const july = copy.replace('20250226T080000', '20250716T080000').replace('20250226T083000', '20250716T083000');
		expect(startInstant(july)).toBe('2025-07-16T06:00:00.000Z');
	});

	test('a quoted Windows zone name (Outlook 16, "Central European Standard Time") maps too', async () => {
		const sample = await load('outlook16-REQUEST-singlepart-xmsolk.eml');
		const copy = process(sample.text, undefined, context(sample, 'recipient@proton.local')).event!;
		expect(vtimezone(copy, 'Central European Standard Time')?.getFirstPropertyValue('x-lic-location')).toBe('Europe/Warsaw');
	});

	test('VTIMEZONE left out by the sender (Apple, Roundcube: TZID=Europe/London alone) is added from our zone data', async () => {
		const sample = await load('apple-REQUEST-recurring-nonmultipart.eml');
		expect(sample.text).not.toMatch(/BEGIN:VTIMEZONE/);
		const copy = process(sample.text, undefined, context(sample, 'jane@example.com')).event!;
		expect(vtimezone(copy, 'Europe/London')).toBeDefined();
	});

	test('master and override (Google-shaped recurrence exception) both kept', async () => {
		const sample = await load('google-style-REQUEST-recurrence-exception.eml');
		const result = process(sample.text, undefined, context(sample, 'receiver@example.com'));
		expect(result.outcome).toBe('applied');
		expect([...eventsByOccurrence(result.event!).keys()]).toEqual(['2022-03-17T11:00:00Z']);
	});
});

describe('REQUEST samples that need a person or cannot be used', () => {
	test('Google group calendar: From is a person, ORGANIZER the group → review (not the organizer)', async () => {
		const sample = await load('google-REQUEST-pykolab-multipart.eml');
		const result = process(sample.text, undefined, context(sample, 'john.sample@example.org'));
		expect(result).toMatchObject({outcome: 'review', review: 'not-organizer', event: null});
		expect(result.reason).toMatch(/Sent by john\.doe@gmail\.com, not by the organizer kepjllr6mcq7d0959u4cdc7000@group\.calendar\.google\.com/);
	});

	test('iCloud: From noreply@insideicloud, ORGANIZER an imip.me.com token → review', async () => {
		const sample = await load('icloud-REQUEST-raw-email-french.eml');
		expect(process(sample.text, undefined, context(sample, 'karim@nilas.com'))).toMatchObject({outcome: 'review', review: 'not-organizer'});
	});

	test.each([
		['apple-iphone-REQUEST-via-exchange.ics', 'khamidou@inboxapp.com', 'Europe/Paris'],
		['exchange-REQUEST-invite-w-rsvps.ics', 'karim@example.com', 'Romance Standard Time'],
		['kde-korganizer-REQUEST-delegated-attach.ics', 'rolf2@mykolab.com', undefined],
	])('bare %s: review without a mail, applied when trusted', async (name, me, tzid) => {
		const sample = await load(name);
		expect(process(sample.text, undefined, context(sample, me))).toMatchObject({outcome: 'review', review: 'no-mail'});
		const trusted = process(sample.text, undefined, {me: [me], trustSender: true});
		expect(trusted.outcome).toBe('applied');
		if (tzid) {
			expect(vtimezone(trusted.event!, tzid)).toBeDefined();
		}
	});

	test('Exchange\'s Romance Standard Time gives Paris time', async () => {
		const sample = await load('exchange-REQUEST-invite-w-rsvps.ics');
		const copy = process(sample.text, undefined, {me: ['karim@example.com'], trustSender: true}).event!;
		expect(startInstant(copy)).toBe('2015-04-01T14:00:00.000Z');
	});

	test('iCloud: two VEVENTs with one UID and no RECURRENCE-ID → ignored, nothing guessed', async () => {
		const sample = await load('icloud-REQUEST-multiple-vevents.ics');
		const result = process(sample.text, undefined, {me: ['ben@example.com'], trustSender: true});
		expect(result.outcome).toBe('ignored');
		expect(result.reason).toMatch(/2 events with one UID/);
	});

	test.each(['outlook-REQUEST-tnef-winmail2.dat', 'outlook-REQUEST-tnef-meetingrequest.b64.txt'])('TNEF-only %s: no iCalendar, ignored', async name => {
		const sample = await load(name);
		expect(process(sample.text, undefined, {me: ['a@example.com'], trustSender: true})).toMatchObject({outcome: 'ignored', event: null});
	});
});

/** The user's copy before a CANCEL: the cancelled event as it was (STATUS:CONFIRMED, one SEQUENCE lower). */
function copyBefore(cancel: string, me: string): string {
	const request = cancel.replace(/^METHOD:CANCEL/m, 'METHOD:REQUEST').replace(/^STATUS:CANCELLED/m, 'STATUS:CONFIRMED').replace(/^SEQUENCE:(\d+)/m, (_all, value: string) => `SEQUENCE:${Math.max(0, Number(value) - 1)}`);
	const result = process(request, undefined, {me: [me], trustSender: true});
	expect(result.outcome).toBe('applied');
	return result.event!;
}

describe('CANCEL samples', () => {
	test.each([
		['fastmail-style-CANCEL-single.eml', 'receiver@example.com'],
		['google-style-CANCEL-recurring-missing-dtstart.eml', 'receiver@example.com'],
	])('%s from the organizer: STATUS:CANCELLED on the copy', async (name, me) => {
		const sample = await load(name);
		const before = copyBefore(sample.text, me);
		const result = process(sample.text, before, context(sample, me));
		expect(result).toMatchObject({method: 'CANCEL', outcome: 'applied'});
		expect(eventValue(result.event!, 'master', 'status')).toBe('CANCELLED');
		// Nothing stored: nothing to cancel.
		expect(process(sample.text, undefined, context(sample, me))).toMatchObject({outcome: 'ignored', event: null});
	});

	test.each([
		['google-CANCEL.ics', 'karim@nilas.com', 'inboxapptest.french@gmail.com'],
		['icloud-CANCEL.ics', 'karim@nilas.com', 'invalid@example.com'],
	])('bare %s: review without a mail; from the organizer\'s address, applied', async (name, me, organizer) => {
		const sample = await load(name);
		const before = copyBefore(sample.text, me);
		expect(process(sample.text, before, {me: [me]})).toMatchObject({outcome: 'review', event: before});
		expect(process(sample.text, before, {me: [me], from: ['mallory@evil.example']})).toMatchObject({outcome: 'review', review: 'not-organizer', event: before});
		const result = process(sample.text, before, {me: [me], from: [organizer]});
		expect(result.outcome).toBe('applied');
		expect(eventValue(result.event!, 'master', 'status')).toBe('CANCELLED');
	});

});

/** Runs a stream of iTIP messages through process() as `me`, one copy per UID, and lists `METHOD:outcome`. */
function runStream(file: string, me: string): string[] {
	const copies = new Map<string, string>();
	return splitCalendars(readFileSync(path.join(samples, file), 'utf8')).map(text => {
		const uid = /^UID:(.*)$/m.exec(text)?.[1]?.trim() ?? '';
		const result = process(text, copies.get(uid), {me: [me], trustSender: true});
		if (result.method !== 'REPLY' && result.event !== null) {
			copies.set(uid, result.event);
		}

		return `${result.method}:${result.outcome}`;
	});
}

describe('iTIP streams, in order, one copy per UID', () => {
	test('libical incoming.ics as c@example.com: the stale update and the stale CANCEL (SEQUENCE 1 < 2) are ignored', () => {
		expect(runStream('libical-incoming-itip-sequence.ics', 'c@example.com')).toEqual([
			'REQUEST:applied', 'REQUEST:applied', 'REQUEST:applied', 'REQUEST:ignored',
			'REPLY:ignored', 'REPLY:ignored', 'REQUEST:applied', 'REPLY:ignored', 'REPLY:ignored', 'REPLY:ignored',
			'CANCEL:ignored', 'COUNTER:ignored', 'PUBLISH:ignored', 'PUBLISH:ignored', 'PUBLISH:ignored',
		]);
	});

	test('RFC 2446 examples as b@example.com: every CANCEL with a copy is applied once, then unchanged', () => {
		const outcomes = runStream('spec-rfc2446-all-methods-COUNTER-DECLINECOUNTER-REFRESH.ics', 'b@example.com');
		expect(outcomes.filter(outcome => outcome.startsWith('CANCEL:'))).toEqual(['CANCEL:ignored', 'CANCEL:applied', 'CANCEL:unchanged', 'CANCEL:applied', 'CANCEL:applied']);
		expect(outcomes.every(outcome => /^[A-Z]+:(applied|unchanged|ignored|review)$/.test(outcome))).toBe(true);
	});
});

describe('the samples folder', () => {
	test('every REQUEST and CANCEL sample in it has a case in this file', () => {
		const named = readdirSync(samples).filter(name => /-(REQUEST|CANCEL)[-.]/.test(name));
		const cases = readFileSync(import.meta.filename, 'utf8');
		expect(named.length).toBeGreaterThan(0);
		expect(named.filter(name => !cases.includes(`'${name}'`))).toEqual([]);
	});
});
