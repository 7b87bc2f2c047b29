/**
 * The whole chain as a person uses it, in headless Chromium with the built extension, against the sandbox
 * (Dovecot, the AUTH SMTP server, Radicale, Roundcube behind https://inbox.purelymail.com/) and the relay:
 * set up on the options page, invite two people from Roundcube's compose screen in another time zone, get an
 * answer written by Horde's iTIP library (php-horde-itip, not our code), see it in the popup and on the CalDAV
 * server, and see a spoofed decline held back under "Needs your eye".
 */
import type {Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {discoverCalendars} from '../../lib/caldav/index.ts';
import type {RunningSandbox, SandboxAccount} from '../sandbox/index.ts';
import {keepFailureEvidence, saveScreenshot} from './harness/artifacts.ts';
import {launchWithExtension, type ExtensionBrowser} from './harness/browser.ts';
import {dateAhead, eventOnServer as readStoredEvent, type ReadEvent} from './harness/calendar-event.ts';
import {hordeReply, withFrom} from './harness/horde.ts';
import {fieldValues, fillMeeting, moveToNoon, openEditPage, openInviteComposer, requestsFor, sendInvite, sendUpdate} from './harness/invite-steps.ts';
import {sendRaw, waitForMessage, type ArrivedMessage} from './harness/mailbox.ts';
import {fillOptions, findAndPickCalendar, openOptions, saveOptions} from './harness/options-page.ts';
import {checkNowUntil, openPopup} from './harness/popup.ts';
import {discardComposeDraft, logIn, setDarkMode} from './harness/roundcube.ts';
import {startWebmailServers, webmailHost, type WebmailServers} from './harness/servers.ts';
import type {TlsFront} from './harness/tls-front.ts';

const webmailUrl = `https://${webmailHost}/`;
const relayToken = 'e2e-relay-token-0123456789abcdefghij';
/** The browser's own zone; the invitation is set in another one. */
const browserZone = 'Europe/Berlin';
const eventZone = 'America/New_York';
const subject = 'Quarterly planning';

const eventDate = dateAhead(14);

describe('inviting from Roundcube and tracking the answers, in Chromium with the built extension', () => {
	let servers: WebmailServers;
	let sandbox: RunningSandbox;
	let front: TlsFront;
	let browser: ExtensionBrowser;
	let organizer: SandboxAccount;
	let alex: SandboxAccount;
	let sam: SandboxAccount;
	let calendarUrl: string;
	/** The REQUEST as Alex received it, and the event's UID. */
	let request: ArrivedMessage;
	let uid: string;
	let webmail: Page | undefined;
	let popup: Page | undefined;
	let options: Page | undefined;

	/** The organizer's copy of the event on Radicale, read the way any CalDAV client would. */
	async function eventOnServer(): Promise<ReadEvent & {ics: string}> {
		return readStoredEvent(organizer, calendarUrl, uid);
	}

	beforeAll(async () => {
		servers = await startWebmailServers(relayToken);
		({sandbox, front, people: [organizer, alex, sam]} = servers);
		browser = await launchWithExtension({hostMap: {[webmailHost]: front.port}, trustedKeys: [front.spkiHash], timezoneId: browserZone});
	});

	afterAll(async () => {
		await browser?.close();
		await servers?.stop();
	});

	test('the organizer sets the extension up on its options page', async () => {
		keepFailureEvidence({pages: () => [options], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		options = await openOptions(browser.context, browser.extensionId);
		await fillOptions(options, {
			email: organizer.email,
			name: organizer.name,
			password: organizer.password,
			caldavUrl: sandbox.caldav.url,
			imap: sandbox.imap,
			smtp: sandbox.smtp,
			relayUrl: servers.relay.url,
			relayToken,
		});
		calendarUrl = await findAndPickCalendar(options);
		await saveOptions(options);
		await saveScreenshot(options, 'options', {fullPage: true});

		// The calendar picked on the page is the organizer's calendar on Radicale.
		const discovery = await discoverCalendars({serverUrl: sandbox.caldav.url, username: organizer.email, password: organizer.password});
		expect(discovery.calendars.map(calendar => calendar.url)).toContain(calendarUrl);
		await options.close();
		options = undefined;
	});

	test('Add invite in Roundcube\'s compose sends the REQUEST to both attendees and saves the event to CalDAV', async () => {
		keepFailureEvidence({pages: () => [webmail], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		webmail = await browser.context.newPage();
		await webmail.setViewportSize({width: 1280, height: 860});
		await logIn(webmail, webmailUrl, organizer.email, organizer.password);
		const invite = await openInviteComposer(webmail, webmailUrl, {to: [alex.email, sam.email], subject});
		const {composer, dialog} = invite;
		// Prefilled from the compose form: the title from Subject (openInviteComposer waits for it), both attendees from To, the browser's zone.
		const chips = dialog.locator('.pmi-chip');
		await expect.poll(async () => chips.allTextContents()).toEqual([expect.stringContaining(alex.email), expect.stringContaining(sam.email)]);
		expect(await dialog.getByRole('combobox', {name: 'Time zone'}).inputValue()).toBe(browserZone.replaceAll('_', ' '));

		// The meeting is at 10:00 in New York, whatever this browser's zone is.
		await fillMeeting(dialog, {date: eventDate, start: '10:00'});
		const zone = dialog.getByRole('combobox', {name: 'Time zone'});
		await zone.click();
		await zone.fill('new york');
		await dialog.getByRole('option', {name: /New York/}).first().click();
		await expect.poll(async () => zone.inputValue()).toBe('America/New York');
		await dialog.getByLabel('Location', {exact: true}).fill('Room 4');
		await expect.poll(async () => dialog.getByLabel('End time', {exact: true}).inputValue()).toBe('11:00');

		await saveScreenshot(webmail, 'composer-light');
		await setDarkMode(webmail, true);
		await expect.poll(async () => composer.locator('.pmi').first().getAttribute('class')).toContain('pmi-theme-dark');
		await saveScreenshot(webmail, 'composer-dark');
		await setDarkMode(webmail, false);

		await sendInvite(invite);
		await saveScreenshot(webmail, 'composer-sent');

		// Each attendee's INBOX has the invitation (text/calendar; method=REQUEST), with one UID.
		const sent = await requestsFor(sandbox.imap, [alex, sam], subject);
		request = sent.requests.get(alex.email)!;
		uid = sent.uid;
		expect(request.from).toBe(organizer.email);
		expect(request.calendar).toMatch(/^METHOD:REQUEST\r?$/m);

		// Radicale has the event, without METHOD, at 10:00 New York time, with both attendees waiting.
		const stored = await eventOnServer();
		expect(stored.method).toBeUndefined();
		expect(stored.ics).not.toMatch(/^METHOD:/m);
		const compact = eventDate.replaceAll('-', '');
		expect(stored.ics).toMatch(new RegExp(`^DTSTART;TZID=${eventZone}:${compact}T100000\\r?$`, 'm'));
		expect(stored.ics).toMatch(new RegExp(`^DTEND;TZID=${eventZone}:${compact}T110000\\r?$`, 'm'));
		expect(stored.vevent.getFirstPropertyValue('summary')).toBe(subject);
		expect(stored.attendees.get(alex.email)?.partstat).toBe('NEEDS-ACTION');
		expect(stored.attendees.get(sam.email)?.partstat).toBe('NEEDS-ACTION');

		// The invitation went out on its own, so the e-mail draft goes: Roundcube asks about its unsaved changes first.
		await discardComposeDraft(webmail);
	});

	test('Alex accepts with Horde\'s iTIP library; after Check now the popup shows Alex as accepted and so does Radicale', async () => {
		keepFailureEvidence({pages: () => [popup, webmail], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		expect(request, 'needs the invitation of the test before').toBeDefined();
		// The popup is open before the answer comes, as the organizer would have it; its first check finds nothing.
		popup = await openPopup(browser);
		const reply = await hordeReply(request.calendar!, {email: alex.email, name: alex.name}, 'accept');
		expect(reply).toMatch(/^PRODID:-\/\/The Horde Project\/\//m);
		await sendRaw(sandbox.smtp, alex, [organizer.email], reply);
		await waitForMessage(sandbox.imap, organizer, message => message.calendarMethod === 'REPLY' && message.from === alex.email);

		const card = popup.locator('.pmi-event').filter({hasText: subject});
		await card.getByRole('button', {name: /Show attendees/}).click();
		const alexRow = card.locator('.pmi-attendee').filter({hasText: alex.email});
		await checkNowUntil(popup, async () => await alexRow.locator('.pmi-status').textContent() === 'Accepted');
		await expect(popup.locator('.pmi-box-error').count()).resolves.toBe(0);
		expect(await card.locator('.pmi-attendee').filter({hasText: sam.email}).locator('.pmi-status').textContent()).not.toBe('Accepted');
		expect(await card.locator('.pmi-event-counts').textContent()).toContain('1 accepted');
		await saveScreenshot(popup, 'popup');

		const stored = await eventOnServer();
		expect(stored.attendees.get(alex.email)?.partstat).toBe('ACCEPTED');
		expect(stored.attendees.get(sam.email)?.partstat).toBe('NEEDS-ACTION');
	});

	test('a decline for Sam sent from Alex\'s address waits under "Needs your eye" and changes nothing', async () => {
		keepFailureEvidence({pages: () => [popup, webmail], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		expect(request, 'needs the invitation of the tests before').toBeDefined();
		const before = await eventOnServer();
		const decline = withFrom(await hordeReply(request.calendar!, {email: sam.email, name: sam.name}, 'decline'), `${alex.name} <${alex.email}>`);
		await sendRaw(sandbox.smtp, alex, [organizer.email], decline);
		await waitForMessage(sandbox.imap, organizer, message => message.calendarMethod === 'REPLY' && message.subject.startsWith('Declined'));

		popup ??= await openPopup(browser);
		const review = popup.locator('section.pmi-section-review');
		await checkNowUntil(popup, async () => review.isVisible());
		const item = review.locator('.pmi-review').filter({hasText: alex.email});
		await expect(item.count()).resolves.toBe(1);
		expect(await item.locator('.pmi-review-reason').textContent()).toContain(`only ${sam.email} may answer for themselves`);
		expect(await item.locator('.pmi-review-asks').textContent()).toMatch(/declined/i);
		await saveScreenshot(popup, 'popup-review', {fullPage: true});

		// Nothing changed on the server: Sam still has not answered, Alex still accepted, same ETag-worthy content.
		const after = await eventOnServer();
		expect(after.attendees.get(sam.email)?.partstat).toBe('NEEDS-ACTION');
		expect(after.attendees.get(alex.email)?.partstat).toBe('ACCEPTED');
		expect(after.ics).toBe(before.ics);
		// Nor in the popup.
		const card = popup.locator('.pmi-event').filter({hasText: subject});
		expect(await card.locator('.pmi-attendee').filter({hasText: sam.email}).locator('.pmi-status').textContent()).not.toBe('Declined');
	});

	test('Alex proposes a new time (COUNTER, as Google sends it): the popup shows it beside the current time; Decline proposal tells Alex', async () => {
		keepFailureEvidence({pages: () => [popup], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		expect(request, 'needs the invitation of the tests before').toBeDefined();
		const proposedStart = `${eventDate.replaceAll('-', '')}T190000Z`;
		const counter = [
			'BEGIN:VCALENDAR', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN', 'VERSION:2.0', 'METHOD:COUNTER', 'BEGIN:VEVENT',
			`UID:${uid}`, `DTSTAMP:${new Date().toISOString().replaceAll(/[-:]|\.\d+/g, '')}`, 'SEQUENCE:0',
			`ORGANIZER:mailto:${organizer.email}`, `ATTENDEE;CN=${alex.name};PARTSTAT=ACCEPTED:mailto:${alex.email}`,
			`DTSTART:${proposedStart}`, `DTEND:${proposedStart.replace('T19', 'T20')}`, 'COMMENT:The afternoon works better for me',
			'END:VEVENT', 'END:VCALENDAR', '',
		].join('\r\n');
		await sendRaw(sandbox.smtp, alex, [organizer.email], [
			`From: ${alex.name} <${alex.email}>`, `To: ${organizer.email}`, `Subject: New time proposed: ${subject}`, 'MIME-Version: 1.0',
			`Message-ID: <counter-${Date.now()}@sandbox.test>`, 'Content-Type: text/calendar; charset=UTF-8; method=COUNTER', '', counter,
		].join('\r\n'));
		await waitForMessage(sandbox.imap, organizer, message => message.calendarMethod === 'COUNTER');

		popup ??= await openPopup(browser);
		const item = popup.locator('.pmi-review-counter');
		await checkNowUntil(popup, async () => await item.count() === 1);
		// 19:00–20:00 UTC proposed, in the browser's zone; the current time struck through beside it.
		const clock = /\d{1,2}:\d{2}(\s?[AP]M)? – \d{1,2}:\d{2}/;
		expect(await item.locator('.pmi-proposal-new').textContent()).toMatch(clock);
		expect(await item.locator('.pmi-proposal-old').textContent()).toMatch(clock);
		expect(await item.locator('.pmi-proposal-new').textContent()).not.toBe(await item.locator('.pmi-proposal-old').textContent());
		expect(await item.textContent()).toContain('The afternoon works better for me');
		await saveScreenshot(popup, 'popup-counter', {fullPage: true});

		const before = await eventOnServer();
		await item.getByRole('button', {name: /^Decline proposal/}).click();
		const declined = await waitForMessage(sandbox.imap, alex, message => message.calendarMethod === 'DECLINECOUNTER');
		expect(declined.calendar).toContain(`UID:${uid}`);
		// The proposal is gone from "Needs your eye" without a reopen, and the event is as it was.
		await expect.poll(async () => item.count(), {timeout: 15_000}).toBe(0);
		expect((await eventOnServer()).ics).toBe(before.ics);
	});

	test('Edit from the popup: a new time reaches both INBOXes (SEQUENCE:1), and the open popup shows it with the answers reset', async () => {
		const opened: {editor?: Page} = {};
		keepFailureEvidence({pages: () => [opened.editor, popup], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		expect(request, 'needs the invitation of the tests before').toBeDefined();
		popup ??= await openPopup(browser);
		const card = popup.locator('.pmi-event').filter({hasText: subject});
		const toggle = card.getByRole('button', {name: /(Show|Hide) attendees/});
		if (await toggle.getAttribute('aria-expanded') !== 'true') {
			await toggle.click();
		}

		const {editor, dialog} = await openEditPage(browser.context, card.getByRole('button', {name: `Edit ${subject}`}));
		opened.editor = editor;
		// Prefilled from the event as sent, in its own zone.
		expect(await fieldValues(dialog, ['Title', 'Start time', 'Location'])).toEqual({'Title': subject, 'Start time': '10:00', 'Location': 'Room 4'});
		await moveToNoon(dialog, [alex.email, sam.email]);
		await saveScreenshot(editor, 'edit-composer');
		await sendUpdate(editor, dialog);

		// Both INBOXes get the updated REQUEST, one SEQUENCE up, at 12:00 New York time.
		const compact = eventDate.replaceAll('-', '');
		const isUpdate = (message: ArrivedMessage): boolean => message.calendarMethod === 'REQUEST' && message.subject.startsWith('Updated invitation');
		for (const attendee of [alex, sam]) {
			const update = await waitForMessage(sandbox.imap, attendee, isUpdate);
			expect(update.calendar).toMatch(/^SEQUENCE:1\r?$/m);
			expect(update.calendar).toMatch(new RegExp(`^DTSTART;TZID=${eventZone}:${compact}T120000\\r?$`, 'm'));
		}

		const stored = await eventOnServer();
		expect(stored.attendees.get(alex.email)?.partstat).toBe('NEEDS-ACTION');

		// The popup, still open, follows storage: the new time in the event's own zone, and Alex waiting again.
		await expect.poll(async () => card.locator('.pmi-event-note').textContent(), {timeout: 15_000}).toMatch(/12:00(\s?PM)? – (13:00|1:00\s?PM)/);
		await expect.poll(async () => card.locator('.pmi-attendee').filter({hasText: alex.email}).locator('.pmi-status').textContent()).toBe('Waiting');
		expect(await card.locator('.pmi-event-counts').textContent()).not.toContain('accepted');
		await saveScreenshot(popup, 'popup-after-edit', {fullPage: true});
		await editor.close();
	});
});
