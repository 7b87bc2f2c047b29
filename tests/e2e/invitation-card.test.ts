/**
 * The attendee's side in Roundcube (issue 13), in headless Chromium with the built extension against the sandbox:
 * Alex has the extension set up for Alex's own account. Real clients' invitations (Google's quoted-printable one,
 * Outlook/Teams' base64 one with a Windows zone; shared fixtures rewritten to the sandbox's accounts at run time)
 * delivered into Alex's INBOX show the card, in the full view and in the preview pane; Accept puts the event on
 * Alex's Radicale calendar with PARTSTAT=ACCEPTED and a REPLY reaches the organizer. A spoofed update and a spoofed
 * cancellation for the accepted event show the warning, offer no apply, and change nothing. The organizer's own
 * update and cancellation show their cards; "Remove from my calendar" removes the event. Screenshots of each card,
 * light and dark.
 */
import type {Locator, Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createCaldavClient} from '../../lib/caldav/index.ts';
import type {RunningSandbox, SandboxAccount} from '../sandbox/index.ts';
import {keepFailureEvidence} from './harness/artifacts.ts';
import type {ExtensionBrowser} from './harness/browser.ts';
import {readEvent, uidOf} from './harness/calendar-event.ts';
import {fixtureMail, rewriteFixture} from './harness/fixture-mail.ts';
import {inboxMessages, sendRaw, waitForMessage, type ArrivedMessage} from './harness/mailbox.ts';
import {invitationCard, shootCard, showMessage as showInboxMessage} from './harness/invitation-card.ts';
import {openProfile, type Profile} from './harness/profile.ts';
import {startWebmailServers, webmailHost, type WebmailServers} from './harness/servers.ts';
import type {TlsFront} from './harness/tls-front.ts';

const webmailUrl = `https://${webmailHost}/`;
const relayToken = 'e2e-relay-token-0123456789abcdefghij';

