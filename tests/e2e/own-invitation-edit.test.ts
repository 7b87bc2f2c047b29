/**
 * Issue 15: Edit from the invitation card of the user's own event, in Debian's Chromium with the built extension,
 * against the sandbox. The organizer invites Alex and Sam from Roundcube's compose screen; the relay put a copy of
 * the invitation in the organizer's Sent folder. Opening that copy in Roundcube shows the card as "Your invitation"
 * (no answer buttons) with Edit, which opens the popup's edit page prefilled from the stored event; a new time sent
 * from there reaches both attendees' INBOXes one SEQUENCE up, and the organizer's copy on Radicale has it.
 */
import type {Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {RunningSandbox, SandboxAccount} from '../sandbox/index.ts';
import {keepFailureEvidence, saveScreenshot} from './harness/artifacts.ts';
import {dateAhead, eventOnServer, uidOf, type ReadEvent} from './harness/calendar-event.ts';
import {fieldValues, fillMeeting, moveToNoon, openEditPage, openInviteComposer, requestsFor, sendInvite, sendUpdate} from './harness/invite-steps.ts';
import {shootCard, showMessage} from './harness/invitation-card.ts';
import {waitForMessage, type ArrivedMessage} from './harness/mailbox.ts';
import {openProfile, type Profile} from './harness/profile.ts';
import {discardComposeDraft} from './harness/roundcube.ts';
import {startWebmailServers, type WebmailServers} from './harness/servers.ts';
import type {TlsFront} from './harness/tls-front.ts';

const relayToken = 'e2e-own-card-token-0123456789abcdefghij';
const zone = 'Europe/Berlin';
const subject = 'Budget review';
const eventDate = dateAhead(10);

describe('Edit from the invitation card of the organizer\'s own invitation, in Chromium', () => {
	let servers: WebmailServers;
	let sandbox: RunningSandbox;
	let front: TlsFront;
	let organizer: SandboxAccount;
	let alex: SandboxAccount;
	let sam: SandboxAccount;
	let host: Profile;
	let webmail: Page | undefined;
	let editor: Page | undefined;
	/** The REQUEST as each attendee received it, and the event's UID. */
	let requests: Map<string, ArrivedMessage>;
	let uid: string;

	function keepEvidence(): void {
		keepFailureEvidence({pages: () => [webmail, editor], recorder: () => host?.browser.recorder, sandbox: () => sandbox, front: () => front});
	}

	async function organizerCopy(): Promise<ReadEvent & {ics: string}> {
		return eventOnServer(organizer, host.calendarUrl, uid);
	}

	beforeAll(async () => {
		servers = await startWebmailServers(relayToken);
		({sandbox, front, people: [organizer, alex, sam]} = servers);
		host = await openProfile(organizer, servers, {timezoneId: zone});
	});

	afterAll(async () => {
		await host?.close();
		await servers?.stop();
	});

	test('the organizer invites Alex and Sam from Roundcube\'s compose screen', async () => {
		keepEvidence();
		webmail = await host.openWebmail();
		const composer = await openInviteComposer(webmail, host.webmailUrl, {to: [alex.email, sam.email], subject});
		await fillMeeting(composer.dialog, {date: eventDate, start: '10:00', location: 'Room 2'});
		await sendInvite(composer);
		await discardComposeDraft(webmail);

		({requests, uid} = await requestsFor(sandbox.imap, [alex, sam], subject));
		expect(requests.get(alex.email)!.calendar).toMatch(/^SEQUENCE:0\r?$/m);
	});

	test('its copy in Sent shows "Your invitation" with Edit and no answer buttons; Edit opens the edit page prefilled; a new time reaches both INBOXes with SEQUENCE:1', async () => {
		keepEvidence();
		expect(uid, 'needs the invitation of the test before').toBeDefined();
		// The relay appended the very REQUEST to the organizer's Sent folder.
		const copy = await waitForMessage(sandbox.imap, organizer, message => message.calendarMethod === 'REQUEST' && message.calendar !== undefined && uidOf(message.calendar) === uid, 20_000, 'Sent');
		webmail ??= await host.openWebmail();
		const card = await showMessage(webmail, host.webmailUrl, copy.uid, 'Sent');
		await expect.poll(async () => card.getAttribute('data-pmi-card')).toBe('own');
		await card.getByRole('heading', {name: 'Your invitation'}).waitFor();
		await card.getByRole('heading', {name: subject}).waitFor();
		for (const answer of ['Accept', 'Maybe', 'Decline']) {
			expect(await card.getByRole('button', {name: answer, exact: true}).count(), answer).toBe(0);
		}

		await shootCard(webmail, 'own', card);

		const opened = await openEditPage(host.browser.context, card.getByRole('button', {name: `Edit ${subject}`}));
		editor = opened.editor;
		expect(new URL(editor.url()).searchParams.get('uid')).toBe(uid);
		// Prefilled from the stored event.
		expect(await fieldValues(opened.dialog, ['Title', 'Date', 'Start time', 'Location'])).toEqual({'Title': subject, 'Date': eventDate, 'Start time': '10:00', 'Location': 'Room 2'});
		await moveToNoon(opened.dialog, [alex.email, sam.email]);
		await saveScreenshot(editor, 'edit-composer-from-card');
		await sendUpdate(editor, opened.dialog);

		// Each attendee's INBOX: the update, one SEQUENCE above the invitation they had, at 12:00 in the event's zone.
		const compact = eventDate.replaceAll('-', '');
		for (const attendee of [alex, sam]) {
			const before = Number(/^SEQUENCE:(\d+)\r?$/m.exec(requests.get(attendee.email)!.calendar!)![1]);
			const update = await waitForMessage(sandbox.imap, attendee, message => message.calendarMethod === 'REQUEST' && message.uid !== requests.get(attendee.email)!.uid && message.calendar !== undefined && uidOf(message.calendar) === uid);
			expect(update.calendar).toMatch(new RegExp(`^SEQUENCE:${before + 1}\\r?$`, 'm'));
			expect(update.calendar).toMatch(new RegExp(`^DTSTART;TZID=${zone}:${compact}T120000\\r?$`, 'm'));
		}

		// The organizer's copy on Radicale has the new time and both attendees waiting for an answer.
		const stored = await organizerCopy();
		expect(stored.ics).toMatch(new RegExp(`^DTSTART;TZID=${zone}:${compact}T120000\\r?$`, 'm'));
		expect(stored.attendees.get(alex.email)?.partstat).toBe('NEEDS-ACTION');
		expect(stored.attendees.get(sam.email)?.partstat).toBe('NEEDS-ACTION');
		await editor.close();
		editor = undefined;
	});
});
