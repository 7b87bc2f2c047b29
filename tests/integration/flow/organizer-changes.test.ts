/**
 * The organizer changes what was sent, through the real relay, SMTP, Dovecot and Radicale (issue 15, "Must show"):
 * a new time reaches every attendee as a REQUEST with SEQUENCE+1 and resets answers on Radicale; one occurrence
 * cancelled (EXDATE + CANCEL with RECURRENCE-ID) or moved (override + its own REQUEST); a COUNTER delivered for real,
 * set aside by the reply loop, then accepted (new time on Radicale, an update to everyone) or declined
 * (DECLINECOUNTER to the proposer).
 */
import ICAL from 'ical.js';
import {describe, expect, test} from 'vitest';
import {answerCounter} from '../../../lib/background/counter-actions.ts';
import type {Context} from '../../../lib/background/context.ts';
import {cancelOccurrence, updateInvite, updateOccurrence} from '../../../lib/invites/index.ts';
import {eventsItem} from '../../../lib/storage.ts';
import {
	expectCalendarMail, invite, inviteDeps, methodOf, newMessageId, readBack, replyMail, sendAs, sentIds, startFromNow,
	storedOutcomes, tick, useRelayFlow, type Flow,
} from './helpers.ts';

let flow: Flow;

useRelayFlow(started => {
	flow = started;
});

function context(): Context {
	return {settings: flow.settings, account: flow.account, caldav: flow.caldav, relay: flow.relayClient};
}

/** The one VEVENT of an iTIP message. */
function onlyEvent(calendar: string): ICAL.Component {
	const events = new ICAL.Component(ICAL.parse(calendar) as unknown[]).getAllSubcomponents('vevent');
	expect(events).toHaveLength(1);
	return events[0]!;
}

/** Mails sent by the organizer since `before`. */
async function newSent(before: readonly string[]): Promise<string[]> {
	return (await sentIds(flow)).filter(id => !before.includes(id));
}

/** An attendee's iTIP message (REPLY or COUNTER) mailed for real to the organizer. */
async function answer(from: Flow['alex'], method: 'REPLY' | 'COUNTER', uid: string, lines: readonly string[]): Promise<void> {
	const calendar = [
		'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN', `METHOD:${method}`, 'BEGIN:VEVENT', `UID:${uid}`,
		`DTSTAMP:${new Date().toISOString().replaceAll(/[-:]|\.\d+/g, '')}`, `ORGANIZER:mailto:${flow.organizer.email}`, ...lines, 'END:VEVENT', 'END:VCALENDAR', '',
	].join('\r\n');
	const mail = replyMail({from, to: flow.organizer, subject: `${method === 'COUNTER' ? 'New time proposed' : 'Accepted'}: ${uid}`, calendar, messageId: newMessageId(method.toLowerCase())});
	await sendAs(flow, from, method === 'COUNTER' ? mail.replace('method=REPLY', 'method=COUNTER') : mail);
}

