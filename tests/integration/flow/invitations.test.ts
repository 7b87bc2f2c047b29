/**
 * Issue 14: invitations to the user land in the calendar by themselves, through the real relay, Dovecot, SMTP and
 * Radicale, with a Radicale address book holding a contact (Alex). Sam is a stranger.
 */
import {describe, expect, test} from 'vitest';
import {eventHref} from '../../../lib/caldav/index.ts';
import {contactsItem, invitationsItem, receivedItem} from '../../../lib/storage.ts';
import {googleInvitation, invitationTick, newUid, useInvitationFlow} from './invitation-helpers.ts';
import {assertOnePerMessage, crlf, directImap, partstats, sendAs, startFromNow, storedOutcomes, type Flow} from './helpers.ts';

let flow: Flow;
useInvitationFlow(started => {
	flow = started;
});

/** The user's copy on Radicale, or undefined when there is none. */
async function copyOf(uid: string): Promise<{ics: string; etag: string} | undefined> {
	return flow.otherDevice.readEvent(eventHref(flow.calendarUrl, uid)).catch(() => undefined);
}

function unfolded(ics: string): string {
	return ics.replaceAll(/\r?\n[ \t]/g, '');
}

describe('a Google invitation', () => {
	test('from a contact (in the CardDAV address book) lands in the calendar after one tick, not answered', async () => {
		const uid = newUid();
		const mail = await googleInvitation(flow, {organizer: flow.alex, uid, summary: 'Planning with Alex'});
		await sendAs(flow, flow.alex, mail.raw);
		const result = await invitationTick(flow);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => [outcome.eventUid, outcome.outcome])).toEqual([[uid, 'applied']]);
		const copy = await copyOf(uid);
		expect(copy, 'the copy on Radicale').toBeDefined();
		expect(unfolded(copy!.ics)).toContain('SUMMARY:Planning with Alex');
		expect(copy!.ics).not.toMatch(/^METHOD:/m);
		expect(partstats(copy!.ics).master![flow.organizer.email]).toBe('NEEDS-ACTION');
		// The copy is remembered by href and ETag, as lib/attendee's answer flow keeps it; the mail beside it.
		expect((await invitationsItem.getValue())[uid]).toMatchObject({href: eventHref(flow.calendarUrl, uid), etag: copy!.etag, partstat: 'NEEDS-ACTION', cancelled: false, organizer: flow.alex.email});
		const received = (await receivedItem.getValue())[uid]!;
		expect(received).toMatchObject({listed: false, wasInJunk: false, mail: {folder: 'INBOX', messageId: mail.messageId}, message: {from: [flow.alex.email]}});
		expect(received.message.calendar).toContain('METHOD:REQUEST');
		// The address book was read once (ETag-synced copy), and it holds Alex.
		expect(Object.values((await contactsItem.getValue()).books).flatMap(book => Object.values(book.cards).flatMap(card => card.emails))).toEqual([flow.alex.email]);
	});

	test('from a stranger is not added, and is listed with its REQUEST kept', async () => {
		const uid = newUid();
		await sendAs(flow, flow.sam, (await googleInvitation(flow, {organizer: flow.sam, uid, summary: 'Sales pitch'})).raw);
		const result = await invitationTick(flow);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => [outcome.eventUid, outcome.outcome])).toEqual([[uid, 'skipped']]);
		expect(result.outcomes[0]!.reason).toContain('not one of your contacts');
		expect(await copyOf(uid)).toBeUndefined();
		expect(flow.exchanges.filter(exchange => exchange.method === 'PUT')).toEqual([]);
		expect((await invitationsItem.getValue())[uid]).toBeUndefined();
		const received = (await receivedItem.getValue())[uid]!;
		expect(received).toMatchObject({listed: true, message: {from: [flow.sam.email]}});
		expect(received.message.calendar).toContain('SUMMARY:Sales pitch');
	});

	test('from a stranger with the policy "anyone" is added; with "never", even a contact\'s is only listed', async () => {
		const fromSam = newUid();
		await sendAs(flow, flow.sam, (await googleInvitation(flow, {organizer: flow.sam, uid: fromSam, summary: 'Anyone may invite'})).raw);
		expect((await invitationTick(flow, {policy: 'anyone'})).outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		expect(await copyOf(fromSam)).toBeDefined();

		const fromAlex = newUid();
		await sendAs(flow, flow.alex, (await googleInvitation(flow, {organizer: flow.alex, uid: fromAlex, summary: 'Nobody may invite'})).raw);
		expect((await invitationTick(flow, {policy: 'never'})).outcomes.map(outcome => outcome.outcome)).toEqual(['skipped']);
		expect(await copyOf(fromAlex)).toBeUndefined();
		expect((await receivedItem.getValue())[fromAlex]).toMatchObject({listed: true});
	});

	test('from someone the user invited before counts as a contact', async () => {
		const {invite} = await import('./helpers.ts');
		// The user invites Sam (and Alex) to an event of their own: Sam is now someone they invited.
		await invite(flow, {summary: 'Our own meeting'});
		await startFromNow(flow);
		const uid = newUid();
		await sendAs(flow, flow.sam, (await googleInvitation(flow, {organizer: flow.sam, uid, summary: 'Sam returns the favour'})).raw);
		expect((await invitationTick(flow)).outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		expect(await copyOf(uid)).toBeDefined();
	});
});

