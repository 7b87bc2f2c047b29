/**
 * The attendee's answer flow (issue 13) through the real relay, SMTP (AUTH), Dovecot and Radicale: the organizer
 * invites with lib/invites, the attendee reads the REQUEST from their INBOX with lib/imip (as the card does) and
 * answers with lib/attendee: their copy with the PARTSTAT on their own Radicale calendar first, then the REPLY to
 * the organizer, a copy in their Sent; the organizer's reply loop records it. Also: a failed send keeps the answer
 * and is not sent twice, one occurrence, "Add to calendar", "Remove from my calendar", and strangers change nothing.
 */
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {fakeBrowser} from 'wxt/testing';
import {addInvitation, answerInvitation, createStorageInvitations, removeCancelled, type AttendeeDeps, type InvitationMessage} from '../../../lib/attendee/index.ts';
import {createCaldavClient, discoverCalendars, type CaldavClient} from '../../../lib/caldav/index.ts';
import {topLevelMethod} from '../../../lib/ical-lines.ts';
import {readCalendarMail} from '../../../lib/imip/index.ts';
import {cancelInvite} from '../../../lib/invites/index.ts';
import {invitationsItem} from '../../../lib/storage.ts';
import type {SandboxAccount} from '../../sandbox/index.ts';
import {
	expectCalendarMail, invite, inviteDeps, listMessages, partstats, rawMessage, readBack, sentIds, startFlow, startFromNow, tick, type Flow,
} from './helpers.ts';

let flow: Flow;
const calendars = new Map<string, string>();
/** Each attendee's CalDAV client (their own login). */
const clients = new Map<string, CaldavClient>();

beforeAll(async () => {
	flow = await startFlow();
	for (const account of [flow.alex, flow.sam]) {
		const discovery = await discoverCalendars({serverUrl: flow.sandbox.caldav.url, username: account.email, password: account.password});
		calendars.set(account.email, discovery.calendars[0]!.url);
		clients.set(account.email, createCaldavClient({username: account.email, password: account.password}));
	}
});

afterAll(async () => {
	await flow?.stop();
});

beforeEach(() => {
	fakeBrowser.reset();
});

/** The attendee's extension: their account, their calendar, the same relay. */
function attendeeDeps(account: SandboxAccount, relay = flow.relayClient): AttendeeDeps {
	return {
		caldav: clients.get(account.email)!,
		relay,
		account: {email: account.email, name: account.name, password: account.password, aliases: []},
		settings: {...flow.settings, calendarUrl: calendars.get(account.email)!},
		invitations: createStorageInvitations(),
	};
}


/** What the card hands the background: the calendar part and the mail's From and Authentication-Results. */
async function invitationIn(account: SandboxAccount, messageId: string, method = 'REQUEST'): Promise<InvitationMessage> {
	const mail = await readCalendarMail(await rawMessage(flow.sandbox.imap, account, 'INBOX', messageId));
	const part = mail.parts.find(candidate => candidate.method === method);
	if (!part) {
		throw new Error(`${messageId}: no ${method} part`);
	}

	return {calendar: part.text, from: mail.from ? [mail.from.email] : [], authenticationResults: mail.authenticationResults};
}

/** The Message-ID of the newest mail in the organizer's Sent that is not in `before`. */
async function newSent(before: readonly string[]): Promise<string> {
	const fresh = (await sentIds(flow)).filter(id => !before.includes(id));
	expect(fresh).toHaveLength(1);
	return fresh[0]!;
}

async function sentOf(account: SandboxAccount): Promise<string[]> {
	return (await listMessages(flow.sandbox.imap, account, 'Sent')).map(message => message.messageId!);
}