describe('changing a sent invitation', () => {
	test('a new time: SEQUENCE+1 and every answer reset on Radicale, each attendee gets a REQUEST with SEQUENCE:1', async () => {
		const {tracked} = await invite(flow, {summary: 'Design review'});
		await startFromNow(flow);
		await answer(flow.alex, 'REPLY', tracked.uid, ['SEQUENCE:0', `ATTENDEE;PARTSTAT=ACCEPTED:mailto:${flow.alex.email}`]);
		await tick(flow);
		expect((await readBack(flow, tracked.href)).partstats.master?.[flow.alex.email]).toBe('ACCEPTED');

		const before = await sentIds(flow);
		const result = await updateInvite(tracked.uid, {start: '2026-12-01T18:00', end: '2026-12-01T19:00'}, inviteDeps(flow));
		expect(result).toMatchObject({ok: true});
		const stored = await readBack(flow, tracked.href);
		expect(stored.ics).toContain('SEQUENCE:1');
		expect(stored.ics).toContain('DTSTART;TZID=Europe/Berlin:20261201T180000');
		expect(stored.partstats.master).toEqual({[flow.organizer.email]: 'ACCEPTED', [flow.alex.email]: 'NEEDS-ACTION', [flow.sam.email]: 'NEEDS-ACTION'});
		expect((await eventsItem.getValue())[tracked.uid]).toMatchObject({sequence: 1, start: '2026-12-01T17:00:00Z', attendees: [{partstat: 'NEEDS-ACTION'}, {partstat: 'NEEDS-ACTION'}]});

		const [request] = await newSent(before);
		for (const attendee of [flow.alex, flow.sam]) {
			const calendar = await expectCalendarMail(flow, attendee, 'INBOX', request!, 'REQUEST', tracked.uid);
			expect(onlyEvent(calendar).getFirstPropertyValue('sequence')).toBe(1);
		}
	});

	test('only the title changed: the same SEQUENCE, answers kept, the new title to everyone', async () => {
		const {tracked} = await invite(flow, {summary: 'Lunch'});
		const before = await sentIds(flow);
		expect(await updateInvite(tracked.uid, {summary: 'Team lunch'}, inviteDeps(flow))).toMatchObject({ok: true, accepted: [flow.alex.email, flow.sam.email]});
		const [request] = await newSent(before);
		const calendar = await expectCalendarMail(flow, flow.sam, 'INBOX', request!, 'REQUEST', tracked.uid);
		expect(onlyEvent(calendar).getFirstPropertyValue('sequence')).toBe(0);
		expect(onlyEvent(calendar).getFirstPropertyValue('summary')).toBe('Team lunch');
	});

	test('removing an attendee: they get a CANCEL, the others an update', async () => {
		const {tracked} = await invite(flow, {summary: 'Hiring sync'});
		const before = await sentIds(flow);
		expect(await updateInvite(tracked.uid, {removeAttendees: [flow.sam.email]}, inviteDeps(flow))).toMatchObject({ok: true});
		const added = await newSent(before);
		const methods = await Promise.all(added.map(async id => methodOf(flow, flow.organizer, 'Sent', id)));
		const cancel = onlyEvent(await expectCalendarMail(flow, flow.sam, 'INBOX', added[methods.indexOf('CANCEL')]!, 'CANCEL', tracked.uid));
		expect(cancel.getAllProperties('attendee').map(property => property.getFirstValue())).toEqual([`mailto:${flow.sam.email}`]);
		await expectCalendarMail(flow, flow.alex, 'INBOX', added[methods.indexOf('REQUEST')]!, 'REQUEST', tracked.uid);
		expect(Object.keys((await readBack(flow, tracked.href)).partstats.master!)).toEqual([flow.organizer.email, flow.alex.email]);
	});
});

describe('one occurrence of a repeating event', () => {
	const weekly = {summary: 'Weekly status', start: '2026-12-01T10:00', end: '2026-12-01T10:30', timeZone: 'Europe/Berlin', repeat: {freq: 'weekly' as const, count: 6}};

	test('cancelling 15 Dec: EXDATE on Radicale, a CANCEL with RECURRENCE-ID to each attendee', async () => {
		const {tracked} = await invite(flow, weekly);
		const before = await sentIds(flow);
		expect(await cancelOccurrence(tracked.uid, '2026-12-15T10:00', inviteDeps(flow))).toMatchObject({ok: true});
		const stored = await readBack(flow, tracked.href);
		expect(stored.ics).toContain('EXDATE;TZID=Europe/Berlin:20261215T100000');
		expect(stored.ics).not.toContain('STATUS:CANCELLED');
		const [cancel] = await newSent(before);
		for (const attendee of [flow.alex, flow.sam]) {
			const event = onlyEvent(await expectCalendarMail(flow, attendee, 'INBOX', cancel!, 'CANCEL', tracked.uid));
			expect(event.getFirstProperty('recurrence-id')?.toICALString()).toBe('RECURRENCE-ID;TZID=Europe/Berlin:20261215T100000');
			expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
		}
	});

	test('moving 8 Dec only: an override on Radicale, a REQUEST for that occurrence alone, the series untouched', async () => {
		const {tracked} = await invite(flow, {...weekly, summary: 'Weekly planning'});
		const before = await sentIds(flow);
		expect(await updateOccurrence(tracked.uid, {recurrenceId: '2026-12-08T10:00', start: '2026-12-08T15:00', end: '2026-12-08T15:30'}, inviteDeps(flow))).toMatchObject({ok: true});
		const stored = await readBack(flow, tracked.href);
		expect(Object.keys(stored.partstats)).toEqual(['master', '20261208T100000']);
		expect(stored.ics).toContain('DTSTART;TZID=Europe/Berlin:20261208T150000');
		const [request] = await newSent(before);
		const event = onlyEvent(await expectCalendarMail(flow, flow.alex, 'INBOX', request!, 'REQUEST', tracked.uid));
		expect(event.getFirstProperty('recurrence-id')?.toICALString()).toBe('RECURRENCE-ID;TZID=Europe/Berlin:20261208T100000');
		expect(event.getFirstProperty('dtstart')?.toICALString()).toBe('DTSTART;TZID=Europe/Berlin:20261208T150000');
		expect(event.getFirstPropertyValue('sequence')).toBe(1);
	});
});

