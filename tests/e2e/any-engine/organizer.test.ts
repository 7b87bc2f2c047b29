/**
 * The organizer's journey, written once and run in each browser: the `e2e` vitest project runs it in Debian's
 * Chromium, `e2e-firefox` in Debian's Firefox ESR (vitest.config.ts; what differs between them is named in
 * harness/engine/differences.ts). One sandbox and one browser for the whole file: the content script reaches the
 * background from Roundcube's compose page, the options page is set up and its "Test connection" passes, Add invite
 * sends the REQUEST to both attendees and stores the event on Radicale, and an answer written by Horde's iTIP
 * library shows in the popup and on Radicale.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startRelay, type RunningRelay} from '../../../relay/server.ts';
import {startSandbox, type RunningSandbox, type SandboxAccount} from '../../sandbox/index.ts';
import {dateAhead, eventOnServer, uidOf} from '../harness/calendar-event.ts';
import {engineScreenshotsOnFailure, saveEngineScreenshot} from '../harness/engine/artifacts.ts';
import {engines} from '../harness/engine/differences.ts';
import type {E2eBrowser, E2ePage} from '../harness/engine/driver.ts';
import {engineUnderTest, launchEngine} from '../harness/engine/launch.ts';
import {fillOptions, findAndPickCalendar, openOptions, saveOptions, testConnection} from '../harness/engine/options-steps.ts';
import {checkNowUntil, eventCard, openPopup, showAttendees} from '../harness/engine/popup-steps.ts';
import {composer, logIn, openCompose, typeRecipients} from '../harness/engine/webmail-steps.ts';
import {hordeReply} from '../harness/horde.ts';
import {waitForMessage, sendRaw, type ArrivedMessage} from '../harness/mailbox.ts';
import {startTlsFront, type TlsFront} from '../harness/tls-front.ts';

const engine = engineUnderTest();
const differences = engines[engine];
const webmailHost = 'inbox.purelymail.com';
const webmailUrl = `https://${webmailHost}/`;
const relayToken = 'e2e-any-engine-token-0123456789abcdef';
/** The browser's own zone; the invitation is set in another one. */
const browserZone = 'Europe/Berlin';
const subject = 'Roadmap review';
const eventDate = dateAhead(15);