describe('answerInvitation', () => {
	test('Maybe with a comment: TENTATIVE on the attendee\'s calendar first, the REPLY to the organizer (copy in Sent), recorded by the organizer\'s loop', async () => {
		await startFromNow(flow);
		const before = await sentIds(flow);
		const {tracked} = await invite(flow, {summary: 'Planning'});
		const requestId = await newSent(before);
		const alexSentBefore = await sentOf(flow.alex);

		const result = await answerInvitation(await invitationIn(flow.alex, requestId), {answer: 'TENTATIVE', comment: 'Late by 10 minutes'}, attendeeDeps(flow.alex));
		if (!result.ok) {
			throw new Error(`answerInvitation failed: ${JSON.stringify(result)}`);
		}

		expect(result.steps.map(step => `${step.step} ${step.state}`)).toEqual(['calendar done', 'mail done']);
		expect(result.accepted).toEqual([flow.organizer.email]);

		// Alex's own calendar: the copy without METHOD, Alex TENTATIVE, where the record says it is.
		const record = (await invitationsItem.getValue())[tracked.uid]!;
		expect(record).toMatchObject({partstat: 'TENTATIVE', organizer: flow.organizer.email, summary: 'Planning', reply: {state: 'sent', answer: 'TENTATIVE', comment: 'Late by 10 minutes', to: flow.organizer.email}});
		expect(record.href.startsWith(calendars.get(flow.alex.email)!)).toBe(true);
		const copy = await clients.get(flow.alex.email)!.readEvent(record.href);
		expect(copy.etag).toBe(record.etag);
		expect(topLevelMethod(copy.ics)).toBeUndefined();
		expect(partstats(copy.ics).master![flow.alex.email]).toBe('TENTATIVE');

		// The REPLY: in Alex's Sent and the organizer's INBOX, METHOD:REPLY with the comment.
		const [replyId] = (await sentOf(flow.alex)).filter(id => !alexSentBefore.includes(id));
		const reply = await expectCalendarMail(flow, flow.organizer, 'INBOX', replyId!, 'REPLY', tracked.uid);
		expect(reply.replaceAll(/\r\n[ \t]/g, '')).toContain('COMMENT:Late by 10 minutes');
		await expectCalendarMail(flow, flow.alex, 'Sent', replyId!, 'REPLY', tracked.uid);

		// The organizer's side: one tick records TENTATIVE with the comment on Radicale.
		const ticked = await tick(flow);
		expect(ticked.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		const organizerCopy = await readBack(flow, tracked.href);
		expect(organizerCopy.partstats.master![flow.alex.email]).toBe('TENTATIVE');
		expect(organizerCopy.ics.replaceAll(/\r\n[ \t]/g, '')).toContain('Late by 10 minutes');

		// The same answer again (a double click, a reload): nothing new is sent.
		const again = await answerInvitation(await invitationIn(flow.alex, requestId), {answer: 'TENTATIVE', comment: 'Late by 10 minutes'}, attendeeDeps(flow.alex));
		expect(again).toMatchObject({ok: true, accepted: []});
		expect(again.steps.at(-1)?.detail).toMatch(/not sent again/);
		expect((await sentOf(flow.alex)).filter(id => !alexSentBefore.includes(id))).toHaveLength(1);

		// Changing the answer sends the new one.
		const changed = await answerInvitation(await invitationIn(flow.alex, requestId), {answer: 'ACCEPTED'}, attendeeDeps(flow.alex));
		expect(changed).toMatchObject({ok: true, accepted: [flow.organizer.email]});
		expect(partstats((await clients.get(flow.alex.email)!.readEvent(record.href)).ics).master![flow.alex.email]).toBe('ACCEPTED');
		expect((await sentOf(flow.alex)).filter(id => !alexSentBefore.includes(id))).toHaveLength(2);
	});

	test('a send that fails keeps the answer (calendar done, mail failed); the retry sends it once', async () => {
		const before = await sentIds(flow);
		const {tracked} = await invite(flow, {summary: 'Retro'});
		const message = await invitationIn(flow.sam, await newSent(before));
		const samSentBefore = await sentOf(flow.sam);
		await flow.stopRelay();
		let failed;
		try {
			failed = await answerInvitation(message, {answer: 'DECLINED'}, attendeeDeps(flow.sam));
		} finally {
			await flow.restartRelay();
		}

		expect(failed).toMatchObject({ok: false, error: {code: 'relay-down'}});
		expect(failed.steps.map(step => `${step.step} ${step.state}`)).toEqual(['calendar done', 'mail failed']);
		const kept = (await invitationsItem.getValue())[tracked.uid]!;
		expect(kept).toMatchObject({partstat: 'DECLINED', reply: {state: 'not-sent', answer: 'DECLINED'}});
		expect(partstats((await clients.get(flow.sam.email)!.readEvent(kept.href)).ics).master![flow.sam.email]).toBe('DECLINED');
		expect(await sentOf(flow.sam)).toEqual(samSentBefore);

		const retried = await answerInvitation(message, {answer: 'DECLINED'}, attendeeDeps(flow.sam));
		expect(retried).toMatchObject({ok: true, accepted: [flow.organizer.email]});
		expect((await invitationsItem.getValue())[tracked.uid]!.reply).toMatchObject({state: 'sent'});
		const again = await answerInvitation(message, {answer: 'DECLINED'}, attendeeDeps(flow.sam));
		expect(again).toMatchObject({ok: true, accepted: []});
		expect((await sentOf(flow.sam)).filter(id => !samSentBefore.includes(id))).toHaveLength(1);
	});

	test('one occurrence of a weekly event: an override in the attendee\'s copy, RECURRENCE-ID in the REPLY, only that occurrence changes for the organizer', async () => {
		await startFromNow(flow);
		const before = await sentIds(flow);
		const {tracked} = await invite(flow, {summary: 'Weekly status', start: '2026-12-01T10:00', end: '2026-12-01T10:30', timeZone: 'Europe/Berlin', repeat: {freq: 'weekly', count: 6}});
		const message = await invitationIn(flow.sam, await newSent(before));
		// 8 December 10:00 in Berlin.
		const result = await answerInvitation(message, {answer: 'DECLINED', occurrence: '2026-12-08T09:00:00Z'}, attendeeDeps(flow.sam));
		expect(result).toMatchObject({ok: true});
		const record = (await invitationsItem.getValue())[tracked.uid]!;
		const samCopy = partstats((await clients.get(flow.sam.email)!.readEvent(record.href)).ics);
		expect(samCopy.master![flow.sam.email]).toBe('NEEDS-ACTION');
		expect(samCopy['20261208T100000']![flow.sam.email]).toBe('DECLINED');

		expect((await tick(flow)).outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		const organizer = (await readBack(flow, tracked.href)).partstats;
		expect(organizer.master![flow.sam.email]).toBe('NEEDS-ACTION');
		expect(organizer['20261208T100000']![flow.sam.email]).toBe('DECLINED');
		expect(Object.keys(organizer).sort()).toEqual(['20261208T100000', 'master']);
	});
});

describe('strangers change nothing', () => {
	test('a REQUEST for the event that is not from its organizer is refused, nothing is written and nothing is sent', async () => {
		const before = await sentIds(flow);
		const {tracked} = await invite(flow, {summary: 'Board meeting'});
		const genuine = await invitationIn(flow.alex, await newSent(before));
		expect(await addInvitation(genuine, attendeeDeps(flow.alex))).toMatchObject({ok: true});
		const record = (await invitationsItem.getValue())[tracked.uid]!;
		const stored = await clients.get(flow.alex.email)!.readEvent(record.href);
		const alexSentBefore = await sentOf(flow.alex);

		const moved = genuine.calendar.replace(/SEQUENCE:0/, 'SEQUENCE:5').replace(/SUMMARY:[^\r]*/, 'SUMMARY:Board meeting (moved)\r\nLOCATION:https://evil.example/meet');
		const spoofed = {...genuine, calendar: moved, from: ['mallory@evil.example']};
		for (const attempt of [
			await answerInvitation(spoofed, {answer: 'ACCEPTED'}, attendeeDeps(flow.alex)),
			await addInvitation(spoofed, attendeeDeps(flow.alex)),
		]) {
			expect(attempt).toMatchObject({ok: false, error: {code: 'review'}});
			expect(attempt.ok ? '' : attempt.error.message).toMatch(/mallory@evil\.example.*not by the organizer/i);
		}

		const after = await clients.get(flow.alex.email)!.readEvent(record.href);
		expect(after.etag).toBe(stored.etag);
		expect(after.ics).toBe(stored.ics);
		expect(await sentOf(flow.alex)).toEqual(alexSentBefore);

		// A spoofed cancellation is refused too; the organizer's own one removes the event.
		const cancelBefore = await sentIds(flow);
		expect(await cancelInvite(tracked.uid, inviteDeps(flow))).toMatchObject({ok: true});
		const cancel = await invitationIn(flow.alex, await newSent(cancelBefore), 'CANCEL');
		const refused = await removeCancelled({...cancel, from: ['mallory@evil.example']}, attendeeDeps(flow.alex));
		expect(refused).toMatchObject({ok: false, error: {code: 'review'}});
		expect((await clients.get(flow.alex.email)!.readEvent(record.href)).etag).toBe(stored.etag);

		const removed = await removeCancelled(cancel, attendeeDeps(flow.alex));
		expect(removed).toMatchObject({ok: true});
		expect(await clients.get(flow.alex.email)!.findEventByUid(calendars.get(flow.alex.email)!, tracked.uid)).toBeUndefined();
		expect((await invitationsItem.getValue())[tracked.uid]).toBeUndefined();
	});
});
