/**
 * The e2e driver (driver.ts) for Debian's Firefox ESR: puppeteer-core 24 over WebDriver BiDi, the stock browser
 * (no download), the extension's Firefox build installed as a temporary add-on. What differs from Chromium and why
 * is in differences.ts.
 */
import {randomUUID} from 'node:crypto';
import puppeteer, {type Page} from 'puppeteer-core';
import {geckoExtensionId} from '../../../../lib/extension-identity.ts';
import {engines} from './differences.ts';
import type {E2eBrowser, E2eLaunchOptions, E2ePage} from './driver.ts';

const firefox = engines.firefox;
/** puppeteer-core's and playwright-core's default wait. */
const defaultTimeout = 30_000;

/**
 * Firefox maps names, not ports: `network.dns.localDomains` makes each host 127.0.0.1 and `network.socket.forcePort`
 * sends every connection to port 443 to one local port. So all mapped hosts must share that port.
 */
function hostPrefs(hostMap: Record<string, number>): Record<string, string> {
	const hosts = Object.keys(hostMap);
	const ports = [...new Set(Object.values(hostMap))];
	if (ports.length === 0) {
		return {};
	}

	if (ports.length > 1) {
		throw new Error(`Firefox can send port 443 to one local port only; asked for ${ports.join(', ')}`);
	}

	return {'network.dns.localDomains': hosts.join(','), 'network.socket.forcePort': `443=${ports[0]}`};
}

/**
 * The page's BiDi browsing context, for two commands puppeteer-core does not offer as Firefox needs them: navigate
 * with `wait: none` (page.goto waits for the `load` a moz-extension page never reports), and a viewport set alone
 * (page.setViewport also sends emulation.setScreenOrientationOverride, which Firefox 140 ESR does not know).
 */
type BrowsingContext = {
	navigate(url: string, wait: 'none'): Promise<void>;
	setViewport(options: {viewport: {width: number; height: number}}): Promise<void>;
};

function browsingContext(page: Page): BrowsingContext {
	const frame = page.mainFrame() as unknown as {browsingContext?: BrowsingContext};
	if (!frame.browsingContext) {
		throw new Error('puppeteer-core no longer exposes the BiDi browsing context of a frame: see tests/e2e/harness/engine/firefox.ts');
	}

	return frame.browsingContext;
}

function wrap(page: Page): E2ePage {
	return {
		async goto(url) {
			await page.goto(url, {waitUntil: 'load'});
		},
		url: () => page.url(),
		async setViewport(width, height) {
			await browsingContext(page).setViewport({viewport: {width, height}});
		},
		async click(selector) {
			// Not puppeteer's Locator.click, which waits in vain in Firefox 140's moz-extension pages (see fill).
			const element = await page.waitForSelector(selector, {visible: true});
			try {
				await element!.scrollIntoView();
				await element!.click();
			} finally {
				await element?.dispose();
			}
		},
		async fill(selector, value) {
			// Not puppeteer's Locator.fill: it tells fields apart with `instanceof HTMLInputElement`, which is false
			// for the fields of a moz-extension page in Firefox 140, and then it waits in vain.
			const element = await page.waitForSelector(selector, {visible: true});
			try {
				const typeable = await element!.evaluate(node => {
					const field = node as HTMLInputElement;
					return field.tagName === 'TEXTAREA' || ['text', 'url', 'tel', 'search', 'password', 'number', 'email'].includes(field.type);
				});
				if (typeable) {
					// Everything in the field selected, then typed over, as a person replaces a value.
					await element!.focus();
					await page.keyboard.down('Control');
					await page.keyboard.press('KeyA');
					await page.keyboard.up('Control');
					await (value === '' ? page.keyboard.press('Backspace') : page.keyboard.type(value));
				} else {
					// Date and time fields take their value whole, as their pickers give it.
					await element!.evaluate((node, text) => {
						const field = node as HTMLInputElement;
						field.focus();
						field.value = text;
						field.dispatchEvent(new Event('input', {bubbles: true}));
						field.dispatchEvent(new Event('change', {bubbles: true}));
					}, value);
				}
			} finally {
				await element?.dispose();
			}
		},
		async select(selector, value) {
			await page.waitForSelector(selector);
			await page.select(selector, value);
		},
		async type(text) {
			await page.keyboard.type(text);
		},
		async value(selector) {
			const element = await page.waitForSelector(selector);
			try {
				return await element!.evaluate(node => (node as HTMLInputElement).value);
			} finally {
				await element?.dispose();
			}
		},
		async text(selector) {
			const element = await page.waitForSelector(selector);
			try {
				return await element!.evaluate(node => node.textContent ?? '');
			} finally {
				await element?.dispose();
			}
		},
		async count(selector) {
			const elements = await page.$$(selector);
			await Promise.all(elements.map(async element => element.dispose()));
			return elements.length;
		},
		async waitFor(selector, options = {}) {
			await page.waitForSelector(selector, {visible: options.visible ?? false, ...options.timeout === undefined ? {} : {timeout: options.timeout}});
		},
		async waitForNetworkIdle() {
			await page.waitForNetworkIdle({idleTime: 500, timeout: defaultTimeout});
		},
		async waitUntil(predicate, arg, options = {}) {
			// Polled from here rather than with page.waitForFunction, which builds its poller with `new Function` in
			// the page: Firefox 140 blocks that in moz-extension pages (their CSP), and a tab behind others gets few
			// animation frames. An evaluation that fails because the page is navigating just counts as "not yet".
			const timeout = options.timeout ?? defaultTimeout;
			const deadline = Date.now() + timeout;
			const test = predicate as (value: unknown) => boolean;
			while (!await page.evaluate(test, arg as unknown).catch(() => false)) {
				if (Date.now() > deadline) {
					throw new Error(`Not true within ${timeout} ms in ${page.url()}: ${String(predicate)}`);
				}

				await new Promise(resolve => setTimeout(resolve, 100));
			}
		},
		async evaluate(fn, arg) {
			return page.evaluate(fn as (value: unknown) => Awaited<ReturnType<typeof fn>>, arg as unknown) as Promise<Awaited<ReturnType<typeof fn>>>;
		},
		async screenshot(file, options = {}) {
			await page.screenshot({path: file as `${string}.png`, fullPage: options.fullPage ?? false});
		},
		isClosed: () => page.isClosed(),
		async close() {
			await page.close();
		},
	};
}