describe(`the organizer's journey in ${differences.label} with the built extension`, () => {
	let sandbox: RunningSandbox;
	let relay: RunningRelay;
	let relayDir: string;
	let front: TlsFront;
	let browser: E2eBrowser;
	let organizer: SandboxAccount;
	let alex: SandboxAccount;
	let sam: SandboxAccount;
	let calendarUrl: string;
	let request: ArrivedMessage | undefined;
	let webmail: E2ePage | undefined;
	let options: E2ePage | undefined;
	let popup: E2ePage | undefined;

	beforeAll(async () => {
		sandbox = await startSandbox();
		[organizer, alex, sam] = sandbox.accounts as [SandboxAccount, SandboxAccount, SandboxAccount];
		relayDir = await mkdtemp(path.join(os.tmpdir(), 'pmi-e2e-relay-'));
		relay = await startRelay({port: 0, token: relayToken, configDir: relayDir, log: () => undefined});
		front = await startTlsFront(new URL(sandbox.webmail!.url), webmailHost);
		browser = await launchEngine(engine, {hostMap: {[webmailHost]: front.port}, trustedKeys: [front.spkiHash], timezoneId: browserZone});
	});

	afterAll(async () => {
		await browser?.close();
		await front?.close();
		await relay?.close();
		await sandbox?.stop();
		if (relayDir) {
			await rm(relayDir, {recursive: true, force: true});
		}
	});

	test(`the extension runs its background (${differences.background}, manifest V${engine === 'firefox' ? 2 : 3})`, async () => {
		const manifest = await browser.manifestSeenByBackground();
		expect(manifest.name).toBe('Purelymail Invites');
		expect(manifest.manifest_version).toBe(engine === 'firefox' ? 2 : 3);
	});

	test('the content script runs in Roundcube\'s compose page after a real login and reaches the background', async () => {
		engineScreenshotsOnFailure(engine, () => [webmail]);
		webmail = await browser.newPage();
		await webmail.setViewport(1280, 860);
		await logIn(webmail, webmailUrl, organizer.email, organizer.password);
		await openCompose(webmail, webmailUrl);
		await webmail.waitFor('meta[name="purelymail-invites"][data-background="ok"]');
		expect(await webmail.evaluate(() => document.querySelector<HTMLMetaElement>('meta[name="purelymail-invites"]')?.content, undefined)).toBe('compose');
		expect(webmail.url()).toMatch(/^https:\/\/inbox\.purelymail\.com\/\?_task=mail&_action=compose/);
	});

	test('the organizer sets the extension up on its options page, and "Test connection" passes', async () => {
		engineScreenshotsOnFailure(engine, () => [options]);
		options = await openOptions(browser);
		await fillOptions(options, {
			email: organizer.email,
			name: organizer.name,
			password: organizer.password,
			caldavUrl: sandbox.caldav.url,
			imap: sandbox.imap,
			smtp: sandbox.smtp,
			relayUrl: relay.url,
			relayToken,
		});
		calendarUrl = await findAndPickCalendar(options);
		expect(calendarUrl).toContain(sandbox.caldav.url);

		const report = await testConnection(options);
		expect(Object.keys(report)).toEqual(['CalDAV (calendar)', 'Relay', 'IMAP (reading replies)', 'SMTP (sending invitations)']);
		for (const [label, row] of Object.entries(report)) {
			expect(row, label).toContain('works');
			expect(row, label).not.toContain('failed');
		}

		await saveOptions(options);
		await saveEngineScreenshot(engine, options, 'options', {fullPage: true});
		await options.close();
		options = undefined;
	});

	test('Add invite in Roundcube\'s compose sends the REQUEST to both attendees and saves the event to CalDAV', async () => {
		engineScreenshotsOnFailure(engine, () => [webmail]);
		expect(calendarUrl, 'needs the set-up of the test before').toBeDefined();
		webmail ??= await browser.newPage();
		await webmail.setViewport(1280, 860);
		// A fresh compose screen: the set-up happened after the last one opened.
		await openCompose(webmail, webmailUrl);
		await typeRecipients(webmail, [alex.email, sam.email]);
		await webmail.fill('#compose-subject', subject);

		await webmail.click('a[aria-label="Add invite"]');
		const dialog = `${composer} [role="dialog"]`;
		await webmail.waitFor(`${dialog} [aria-label="Title"]`, {visible: true});
		// Prefilled from the compose form: the title from Subject, both attendees from To, the browser's zone.
		await expect.poll(async () => webmail!.value(`${dialog} [aria-label="Title"]`)).toBe(subject);
		const chips = async (): Promise<string[]> => webmail!.evaluate(() => [...document.querySelector('purelymail-invites-composer')?.shadowRoot?.querySelectorAll('.pmi-chip') ?? []].map(chip => chip.textContent ?? ''), undefined);
		await expect.poll(chips).toEqual([expect.stringContaining(alex.email), expect.stringContaining(sam.email)]);
		const zone = `${dialog} [role="combobox"][aria-label="Time zone"]`;
		expect(await webmail.value(zone)).toBe('Europe/Berlin');

		// 10:00 in New York, whatever this browser's zone is.
		await webmail.fill(`${dialog} [aria-label="Date"]`, eventDate);
		await webmail.fill(`${dialog} [aria-label="Start time"]`, '10:00');
		await webmail.click(`${dialog} [aria-label="Duration 1 h"]`);
		await webmail.click(zone);
		await webmail.fill(zone, 'new york');
		await webmail.click(`${dialog} [role="option"]`);
		await expect.poll(async () => webmail!.value(zone)).toBe('America/New York');
		await webmail.fill(`${dialog} [aria-label="Location"]`, 'Room 7');
		await expect.poll(async () => webmail!.value(`${dialog} [aria-label="End time"]`)).toBe('11:00');
		await saveEngineScreenshot(engine, webmail, 'composer');

		await webmail.click(`${dialog} [aria-label="Send invite"]`);
		await webmail.waitUntil(() => document.querySelector('purelymail-invites-composer')?.shadowRoot?.querySelector('.pmi-dialog-title')?.textContent === 'Invitation sent', undefined, {timeout: 60_000});
		await saveEngineScreenshot(engine, webmail, 'composer-sent');

		// Each attendee's INBOX has the invitation: text/calendar; method=REQUEST.
		const isRequest = (message: ArrivedMessage): boolean => message.calendarMethod === 'REQUEST' && message.subject.includes(subject);
		request = await waitForMessage(sandbox.imap, alex, isRequest);
		const samRequest = await waitForMessage(sandbox.imap, sam, isRequest);
		expect(request.from).toBe(organizer.email);
		const uid = uidOf(request.calendar!);
		expect(uidOf(samRequest.calendar!)).toBe(uid);

		// Radicale has the event, without METHOD, at 10:00 New York time, with both attendees waiting.
		const stored = await eventOnServer(organizer, calendarUrl, uid);
		expect(stored.method).toBeUndefined();
		const compact = eventDate.replaceAll('-', '');
		expect(stored.ics).toMatch(new RegExp(`^DTSTART;TZID=America/New_York:${compact}T100000\\r?$`, 'm'));
		expect(stored.vevent.getFirstPropertyValue('summary')).toBe(subject);
		expect(stored.attendees.get(alex.email)?.partstat).toBe('NEEDS-ACTION');
		expect(stored.attendees.get(sam.email)?.partstat).toBe('NEEDS-ACTION');
	});

	test('Alex accepts with Horde\'s iTIP library: after Check now the popup shows it, and so does Radicale', async () => {
		engineScreenshotsOnFailure(engine, () => [popup]);
		expect(request, 'needs the invitation of the test before').toBeDefined();
		popup = await openPopup(browser);
		const reply = await hordeReply(request!.calendar!, {email: alex.email, name: alex.name}, 'accept');
		await sendRaw(sandbox.smtp, alex, [organizer.email], reply);
		await waitForMessage(sandbox.imap, organizer, message => message.calendarMethod === 'REPLY' && message.from === alex.email);

		await showAttendees(popup, subject);
		await checkNowUntil(popup, async () => (await eventCard(popup!, subject))?.answers[alex.email] === 'Accepted');
		const card = await eventCard(popup, subject);
		expect(card?.answers[sam.email]).not.toBe('Accepted');
		expect(card?.counts).toContain('1 accepted');
		expect(await popup.count('.pmi-box-error')).toBe(0);
		await saveEngineScreenshot(engine, popup, 'popup');

		const stored = await eventOnServer(organizer, calendarUrl, uidOf(request!.calendar!));
		expect(stored.attendees.get(alex.email)?.partstat).toBe('ACCEPTED');
		expect(stored.attendees.get(sam.email)?.partstat).toBe('NEEDS-ACTION');
	});
});
