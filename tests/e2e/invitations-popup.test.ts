/**
 * Issue 14 in Chromium with the built extension, against the sandbox (Dovecot, the AUTH SMTP server, Radicale)
 * and the relay: Alex has the extension set up for Alex's account, with filing turned on in the options page. The
 * organizer (one of Alex's contacts, in Alex's Radicale address book) invites Alex with `pmi invite`, the product's
 * own invitation, and keeps the event on the organizer's Radicale calendar. Alex's reply loop adds the invitation
 * to Alex's calendar by itself, files the mail, and the popup lists it under "Invitations for you", with the
 * badge; Accept there writes Alex's answer and mails the REPLY, which the organizer's side (the always-on agent,
 * `purelymail-invites-relay agent --once`) records on the organizer's calendar: Radicale shows Alex ACCEPTED.
 */
import {execFile} from 'node:child_process';
import {access, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {ImapFlow} from 'imapflow';
import type {Locator, Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createCaldavClient, discoverCalendars} from '../../lib/caldav/index.ts';
import {startRelay, type RunningRelay} from '../../relay/server.ts';
import {agentConfig, writeConfig} from '../helpers/agent.ts';
import {repoRoot} from '../sandbox/paths.ts';
import {startSandbox, type RunningSandbox, type SandboxAccount} from '../sandbox/index.ts';
import {keepFailureEvidence, saveScreenshot} from './harness/artifacts.ts';
import {extensionPath, launchWithExtension, type ExtensionBrowser} from './harness/browser.ts';
import {dateAhead, eventOnServer, uidOf} from './harness/calendar-event.ts';
import {inboxMessages, sendRaw, waitForMessage} from './harness/mailbox.ts';
import {fillOptions, findAndPickCalendar, openOptions, saveOptions} from './harness/options-page.ts';
import {checkNowUntil, openPopup} from './harness/popup.ts';

const run = promisify(execFile);
const relayToken = 'e2e-relay-token-0123456789abcdefghij';
const browserZone = 'Europe/Berlin';
const eventZone = 'America/New_York';
const summary = 'Budget review with the board';
const filingFolder = 'Invitations';
const eventDate = dateAhead(10);

type ChromeGlobal = {chrome: {action: {getBadgeText(details: Record<string, never>): Promise<string>}}};

describe('"Invitations for you" in the popup, in Chromium with the built extension', () => {
	let sandbox: RunningSandbox;
	let relay: RunningRelay;
	let dir: string;
	let browser: ExtensionBrowser;
	let organizer: SandboxAccount;
	let alex: SandboxAccount;
	let organizerCalendar: string;
	let alexCalendar: string;
	let uid: string;
	let requestId: string;
	let popup: Page | undefined;

	async function badge(): Promise<string> {
		return browser.serviceWorker.evaluate(async () => (globalThis as unknown as ChromeGlobal).chrome.action.getBadgeText({}));
	}

	/** The Message-IDs in one of Alex's folders, read straight from Dovecot. */
	async function messageIdsIn(folder: string): Promise<string[]> {
		const client = new ImapFlow({host: sandbox.imap.host, port: sandbox.imap.port, secure: false, doSTARTTLS: false, auth: {user: alex.email, pass: alex.password}, logger: false});
		client.on('error', () => undefined);
		await client.connect();
		try {
			const status = await client.status(folder, {messages: true}).catch(() => undefined);
			if (!status || !status.messages) {
				return [];
			}

			const lock = await client.getMailboxLock(folder, {readOnly: true});
			try {
				const ids: string[] = [];
				for await (const message of client.fetch('1:*', {envelope: true})) {
					ids.push(message.envelope?.messageId ?? '');
				}

				return ids;
			} finally {
				lock.release();
			}
		} finally {
			await client.logout();
		}
	}

	/** The invitation's row under "Invitations for you". */
	function row(page: Page): Locator {
		return page.locator('section.pmi-section-invitations li.pmi-invitation').filter({hasText: summary});
	}

	beforeAll(async () => {
		await access(path.join(extensionPath, 'manifest.json')).catch(() => {
			throw new Error(`No extension build at ${extensionPath}: run npm run build:e2e first (npm test and npm run test:e2e do).`);
		});
		sandbox = await startSandbox({services: ['imap', 'smtp', 'caldav']});
		[organizer, alex] = sandbox.accounts as [SandboxAccount, SandboxAccount];
		dir = await mkdtemp(path.join(os.tmpdir(), 'pmi-e2e-invitations-'));
		relay = await startRelay({port: 0, token: relayToken, configDir: dir, log: () => undefined});
		// The organizer is one of Alex's contacts: the default policy adds their invitations by themselves.
		await sandbox.caldavControl!.addContact(alex, {name: organizer.name, email: organizer.email});
		browser = await launchWithExtension({timezoneId: browserZone});
		const options = await openOptions(browser.context, browser.extensionId);
		await fillOptions(options, {
			email: alex.email, name: alex.name, password: alex.password, caldavUrl: sandbox.caldav.url,
			imap: sandbox.imap, smtp: sandbox.smtp, relayUrl: relay.url, relayToken,
		});
		alexCalendar = await findAndPickCalendar(options);
		// Filing on, in the folder the page suggests.
		await options.locator('label.pmi-switch', {hasText: 'Move processed invitation mails to a folder'}).click();
		const folderInput = options.getByLabel('Folder for processed invitation mails', {exact: true});
		await folderInput.waitFor();
		if (await folderInput.inputValue() !== filingFolder) {
			throw new Error(`The options page suggests "${await folderInput.inputValue()}" for filing, not "${filingFolder}"`);
		}

		await saveOptions(options);
		await options.close();
		organizerCalendar = (await discoverCalendars({serverUrl: sandbox.caldav.url, username: organizer.email, password: organizer.password})).calendars[0]!.url;
	});

	afterAll(async () => {
		await browser?.close();
		await relay?.close();
		await sandbox?.stop();
		if (dir) {
			await rm(dir, {recursive: true, force: true});
		}
	});

	test('an invitation delivered to Alex is added to Alex\'s calendar, filed, and listed under "Invitations for you" with the badge', async () => {
		keepFailureEvidence({pages: () => [popup], recorder: () => browser?.recorder, sandbox: () => sandbox});
		// The organizer's side: `pmi invite` writes the mail and the calendar copy; the copy goes to the organizer's calendar.
		const spec = path.join(dir, 'event.json');
		await writeFile(spec, JSON.stringify({
			organizer: {email: organizer.email, name: organizer.name}, attendees: [{email: alex.email, name: alex.name}],
			summary, start: `${eventDate}T10:00`, end: `${eventDate}T11:00`, timeZone: eventZone, location: 'Room 4',
		}));
		await run('npm', ['run', '-s', 'pmi', '--', 'invite', '--event', spec, '--out', path.join(dir, 'invite')], {cwd: repoRoot});
		const caldav = await readFile(path.join(dir, 'invite', 'caldav.ics'), 'utf8');
		const request = await readFile(path.join(dir, 'invite', 'request.eml'), 'utf8');
		uid = uidOf(caldav);
		requestId = /^Message-ID:\s*(<[^>]+>)/im.exec(request)![1]!;
		await createCaldavClient({username: organizer.email, password: organizer.password}).createEvent(organizerCalendar, uid, caldav);
		await sendRaw(sandbox.smtp, organizer, [alex.email], request);
		await waitForMessage(sandbox.imap, alex, message => message.calendarMethod === 'REQUEST');

		popup = await openPopup(browser);
		await checkNowUntil(popup, async () => await row(popup!).count() === 1);
		const item = row(popup);
		await expect(popup.locator('section.pmi-section-invitations h2').textContent()).resolves.toContain('Invitations for you');
		// The time in Alex's zone, written as the browser's own Intl writes it, not the organizer's 10:00 in New York.
		const times = await popup.evaluate(([date, eventTimeZone, zone]) => {
			const hourIn = (instant: number, timeZone: string): number => Number(new Intl.DateTimeFormat('en-GB', {hour: '2-digit', hourCycle: 'h23', timeZone}).format(instant));
			// 10:00 on that day in the event's zone (whole-hour offsets, as New York's are).
			const guess = Date.parse(`${date}T10:00:00Z`);
			const instant = guess + ((10 - hourIn(guess, eventTimeZone)) * 3_600_000);
			const short = (timeZone: string): string => new Intl.DateTimeFormat(undefined, {timeStyle: 'short', timeZone}).format(instant);
			return {berlin: short(zone), newYork: short(eventTimeZone)};
		}, [eventDate, eventZone, browserZone] as const);
		const when = await item.locator('.pmi-invitation-when').textContent();
		expect(when).toContain(times.berlin);
		expect(when).not.toContain(times.newYork);
		await expect(item.locator('.pmi-invitation-organizer').textContent()).resolves.toBe(`From ${organizer.name} <${organizer.email}>`);
		await expect(item.locator('.pmi-invitation-state').textContent()).resolves.toContain('In your calendar, not answered yet.');

		// Added by itself, not answered: Alex's copy says NEEDS-ACTION.
		expect((await eventOnServer(alex, alexCalendar, uid)).attendees.get(alex.email)?.partstat).toBe('NEEDS-ACTION');
		// Filed: the REQUEST is in the folder, not in INBOX, and "Open the mail" opens it there.
		expect(await messageIdsIn(filingFolder)).toContain(requestId);
		expect((await inboxMessages(sandbox.imap, alex)).map(message => message.calendarMethod)).not.toContain('REQUEST');
		expect(await item.getByRole('link', {name: 'Open the mail'}).getAttribute('href')).toContain(`_mbox=${filingFolder}`);
		// The badge: one invitation waiting for Alex's answer.
		await expect.poll(badge).toBe('1');
		await saveScreenshot(popup, 'popup-invitations', {fullPage: true});
	});

	test('Accept in the popup sends the REPLY, and the organizer\'s side records Alex as ACCEPTED on Radicale', async () => {
		keepFailureEvidence({pages: () => [popup], recorder: () => browser?.recorder, sandbox: () => sandbox});
		popup ??= await openPopup(browser);
		await row(popup).getByRole('button', {name: `Accept: ${summary}`}).click();
		// Answered: the row goes, and so does the badge.
		await expect.poll(async () => row(popup!).count(), {timeout: 60_000}).toBe(0);
		await expect.poll(badge).toBe('');
		expect((await eventOnServer(alex, alexCalendar, uid)).attendees.get(alex.email)?.partstat).toBe('ACCEPTED');
		const reply = await waitForMessage(sandbox.imap, organizer, message => message.calendarMethod === 'REPLY');
		expect(reply.from).toContain(alex.email);

		// The organizer's side, with no browser: the agent reads the REPLY and writes it to the organizer's calendar.
		const config = await writeConfig(path.join(dir, 'organizer-agent.json'), agentConfig(sandbox, organizer, {calendarUrl: organizerCalendar}));
		const {stdout} = await run('npm', ['run', '-s', 'relay', '--', 'agent', '--config', config, '--once'], {cwd: repoRoot});
		expect(stdout).toContain(`applied mailbox=${organizer.email} event=${uid}`);
		expect((await eventOnServer(organizer, organizerCalendar, uid)).attendees.get(alex.email)?.partstat).toBe('ACCEPTED');
	});
});
