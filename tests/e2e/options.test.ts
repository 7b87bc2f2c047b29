/**
 * The options page in Chromium with the built extension, against the sandbox's Dovecot, AUTH SMTP server and
 * Radicale and the relay: what is saved is there again after the browser restarts (same profile), and
 * "Test connection" says that a wrong password is the problem, for CalDAV, IMAP and SMTP separately.
 */
import {access, mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startRelay, type RunningRelay} from '../../relay/server.ts';
import {startSandbox, type RunningSandbox, type SandboxAccount} from '../sandbox/index.ts';
import {keepFailureEvidence, saveScreenshot} from './harness/artifacts.ts';
import {extensionPath, launchWithExtension, type ExtensionBrowser} from './harness/browser.ts';
import {fillOptions, findAndPickCalendar, openAdvanced, openOptions, saveOptions, testConnection} from './harness/options-page.ts';

const relayToken = 'e2e-options-token-0123456789abcdefgh';

describe('the options page', () => {
	let sandbox: RunningSandbox;
	let relay: RunningRelay;
	let relayDir: string;
	let profile: string;
	let browser: ExtensionBrowser | undefined;
	let organizer: SandboxAccount;
	let page: Page | undefined;
	let calendarUrl: string;

	beforeAll(async () => {
		await access(path.join(extensionPath, 'manifest.json')).catch(() => {
			throw new Error(`No extension build at ${extensionPath}: run npm run build:e2e first (npm test and npm run test:e2e do).`);
		});
		sandbox = await startSandbox({services: ['imap', 'smtp', 'caldav']});
		organizer = sandbox.accounts[0]!;
		relayDir = await mkdtemp(path.join(os.tmpdir(), 'pmi-e2e-relay-'));
		relay = await startRelay({port: 0, token: relayToken, configDir: relayDir, log: () => undefined});
		// One Chromium profile for both launches: the second launch is the same browser after a restart.
		profile = await mkdtemp(path.join(os.tmpdir(), 'pmi-e2e-profile-'));
	});

	afterAll(async () => {
		await browser?.close();
		await relay?.close();
		await sandbox?.stop();
		for (const dir of [relayDir, profile]) {
			if (dir) {
				await rm(dir, {recursive: true, force: true});
			}
		}
	});

	test('saves the settings, and they are still there after the browser restarts', async () => {
		keepFailureEvidence({pages: () => [page], recorder: () => browser?.recorder, sandbox: () => sandbox});
		browser = await launchWithExtension({userDataDir: profile});
		page = await openOptions(browser.context, browser.extensionId);
		await fillOptions(page, {
			email: organizer.email,
			name: organizer.name,
			password: organizer.password,
			caldavUrl: sandbox.caldav.url,
			imap: sandbox.imap,
			smtp: sandbox.smtp,
			relayUrl: relay.url,
			relayToken,
		});
		await page.getByLabel('Other addresses of this account', {exact: true}).fill('olivia@sandbox.test');
		await page.getByLabel('Check for answers every how many minutes', {exact: true}).fill('5');
		// The switch is drawn over its checkbox: a person clicks the drawing or its words, which is the label.
		await page.locator('label.pmi-switch').filter({hasText: 'Show a notification for each answer'}).click();
		expect(await page.getByRole('switch', {name: 'Show a notification for each answer'}).isChecked()).toBe(false);
		calendarUrl = await findAndPickCalendar(page);
		const calendarName = await page.getByLabel('Calendar', {exact: true}).locator('option:checked').textContent();
		// The server's display name, not the URL, is what the picker shows.
		expect(calendarName).not.toBe(calendarUrl);
		await saveOptions(page);

		await browser.close();
		browser = await launchWithExtension({userDataDir: profile});
		page = await openOptions(browser.context, browser.extensionId);
		// The saved values come back into the form.
		await expect.poll(async () => page!.getByLabel('Purelymail address', {exact: true}).inputValue()).toBe(organizer.email);
		expect(await page.getByLabel('Your name', {exact: true}).inputValue()).toBe(organizer.name);
		expect(await page.getByLabel('App password', {exact: true}).inputValue()).toBe(organizer.password);
		expect(await page.getByLabel('Other addresses of this account', {exact: true}).inputValue()).toBe('olivia@sandbox.test');
		expect(await page.getByLabel('Calendar', {exact: true}).inputValue()).toBe(calendarUrl);
		// After the restart, before any "Find calendars", the picker still names the calendar rather than showing its URL.
		expect(await page.getByLabel('Calendar', {exact: true}).locator('option:checked').textContent()).toBe(calendarName);
		expect(await page.getByLabel('Relay address', {exact: true}).inputValue()).toBe(relay.url);
		expect(await page.getByLabel('Relay token', {exact: true}).inputValue()).toBe(relayToken);
		expect(await page.getByLabel('Check for answers every how many minutes', {exact: true}).inputValue()).toBe('5');
		expect(await page.getByRole('switch', {name: 'Show a notification for each answer'}).isChecked()).toBe(false);
		// The servers differ from Purelymail's, so "Advanced" opens by itself.
		expect(await page.locator('details.pmi-advanced').getAttribute('open')).not.toBeNull();
		expect(await page.getByLabel('CalDAV address', {exact: true}).inputValue()).toBe(sandbox.caldav.url);
		expect(await page.getByLabel('IMAP server', {exact: true}).inputValue()).toBe(sandbox.imap.host);
		expect(await page.getByLabel('IMAP port', {exact: true}).inputValue()).toBe(String(sandbox.imap.port));
		expect(await page.getByLabel('IMAP security', {exact: true}).inputValue()).toBe('starttls');
		expect(await page.getByLabel('SMTP port', {exact: true}).inputValue()).toBe(String(sandbox.smtp.port));

		// And the extension counts as set up: the popup offers "Check now" rather than the setup card.
		const popup = await browser.context.newPage();
		await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
		await popup.getByRole('button', {name: /^Check(ing)? (now )?for answers$/}).waitFor();
		expect(await popup.getByText('Open settings').count()).toBe(0);
		await popup.close();
	});

	test('"Test connection" says the password is wrong, for CalDAV, IMAP and SMTP each', async () => {
		keepFailureEvidence({pages: () => [page], recorder: () => browser?.recorder, sandbox: () => sandbox});
		expect(browser, 'needs the browser of the test before').toBeDefined();
		await page?.close();
		page = await openOptions(browser!.context, browser!.extensionId);
		await expect.poll(async () => page!.getByLabel('Purelymail address', {exact: true}).inputValue()).toBe(organizer.email);
		await page.getByLabel('App password', {exact: true}).fill('not-the-password');
		const report = await testConnection(page);
		await openAdvanced(page);
		await saveScreenshot(page, 'options-wrong-password', {fullPage: true});

		expect(Object.keys(report)).toEqual(['CalDAV (calendar)', 'Relay', 'IMAP (reading replies)', 'SMTP (sending invitations)']);
		expect(report['Relay']).toContain('works');
		for (const label of ['CalDAV (calendar)', 'IMAP (reading replies)', 'SMTP (sending invitations)']) {
			expect(report[label], label).toContain('failed');
			expect(report[label], label).toMatch(/refused the password/);
			expect(report[label], label).toContain('Check the address and app password');
		}

		// Testing saves nothing: the stored password is still the right one.
		await page.reload();
		await expect.poll(async () => page!.getByLabel('App password', {exact: true}).inputValue()).toBe(organizer.password);
	});
});