describe('a COUNTER (propose a new time) delivered for real', () => {
	test('accepted: the new time on Radicale and an update to everyone; the review item closes', async () => {
		const {tracked} = await invite(flow, {summary: 'Budget'});
		await startFromNow(flow);
		await answer(flow.alex, 'COUNTER', tracked.uid, [
			'SEQUENCE:0', `ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:${flow.alex.email}`, 'DTSTART:20261202T130000Z', 'DTEND:20261202T140000Z', 'COMMENT:Wednesday works better',
		]);
		await tick(flow);
		const [outcome] = (await storedOutcomes()).filter(candidate => candidate.eventUid === tracked.uid);
		expect(outcome).toMatchObject({outcome: 'review', from: flow.alex.email});
		expect((await readBack(flow, tracked.href)).ics).toContain('DTSTART;TZID=Europe/Berlin:20261201T160000');

		const before = await sentIds(flow);
		expect(await answerCounter(outcome!.key, 'accept', context())).toMatchObject({ok: true});
		const stored = await readBack(flow, tracked.href);
		expect(stored.ics).toContain('DTSTART;TZID=Europe/Berlin:20261202T140000');
		expect(stored.ics).toContain('SEQUENCE:1');
		const [request] = await newSent(before);
		for (const attendee of [flow.alex, flow.sam]) {
			const event = onlyEvent(await expectCalendarMail(flow, attendee, 'INBOX', request!, 'REQUEST', tracked.uid));
			expect(event.getFirstProperty('dtstart')?.toICALString()).toBe('DTSTART;TZID=Europe/Berlin:20261202T140000');
		}

		expect((await storedOutcomes()).find(candidate => candidate.key === outcome!.key)).toMatchObject({dismissed: true, outcome: 'applied'});
	});

	test('declined: DECLINECOUNTER to the proposer alone, the event unchanged', async () => {
		const {tracked} = await invite(flow, {summary: 'Roadmap'});
		await startFromNow(flow);
		await answer(flow.sam, 'COUNTER', tracked.uid, ['SEQUENCE:0', `ATTENDEE:mailto:${flow.sam.email}`, 'DTSTART:20261203T080000Z', 'DTEND:20261203T090000Z']);
		await tick(flow);
		const [outcome] = (await storedOutcomes()).filter(candidate => candidate.eventUid === tracked.uid);
		const etag = (await readBack(flow, tracked.href)).etag;
		const before = await sentIds(flow);
		expect(await answerCounter(outcome!.key, 'decline', context())).toMatchObject({ok: true, accepted: [flow.sam.email]});
		const [decline] = await newSent(before);
		const event = onlyEvent(await expectCalendarMail(flow, flow.sam, 'INBOX', decline!, 'DECLINECOUNTER', tracked.uid));
		expect(event.getFirstPropertyValue('attendee')).toBe(`mailto:${flow.sam.email}`);
		expect((await readBack(flow, tracked.href)).etag).toBe(etag);
	});
});
