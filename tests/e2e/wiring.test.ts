import {access} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startSandbox, type RunningSandbox} from '../sandbox/index.ts';
import {keepFailureEvidence} from './harness/artifacts.ts';
import {extensionPath, launchWithExtension, type ExtensionBrowser} from './harness/browser.ts';
import {logIn, openCompose} from './harness/roundcube.ts';
import {startTlsFront, type TlsFront} from './harness/tls-front.ts';

const webmailHost = 'inbox.purelymail.com';
const webmailUrl = `https://${webmailHost}/`;

describe('the built extension in Chromium against the sandbox Roundcube', () => {
	let sandbox: RunningSandbox;
	let front: TlsFront;
	let browser: ExtensionBrowser;

	beforeAll(async () => {
		await access(path.join(extensionPath, 'manifest.json')).catch(() => {
			throw new Error(`No extension build at ${extensionPath}: run npm run build:e2e first (npm test and npm run test:e2e do).`);
		});
		sandbox = await startSandbox({services: ['webmail']});
		front = await startTlsFront(new URL(sandbox.webmail!.url), webmailHost);
		browser = await launchWithExtension({hostMap: {[webmailHost]: front.port}, trustedKeys: [front.spkiHash]});
	});

	afterAll(async () => {
		await browser?.close();
		await front?.close();
		await sandbox?.stop();
	});

	test('the extension loads with its background worker', async () => {
		expect(browser.extensionId).toMatch(/^[a-p]{32}$/);
		type ChromeGlobal = {chrome: {runtime: {getManifest(): {name: string}}}};
		const manifest = await browser.serviceWorker.evaluate(() => (globalThis as unknown as ChromeGlobal).chrome.runtime.getManifest());
		expect(manifest.name).toBe('Purelymail Invites');
	});

	test('the content script runs in Roundcube\'s compose page after a real login and reaches the background', async () => {
		const page = await browser.context.newPage();
		keepFailureEvidence({pages: () => [page], recorder: () => browser.recorder, sandbox: () => sandbox, front: () => front});
		await logIn(page, webmailUrl, sandbox.accounts[0]!.email, sandbox.accounts[0]!.password);
		await openCompose(page, webmailUrl);
		// The script sets data-background once it knows whether the background answered ("ok") or not ("down").
		const marker = page.locator('meta[name="purelymail-invites"][data-background]');
		await marker.waitFor({state: 'attached'});
		expect(await marker.getAttribute('data-background')).toBe('ok');
		expect(await marker.getAttribute('content')).toBe('compose');
		await page.close();
	});

	test('the content script stays out of pages it does not match', async () => {
		const page = await browser.context.newPage();
		keepFailureEvidence({pages: () => [page], recorder: () => browser.recorder, sandbox: () => sandbox, front: () => front});
		await page.goto(sandbox.webmail!.url);
		await page.waitForSelector('#rcmloginuser');
		expect(await page.locator('meta[name="purelymail-invites"]').count()).toBe(0);
		await page.close();
	});
});