export async function launchFirefox(options: E2eLaunchOptions): Promise<E2eBrowser> {
	// The moz-extension UUID is random per profile unless set before the install: set, the pages' URLs are known.
	const uuid = randomUUID();
	const browser = await puppeteer.launch({
		browser: 'firefox',
		executablePath: firefox.executable,
		headless: true,
		acceptInsecureCerts: true,
		// A loaded machine takes its time to start a browser; the start is not what is tested.
		timeout: 120_000,
		args: ['--remote-allow-system-access'],
		env: {...process.env, ...options.timezoneId ? {TZ: options.timezoneId} : {}},
		extraPrefsFirefox: {
			'extensions.webextensions.uuids': JSON.stringify({[geckoExtensionId]: uuid}),
			...hostPrefs(options.hostMap ?? {}),
		},
	});
	try {
		await browser.installExtension(firefox.buildFolder);
	} catch (error) {
		await browser.close();
		throw error;
	}

	const extensionUrl = (file: string): string => `${firefox.extensionScheme}://${uuid}/${file}`;
	async function openExtensionPage(file: string, readySelector: string, viewport: {width: number; height: number}): Promise<E2ePage> {
		const page = await browser.newPage();
		await browsingContext(page).setViewport({viewport});
		await browsingContext(page).navigate(extensionUrl(file), 'none');
		await page.waitForSelector(readySelector);
		// The tab in front, as a person's would be: a tab behind others gets no animation frames in Firefox 140, and
		// puppeteer's clicks and fills wait for two of them (a steady position).
		await page.bringToFront();
		return wrap(page);
	}

	return {
		engine: 'firefox',
		async newPage() {
			return wrap(await browser.newPage());
		},
		extensionUrl,
		openExtensionPage,
		async manifestSeenByBackground() {
			const page = await openExtensionPage('popup.html', '.pmi-popup', {width: 400, height: 300});
			try {
				type Runtime = {runtime: {getManifest(): {name: string; manifest_version: number}; getBackgroundPage(): Promise<Window & {browser: Runtime}>}};
				return await page.evaluate(async () => {
					const own = (globalThis as unknown as {browser: Runtime}).browser;
					const background = await own.runtime.getBackgroundPage();
					const {name, manifest_version: version} = background.browser.runtime.getManifest();
					return {name, manifest_version: version};
				}, undefined);
			} finally {
				await page.close();
			}
		},
		async close() {
			await browser.close();
		},
	};
}
