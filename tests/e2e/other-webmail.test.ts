/**
 * "Other webmail" (issue 12, item 13): the sandbox's Roundcube reached by a second address, which the manifest's
 * content scripts do not match, gets the Add invite button once the user adds that address in the options page and
 * the browser grants its origin and `scripting`; it loses the button when the address is removed.
 */
import {access, mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startSandbox, type RunningSandbox} from '../sandbox/index.ts';
import {keepFailureEvidence} from './harness/artifacts.ts';
import {extensionPath, launchWithExtension, type ExtensionBrowser} from './harness/browser.ts';
import {grantOptionalPermissions} from './harness/granted-permission.ts';
import {openOptions} from './harness/options-page.ts';
import {logIn, openCompose} from './harness/roundcube.ts';
import {startTlsFront, type TlsFront} from './harness/tls-front.ts';

/** Not in the manifest's content_scripts matches (inbox.purelymail.com, purelymail.com/webmail). */
const otherHost = 'webmail.sandbox.test';
const otherUrl = `https://${otherHost}/`;

describe('another Roundcube added in the options page', () => {
	let sandbox: RunningSandbox;
	let front: TlsFront;
	let profile: string;
	let browser: ExtensionBrowser | undefined;
	let page: Page | undefined;
	let options: Page | undefined;

	const launch = async (): Promise<ExtensionBrowser> => {
		browser = await launchWithExtension({userDataDir: profile, hostMap: {[otherHost]: front.port}, trustedKeys: [front.spkiHash]});
		return browser;
	};

	/**
	 * The match patterns of the content scripts the extension registered at run time, from the browser itself: a
	 * page without the button could only say "not yet", this says "not at all".
	 */
	const registeredMatches = async (): Promise<string[]> => browser!.serviceWorker.evaluate(async () => {
		type ChromeGlobal = {chrome: {scripting: {getRegisteredContentScripts(): Promise<Array<{matches?: string[]}>>}}};
		const scripts = await (globalThis as unknown as ChromeGlobal).chrome.scripting.getRegisteredContentScripts();
		return scripts.flatMap(script => script.matches ?? []);
	});

	beforeAll(async () => {
		await access(path.join(extensionPath, 'manifest.json')).catch(() => {
			throw new Error(`No extension build at ${extensionPath}: run npm run build:e2e first (npm test and npm run test:e2e do).`);
		});
		sandbox = await startSandbox({services: ['webmail']});
		front = await startTlsFront(new URL(sandbox.webmail!.url), otherHost);
		profile = await mkdtemp(path.join(os.tmpdir(), 'pmi-e2e-profile-'));
	});

	afterAll(async () => {
		await browser?.close();
		await front?.close();
		await sandbox?.stop();
		if (profile) {
			await rm(profile, {recursive: true, force: true});
		}
	});

	test('adding the address asks for it and scripting, registers the content script, and the Add invite button is there', async () => {
		keepFailureEvidence({pages: () => [page, options], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		// What Chromium records when the user clicks Allow in its prompt (granted-permission.ts says why not the click).
		const {extensionId} = await launch();
		await browser!.close();
		await grantOptionalPermissions(profile, extensionId, {api: ['scripting'], hosts: [`${otherUrl}*`]});
		const {context} = await launch();
		page = await context.newPage();
		await logIn(page, otherUrl, sandbox.accounts[0]!.email, sandbox.accounts[0]!.password);
		expect(await registeredMatches()).toEqual([]);

		options = await openOptions(context, extensionId);
		// Records what the page asks the browser for, then asks it unchanged (the page's own code path).
		await options.evaluate(() => {
			type Request = (permissions: unknown) => Promise<boolean>;
			const permissions = (globalThis as unknown as {chrome: {permissions: {request: Request}}}).chrome.permissions;
			const request = permissions.request.bind(permissions);
			const asked: unknown[] = [];
			(globalThis as unknown as {pmiAsked: unknown[]}).pmiAsked = asked;
			permissions.request = async wanted => {
				asked.push(wanted);
				return request(wanted);
			};
		});
		await options.getByLabel('Purelymail address', {exact: true}).fill(sandbox.accounts[0]!.email);
		await options.getByLabel('App password', {exact: true}).fill(sandbox.accounts[0]!.password);
		await options.getByLabel('Add a webmail address', {exact: true}).fill(otherHost);
		await options.getByRole('button', {name: 'Add this webmail address'}).click();
		await options.getByRole('button', {name: 'Save settings'}).click();
		await options.locator('.pmi-feedback-ok').filter({hasText: 'Saved at'}).waitFor();
		// The origin and `scripting`, together, in the Save click.
		expect(await options.evaluate(() => (globalThis as unknown as {pmiAsked: unknown[]}).pmiAsked)).toEqual([{origins: [`${otherUrl}*`], permissions: ['scripting']}]);
		expect(await registeredMatches()).toEqual([`${otherUrl}*`]);

		await openCompose(page, otherUrl);
		await page.getByRole('button', {name: 'Add invite', exact: true}).click();
		await page.getByRole('dialog', {name: 'Add invite'}).waitFor();
	});

	test('after a restart of the browser the button is still there', async () => {
		keepFailureEvidence({pages: () => [page], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		await browser!.close();
		const {context} = await launch();
		page = await context.newPage();
		await logIn(page, otherUrl, sandbox.accounts[0]!.email, sandbox.accounts[0]!.password);
		await openCompose(page, otherUrl);
		await page.getByRole('button', {name: 'Add invite', exact: true}).waitFor();
		expect(await registeredMatches()).toEqual([`${otherUrl}*`]);
	});

	test('removing the address takes the button away', async () => {
		keepFailureEvidence({pages: () => [page, options], recorder: () => browser?.recorder, sandbox: () => sandbox, front: () => front});
		options = await openOptions(browser!.context, browser!.extensionId);
		await options.getByRole('button', {name: `Remove https://${otherHost}`}).click();
		await options.getByRole('button', {name: 'Save settings'}).click();
		await options.locator('.pmi-feedback-ok').filter({hasText: 'Saved at'}).waitFor();
		expect(await registeredMatches()).toEqual([]);
	});
});