describe('the invitation card in Roundcube, in Chromium with the built extension', () => {
	let servers: WebmailServers;
	let sandbox: RunningSandbox;
	let front: TlsFront;
	let profile: Profile;
	let browser: ExtensionBrowser;
	let organizer: SandboxAccount;
	let alex: SandboxAccount;
	let sam: SandboxAccount;
	let calendarUrl: string;
	let webmail: Page | undefined;
	let counter = 0;

	/** Delivers a rewritten fixture into Alex's INBOX as `sender` (SMTP AUTH), and waits until it is there. */
	async function deliver(name: string, sender: SandboxAccount, headers: {from: string; subject: string}, replacements: Record<string, string>): Promise<ArrivedMessage> {
		counter++;
		const raw = rewriteFixture(await fixtureMail(name), {from: headers.from, to: `${alex.name} <${alex.email}>`, subject: headers.subject, messageId: `<card-${counter}-${Date.now()}@sandbox.test>`}, replacements);
		await sendRaw(sandbox.smtp, sender, [alex.email], raw);
		return waitForMessage(sandbox.imap, alex, message => message.subject === headers.subject);
	}

	async function showMessage(message: ArrivedMessage): Promise<Locator> {
		return showInboxMessage(webmail!, webmailUrl, message.uid);
	}

	async function shoot(name: string, shown: Locator): Promise<void> {
		await shootCard(webmail!, name, shown);
	}

	async function alexCopy(uid: string): Promise<{ics: string; etag: string} | undefined> {
		return createCaldavClient({username: alex.email, password: alex.password}).findEventByUid(calendarUrl, uid);
	}

	beforeAll(async () => {
		servers = await startWebmailServers(relayToken);
		({sandbox, front, people: [organizer, alex, sam]} = servers);
		profile = await openProfile(alex, servers, {timezoneId: 'Europe/Berlin'});
		browser = profile.browser;
		calendarUrl = profile.calendarUrl;
		webmail = await profile.openWebmail();
	});

	afterAll(async () => {
		await profile?.close();
		await servers?.stop();
	});

	/** The Google invitation's UID, once Alex accepted it. */
	let acceptedUid: string;
	let acceptedRequest: ArrivedMessage;

	test('a Google invitation shows the card; Accept puts it on Alex\'s calendar (ACCEPTED) and a REPLY reaches the organizer', async () => {
		keepFailureEvidence({pages: () => [webmail], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		acceptedRequest = await deliver('google-REQUEST-meet-invite-qp.eml', organizer, {from: `${organizer.name} <${organizer.email}>`, subject: 'Invitation: Meet me'}, {
			'example@gmail.com': organizer.email,
			'homer@example.com': alex.email,
		});
		acceptedUid = uidOf(acceptedRequest.calendar!);
		const shown = await showMessage(acceptedRequest);
		await expect.poll(async () => shown.getAttribute('data-pmi-card')).toBe('invitation');
		await expect(shown.getByRole('heading', {name: 'Meeeeet me HTML'}).isVisible()).resolves.toBe(true);
		expect(await shown.textContent()).toContain(`Organizer: ${organizer.email}`);
		// The meeting link in the description is text; the card has no place link (the invitation has no LOCATION).
		expect(await shown.locator('a').count()).toBe(0);
		await shoot('invitation', shown);

		await shown.getByRole('button', {name: 'Accept'}).click();
		await shown.locator('.pmi-step-done', {hasText: `sent to ${organizer.email}`}).waitFor({timeout: 60_000});
		await shown.getByText(/You answered Accept; it was sent to/).waitFor();
		await expect(shown.getByRole('button', {name: 'Accept'}).getAttribute('aria-pressed')).resolves.toBe('true');

		const copy = await alexCopy(acceptedUid);
		expect(copy).toBeDefined();
		const stored = readEvent(copy!.ics);
		expect(stored.method).toBeUndefined();
		expect(stored.attendees.get(alex.email)?.partstat).toBe('ACCEPTED');

		const reply = await waitForMessage(sandbox.imap, organizer, message => message.calendarMethod === 'REPLY' && message.calendar!.includes(acceptedUid));
		expect(reply.subject).toBe('Accepted: Meeeeet me HTML');
		expect(readEvent(reply.calendar!).attendees.get(alex.email)?.partstat).toBe('ACCEPTED');
	});

	test('an Outlook/Teams invitation (base64, Windows zone) shows the card in the preview pane; Accept writes ACCEPTED and replies', async () => {
		keepFailureEvidence({pages: () => [webmail], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		const request = await deliver('outlook-REQUEST-teams-meeting.eml', organizer, {from: `${organizer.name} <${organizer.email}>`, subject: 'Teams meeting'}, {
			'marge@example.com': organizer.email,
			'homer@example.com': alex.email,
			'bart@example.com': sam.email,
		});
		const uid = uidOf(request.calendar ?? (await inboxMessages(sandbox.imap, alex)).find(message => message.uid === request.uid)!.calendar!);
		await webmail!.goto(new URL('?_task=mail&_mbox=INBOX', webmailUrl).href);
		await webmail!.locator('#messagelist tr', {hasText: 'Teams meeting'}).click();
		const preview = webmail!.frameLocator('#messagecontframe');
		const shown = invitationCard(preview);
		await shown.waitFor({timeout: 60_000});
		await expect.poll(async () => shown.getAttribute('data-pmi-card')).toBe('invitation');
		// 19:00 in Helsinki ("FLE Standard Time") is 18:00 in Berlin, the browser's zone; the organizer's clock is shown too.
		expect(await shown.textContent()).toMatch(/18:00|6:00\s?PM/);
		expect(await shown.textContent()).toMatch(/19:00|7:00\s?PM/);
		await shown.getByRole('button', {name: 'Accept'}).click();
		await shown.locator('.pmi-step-done', {hasText: `sent to ${organizer.email}`}).waitFor({timeout: 60_000});
		expect(readEvent((await alexCopy(uid))!.ics).attendees.get(alex.email)?.partstat).toBe('ACCEPTED');
		// Outlook's UIDs are long: the REPLY folds them over lines.
		await waitForMessage(sandbox.imap, organizer, message => message.calendarMethod === 'REPLY' && message.calendar!.replaceAll(/\r?\n[ \t]/g, '').includes(`UID:${uid}`));
	});

	test('a spoofed update and a spoofed cancellation of the accepted event show the warning, offer no apply and change nothing', async () => {
		keepFailureEvidence({pages: () => [webmail], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		const before = await alexCopy(acceptedUid);
		const moved = await deliver('google-REQUEST-meet-invite-qp.eml', sam, {from: `${sam.name} <${sam.email}>`, subject: 'Updated invitation: Meet me'}, {
			'example@gmail.com': organizer.email,
			'homer@example.com': alex.email,
			'SEQUENCE:0': 'SEQUENCE:3',
			'LOCATION:': 'LOCATION:https://evil.example/meet',
		});
		const warning = await showMessage(moved);
		await expect.poll(async () => warning.getAttribute('data-pmi-card')).toBe('warning');
		expect(await warning.textContent()).toMatch(new RegExp(`Sent by ${sam.email}, not by the organizer ${organizer.email}`, 'i'));
		expect(await warning.getByRole('button').count()).toBe(0);
		// The stranger's link is shown as text, never as a link to follow.
		expect(await warning.locator('a').count()).toBe(0);
		await shoot('warning', warning);

		const cancel = await deliver('google-REQUEST-meet-invite-qp.eml', sam, {from: `${sam.name} <${sam.email}>`, subject: 'Cancelled: Meet me'}, {
			'example@gmail.com': organizer.email,
			'homer@example.com': alex.email,
			'METHOD:REQUEST': 'METHOD:CANCEL',
			'SEQUENCE:0': 'SEQUENCE:3',
			'STATUS:CONFIRMED': 'STATUS:CANCELLED',
		});
		const cancelWarning = await showMessage(cancel);
		await expect.poll(async () => cancelWarning.getAttribute('data-pmi-card')).toBe('warning');
		expect(await cancelWarning.getByRole('button').count()).toBe(0);

		const after = await alexCopy(acceptedUid);
		expect(after?.etag).toBe(before?.etag);
		expect(after?.ics).toBe(before?.ics);
	});

	test('the organizer\'s own update and cancellation: what changed, then "Cancelled by the organizer" and Remove from my calendar', async () => {
		keepFailureEvidence({pages: () => [webmail], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		const update = await deliver('google-REQUEST-meet-invite-qp.eml', organizer, {from: `${organizer.name} <${organizer.email}>`, subject: 'Updated invitation: Meet me (room)'}, {
			'example@gmail.com': organizer.email,
			'homer@example.com': alex.email,
			'SEQUENCE:0': 'SEQUENCE:1',
			'DTSTAMP:20210322T091220Z': 'DTSTAMP:20210323T091220Z',
			'LOCATION:': 'LOCATION:Room 4\\, https://meet.example.org/plan',
		});
		const updated = await showMessage(update);
		await expect.poll(async () => updated.getAttribute('data-pmi-card')).toBe('update');
		expect(await updated.textContent()).toContain('Changed: the place.');
		await expect(updated.getByRole('link', {name: 'Room 4, https://meet.example.org/plan'}).getAttribute('href')).resolves.toBe('https://meet.example.org/plan');
		await shoot('update', updated);

		const cancel = await deliver('google-REQUEST-meet-invite-qp.eml', organizer, {from: `${organizer.name} <${organizer.email}>`, subject: 'Cancelled event: Meet me'}, {
			'example@gmail.com': organizer.email,
			'homer@example.com': alex.email,
			'METHOD:REQUEST': 'METHOD:CANCEL',
			'SEQUENCE:0': 'SEQUENCE:2',
			'STATUS:CONFIRMED': 'STATUS:CANCELLED',
		});
		const cancelled = await showMessage(cancel);
		await expect.poll(async () => cancelled.getAttribute('data-pmi-card')).toBe('cancellation');
		await shoot('cancellation', cancelled);
		await cancelled.getByRole('button', {name: 'Remove from my calendar'}).click();
		await cancelled.locator('.pmi-step-done', {hasText: 'Removed from your calendar'}).waitFor({timeout: 60_000});
		expect(await alexCopy(acceptedUid)).toBeUndefined();
	});
});
