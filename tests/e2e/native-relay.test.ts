/**
 * The relay as a user of the store build gets it (issue 16), in headless Chromium with the built extension and no
 * HTTP relay anywhere: the package packed and installed with `npm install -g` into a fresh prefix, `install-native
 * --browser chromium --user-data-dir <the test profile>` run from that install, the options page walking through
 * its three states (not allowed yet, not installed, connected), an invitation sent from Roundcube through the
 * relay the browser started, and an answer delivered while no extension page is open reaching Radicale through
 * IMAP IDLE (RFC 2177) with no alarm in between.
 */
import {access, mkdir, mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import type {Locator, Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {chromeExtensionIds, nativeHostName, unpackedChromeExtensionId} from '../../lib/extension-identity.ts';
import {replyAlarmName} from '../../lib/background/schedule.ts';
import {cleanNpmEnvironment, installRelayGlobally, packRelay, runCommand, type InstalledRelay, type PackedRelay} from '../helpers/relay-package.ts';
import {startSandbox, type RunningSandbox, type SandboxAccount} from '../sandbox/index.ts';
import {keepFailureEvidence, saveScreenshot} from './harness/artifacts.ts';
import {extensionPath, launchWithExtension, type ExtensionBrowser} from './harness/browser.ts';
import {dateAhead, eventOnServer as readStoredEvent, uidOf, type ReadEvent} from './harness/calendar-event.ts';
import {grantOptionalPermission} from './harness/granted-permission.ts';
import {hordeReply} from './harness/horde.ts';
import {sendRaw, waitForMessage, type ArrivedMessage} from './harness/mailbox.ts';
import {fillAccount, findAndPickCalendar, openOptions, saveOptions} from './harness/options-page.ts';
import {logIn, openCompose, typeRecipients} from './harness/roundcube.ts';
import {startTlsFront, type TlsFront} from './harness/tls-front.ts';

const webmailHost = 'inbox.purelymail.com';
const webmailUrl = `https://${webmailHost}/`;
const subject = 'Relay started by the browser';
/** The longest poll period the options allow: the alarm cannot be what brings the answer in. */
const pollMinutes = 30;

/** The part of the service worker's `chrome` global these tests read. */
type ChromeGlobal = {chrome: {
	alarms: {get(name: string): Promise<{scheduledTime: number; periodInMinutes?: number} | undefined>};
	permissions: {contains(permissions: {permissions: string[]}): Promise<boolean>};
}};

describe('the relay the browser starts (native messaging), installed from the packed package', () => {
	let sandbox: RunningSandbox;
	let front: TlsFront;
	let root: string;
	let packed: PackedRelay;
	let installed: InstalledRelay;
	/** The user's home for install-native (its config folder and launcher go there, not into this machine's home). */
	let home: string;
	let profile: string;
	let browser: ExtensionBrowser | undefined;
	let organizer: SandboxAccount;
	let alex: SandboxAccount;
	let calendarUrl: string;
	let request: ArrivedMessage;
	let uid: string;
	let options: Page | undefined;
	let webmail: Page | undefined;
	let popup: Page | undefined;

	const relayEnvironment = (): NodeJS.ProcessEnv => cleanNpmEnvironment({HOME: home, XDG_CONFIG_HOME: path.join(home, '.config')});
	const manifestFile = (): string => path.join(profile, 'NativeMessagingHosts', `${nativeHostName}.json`);
	const relaySetup = (page: Page): Locator => page.getByRole('status', {name: 'Relay set-up'});

	async function launch(): Promise<ExtensionBrowser> {
		browser = await launchWithExtension({userDataDir: profile, hostMap: {[webmailHost]: front.port}, trustedKeys: [front.spkiHash]});
		return browser;
	}

	async function closeBrowser(): Promise<void> {
		await browser?.close();
		browser = undefined;
		options = undefined;
		webmail = undefined;
		popup = undefined;
	}

	/** "Check again" until the relay section's summary matches (the page asks the background only on a click). */
	async function checkAgainUntil(page: Page, summary: RegExp): Promise<string> {
		const status = relaySetup(page);
		const button = page.getByRole('button', {name: 'Check the relay again'});
		await expect.poll(async () => {
			const text = await status.locator('p').first().textContent() ?? '';
			if (!summary.test(text) && await button.isEnabled()) {
				await button.click();
			}

			return text;
		}, {timeout: 60_000, interval: 500}).toMatch(summary);
		return await status.locator('p').first().textContent() ?? '';
	}

	/** The reply loop's alarm as the service worker sees it. */
	async function replyAlarm(): Promise<{scheduledTime: number; periodInMinutes?: number} | undefined> {
		return browser!.serviceWorker.evaluate(async name => {
			const alarm = await (globalThis as unknown as ChromeGlobal).chrome.alarms.get(name);
			return alarm ? {scheduledTime: alarm.scheduledTime, ...(alarm.periodInMinutes === undefined ? {} : {periodInMinutes: alarm.periodInMinutes})} : undefined;
		}, replyAlarmName);
	}

	async function eventOnServer(): Promise<ReadEvent & {ics: string}> {
		return readStoredEvent(organizer, calendarUrl, uid);
	}

	beforeAll(async () => {
		await access(path.join(extensionPath, 'manifest.json')).catch(() => {
			throw new Error(`No extension build at ${extensionPath}: run npm run build:e2e first (npm test and npm run test:e2e do).`);
		});
		root = await mkdtemp(path.join(os.tmpdir(), 'pmi-e2e-native-'));
		home = path.join(root, 'home');
		profile = path.join(root, 'profile');
		await mkdir(home);
		packed = await packRelay(root);
		installed = await installRelayGlobally(packed.tarball, root);
		sandbox = await startSandbox();
		[organizer, alex] = sandbox.accounts as [SandboxAccount, SandboxAccount];
		front = await startTlsFront(new URL(sandbox.webmail!.url), webmailHost);
	});

	afterAll(async () => {
		await closeBrowser();
		await front?.close();
		await sandbox?.stop();
		if (root) {
			await rm(root, {recursive: true, force: true});
		}
	});

	test('a fresh profile: the options page asks to install the relay and allow it', async () => {
		keepFailureEvidence({pages: () => [options], recorder: () => browser?.recorder});
		const {extensionId, context} = await launch();
		// The manifest `key` gives the unpacked build the ID the host manifest names.
		expect(extensionId).toBe(unpackedChromeExtensionId);
		options = await openOptions(context, extensionId);
		const status = relaySetup(options);
		await expect.poll(async () => status.locator('p').first().textContent()).toContain('allow the extension to start it');
		expect(await status.locator('.pmi-relay-commands code').allTextContents()).toEqual(['npm install -g purelymail-invites-relay', 'purelymail-invites-relay install-native']);
		await status.getByRole('button', {name: 'Allow the extension to start the relay'}).waitFor();
		await saveScreenshot(options, 'native-not-allowed');
		await closeBrowser();
	});

	test('allowed but not installed: the page shows the commands and no Allow button', async () => {
		keepFailureEvidence({pages: () => [options], recorder: () => browser?.recorder});
		// What Chromium records when the user clicks Allow in its prompt (see granted-permission.ts for why not the click).
		await grantOptionalPermission(profile, unpackedChromeExtensionId, 'nativeMessaging');
		const {extensionId, context, serviceWorker} = await launch();
		expect(await serviceWorker.evaluate(async () => (globalThis as unknown as ChromeGlobal).chrome.permissions.contains({permissions: ['nativeMessaging']}))).toBe(true);
		options = await openOptions(context, extensionId);
		const status = relaySetup(options);
		await expect.poll(async () => status.locator('p').first().textContent()).toContain('not installed on this computer yet');
		expect(await status.locator('.pmi-relay-commands code').allTextContents()).toEqual(['npm install -g purelymail-invites-relay', 'purelymail-invites-relay install-native']);
		expect(await status.getByRole('button', {name: 'Allow the extension to start the relay'}).count()).toBe(0);
		await saveScreenshot(options, 'native-not-installed');
	});

	test('install-native --browser chromium --user-data-dir <profile>, then Check again: connected, with the relay\'s version', async () => {
		keepFailureEvidence({pages: () => [options], recorder: () => browser?.recorder});
		const printed = await runCommand(installed.bin, ['install-native', '--browser', 'chromium', '--user-data-dir', profile], {cwd: root, env: relayEnvironment()});
		expect(printed).toContain(`chromium: ${manifestFile()}`);
		const manifest = JSON.parse(await readFile(manifestFile(), 'utf8')) as {name: string; path: string; type: string; allowed_origins: string[]};
		expect(manifest).toMatchObject({name: nativeHostName, type: 'stdio', allowed_origins: chromeExtensionIds.map(id => `chrome-extension://${id}/`)});
		// The launcher sits in the user's config folder and starts the installed package, not this checkout.
		expect(manifest.path.startsWith(path.join(home, '.config'))).toBe(true);
		expect(await readFile(manifest.path, 'utf8')).toContain(path.join(installed.packageDir, 'dist', 'main.js'));

		const summary = await checkAgainUntil(options!, /^\s*Connected: relay /);
		expect(summary).toContain(`relay ${packed.version},`);
		expect(await relaySetup(options!).locator('.pmi-relay-commands').count()).toBe(0);
	});

	test('the account is set up with no relay address: connected, and watching the inbox once saved', async () => {
		keepFailureEvidence({pages: () => [options], recorder: () => browser?.recorder, sandbox: () => sandbox});
		const page = options!;
		await fillAccount(page, {
			email: organizer.email, name: organizer.name, password: organizer.password,
			caldavUrl: sandbox.caldav.url, imap: sandbox.imap, smtp: sandbox.smtp,
		});
		await page.getByLabel('Check for answers every how many minutes', {exact: true}).fill(String(pollMinutes));
		// The relay at an address stays off: "Advanced: a relay on another machine" is not in use.
		expect(await page.locator('details.pmi-relay-advanced .pmi-advanced-note').textContent()).toBe('off');
		calendarUrl = await findAndPickCalendar(page);
		await saveOptions(page);
		await checkAgainUntil(page, /watching your inbox \(new answers arrive at once\)/);
		await saveScreenshot(page, 'native-connected', {fullPage: true});
		await page.close();
		options = undefined;
	});

	test('Add invite in Roundcube sends the REQUEST through the relay the browser started', async () => {
		keepFailureEvidence({pages: () => [webmail], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		webmail = await browser!.context.newPage();
		await webmail.setViewportSize({width: 1280, height: 860});
		await logIn(webmail, webmailUrl, organizer.email, organizer.password);
		await openCompose(webmail, webmailUrl);
		await typeRecipients(webmail, [alex.email]);
		await webmail.locator('#compose-subject').fill(subject);
		await webmail.getByRole('button', {name: 'Add invite', exact: true}).click();
		const composer = webmail.locator('purelymail-invites-composer');
		const dialog = composer.getByRole('dialog', {name: 'Add invite'});
		await dialog.waitFor();
		await expect.poll(async () => dialog.getByLabel('Title', {exact: true}).inputValue()).toBe(subject);
		await dialog.getByLabel('Date', {exact: true}).fill(dateAhead(10));
		await dialog.getByLabel('Start time', {exact: true}).fill('09:00');
		await dialog.getByRole('button', {name: 'Duration 1 h', exact: true}).click();
		await dialog.getByRole('button', {name: 'Send invite'}).click();
		await composer.getByRole('heading', {name: 'Invitation sent'}).waitFor({timeout: 60_000});

		request = await waitForMessage(sandbox.imap, alex, message => message.calendarMethod === 'REQUEST' && message.subject.includes(subject));
		expect(request.from).toBe(organizer.email);
		uid = uidOf(request.calendar!);
		const stored = await eventOnServer();
		expect(stored.attendees.get(alex.email)?.partstat).toBe('NEEDS-ACTION');
	});

	test('an answer delivered while no extension page is open reaches Radicale through IDLE, with no alarm in between', async () => {
		keepFailureEvidence({pages: () => [popup], recorder: () => browser?.recorder, sandbox: () => sandbox});
		expect(request, 'needs the invitation of the test before').toBeDefined();
		// Nothing of the extension is open: no popup, no options page, no webmail tab.
		await webmail?.close();
		webmail = undefined;
		expect(browser!.context.pages().filter(page => page.url().startsWith('chrome-extension://'))).toEqual([]);

		// The save's first alarm (a few seconds after it) is behind us; the next one is the poll period away.
		await expect.poll(async () => ((await replyAlarm())?.scheduledTime ?? 0) - Date.now(), {timeout: 60_000, interval: 1000}).toBeGreaterThan(60_000);
		const before = await replyAlarm();
		expect(before?.periodInMinutes).toBe(pollMinutes);

		const reply = await hordeReply(request.calendar!, {email: alex.email, name: alex.name}, 'accept');
		const delivered = performance.now();
		await sendRaw(sandbox.smtp, alex, [organizer.email], reply);
		// The wait is a guard against a hang, not the claim: the claim is that no alarm fired meanwhile (below).
		await expect.poll(async () => (await eventOnServer()).attendees.get(alex.email)?.partstat, {timeout: 60_000, interval: 100}).toBe('ACCEPTED');
		const latencyMs = performance.now() - delivered;
		const after = await replyAlarm();
		expect(after?.scheduledTime, 'the alarm did not fire between delivery and the CalDAV write').toBe(before?.scheduledTime);
		expect(after!.scheduledTime).toBeGreaterThan(Date.now());
		console.log(`native messaging: delivery → CalDAV PARTSTAT in ${(latencyMs / 1000).toFixed(2)} s, next alarm in ${Math.round((after!.scheduledTime - Date.now()) / 1000)} s`);

		// The popup, opened afterwards, shows the answer the background already recorded.
		popup = await browser!.context.newPage();
		await popup.setViewportSize({width: 400, height: 600});
		await popup.goto(`chrome-extension://${browser!.extensionId}/popup.html`);
		const card = popup.locator('.pmi-event').filter({hasText: subject});
		await card.getByRole('button', {name: /Show attendees/}).click();
		await expect.poll(async () => card.locator('.pmi-attendee').filter({hasText: alex.email}).locator('.pmi-status').textContent()).toBe('Accepted');
	});

	test('uninstall-native removes what install-native wrote', async () => {
		const launcher = (JSON.parse(await readFile(manifestFile(), 'utf8')) as {path: string}).path;
		await closeBrowser();
		const printed = await runCommand(installed.bin, ['uninstall-native'], {cwd: root, env: relayEnvironment()});
		expect(printed).toContain(`Removed ${manifestFile()}`);
		expect(printed).toContain(`Removed ${launcher}`);
		await expect(access(manifestFile())).rejects.toThrow();
		await expect(access(launcher)).rejects.toThrow();
	});
});