describe('in Junk', () => {
	test('an invitation the provider put in Junk is processed by the same rules and flagged "was in Junk"', async () => {
		const uid = newUid();
		const mail = await googleInvitation(flow, {organizer: flow.alex, uid, summary: 'Filed as junk'});
		const client = await directImap(flow.sandbox.imap, flow.organizer);
		try {
			await client.append('Junk', crlf(mail.raw));
		} finally {
			await client.logout();
		}

		const result = await invitationTick(flow);
		expect(result.outcomes.map(outcome => [outcome.key.split('/')[0], outcome.outcome])).toEqual([['Junk', 'applied']]);
		expect(await copyOf(uid)).toBeDefined();
		expect((await invitationsItem.getValue())[uid]).toMatchObject({cancelled: false});
		expect((await receivedItem.getValue())[uid]).toMatchObject({listed: false, wasInJunk: true, mail: {folder: 'Junk'}});
	});
});

describe('after an invitation was added', () => {
	async function added(summary: string): Promise<string> {
		const uid = newUid();
		await sendAs(flow, flow.alex, (await googleInvitation(flow, {organizer: flow.alex, uid, summary})).raw);
		expect((await invitationTick(flow)).outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		return uid;
	}

	test('an update from the organizer moves the event, and the user is asked again', async () => {
		const uid = await added('Moving meeting');
		// The user accepted in another calendar app.
		const before = (await copyOf(uid))!;
		await flow.otherDevice.updateEvent(eventHref(flow.calendarUrl, uid), before.ics.replace(/(ATTENDEE[^\n]*?)PARTSTAT=NEEDS-ACTION([^\n]*\n(?: [^\n]*\n)*?[^\n]*?mailto:organizer@)/, '$1PARTSTAT=ACCEPTED$2'), before.etag);
		expect(partstats((await copyOf(uid))!.ics).master![flow.organizer.email]).toBe('ACCEPTED');

		await sendAs(flow, flow.alex, (await googleInvitation(flow, {organizer: flow.alex, uid, summary: 'Moving meeting', sequence: 1, start: '20261211T090000', end: '20261211T100000'})).raw);
		const result = await invitationTick(flow);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		expect(result.outcomes[0]!.reason).toContain('the time');
		const after = (await copyOf(uid))!;
		expect(after.ics).toContain('DTSTART;TZID=Europe/Berlin:20261211T090000');
		expect(partstats(after.ics).master![flow.organizer.email]).toBe('NEEDS-ACTION');
		expect((await invitationsItem.getValue())[uid]).toMatchObject({cancelled: false, partstat: 'NEEDS-ACTION', start: '2026-12-11T08:00:00Z', etag: after.etag, sequence: 1});
	});

	test('a CANCEL from the organizer cancels it (STATUS:CANCELLED); with "remove cancelled events" the copy goes', async () => {
		const uid = await added('Cancelled meeting');
		await sendAs(flow, flow.alex, (await googleInvitation(flow, {organizer: flow.alex, uid, summary: 'Cancelled meeting', method: 'CANCEL', sequence: 1})).raw);
		const result = await invitationTick(flow);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		expect((await copyOf(uid))!.ics).toContain('STATUS:CANCELLED');
		expect((await invitationsItem.getValue())[uid]).toMatchObject({cancelled: true});

		const removed = await added('Removed meeting');
		await sendAs(flow, flow.alex, (await googleInvitation(flow, {organizer: flow.alex, uid: removed, summary: 'Removed meeting', method: 'CANCEL', sequence: 1})).raw);
		expect((await invitationTick(flow, {removeCancelled: true})).outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		expect(await copyOf(removed)).toBeUndefined();
		expect((await invitationsItem.getValue())[removed]).toBeUndefined();
		expect((await receivedItem.getValue())[removed]).toMatchObject({cancelled: true});
	});

	test('a spoofed CANCEL (sent by Sam, naming Alex as organizer) does not cancel it and goes to review', async () => {
		const uid = await added('Spoof target');
		const before = (await copyOf(uid))!;
		await sendAs(flow, flow.sam, (await googleInvitation(flow, {organizer: flow.alex, from: flow.sam, uid, summary: 'Spoof target', method: 'CANCEL', sequence: 5})).raw);
		const result = await invitationTick(flow);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['review']);
		expect(result.outcomes[0]!.reason).toContain('not by the organizer');
		const after = (await copyOf(uid))!;
		expect(after.etag).toBe(before.etag);
		expect(after.ics).not.toContain('STATUS:CANCELLED');
		expect((await invitationsItem.getValue())[uid]).toMatchObject({cancelled: false, etag: before.etag});
	});

	test('the same invitation delivered twice is added once; a later tick does nothing', async () => {
		const uid = newUid();
		const mail = await googleInvitation(flow, {organizer: flow.alex, uid, summary: 'Twice'});
		await sendAs(flow, flow.alex, mail.raw);
		await sendAs(flow, flow.alex, mail.raw);
		const result = await invitationTick(flow);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'unchanged']);
		expect(flow.exchanges.filter(exchange => exchange.method === 'PUT' && exchange.status < 300)).toHaveLength(1);
		assertOnePerMessage(await storedOutcomes());
		flow.exchanges.length = 0;
		const again = await invitationTick(flow);
		expect({messages: again.messages, writes: again.writes}).toEqual({messages: 0, writes: 0});
		expect(flow.exchanges).toEqual([]);
	});
});
