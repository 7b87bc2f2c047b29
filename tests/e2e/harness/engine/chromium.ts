/** The e2e driver (driver.ts) for Debian's Chromium: playwright-core, through launchWithExtension (../browser.ts). */
import type {Page} from 'playwright-core';
import {launchWithExtension} from '../browser.ts';
import {engines} from './differences.ts';
import type {E2eBrowser, E2eLaunchOptions, E2ePage} from './driver.ts';

/** Playwright's CSS engine pierces open shadow roots by itself: ` >>> ` is a plain descendant step for it. */
function css(selector: string): string {
	return selector.replaceAll(' >>> ', ' ');
}

/** A playwright page as the driver's page (also for the Chromium-only tests' steps shared with the journeys). */
export function wrap(page: Page): E2ePage {
	return {
		async goto(url) {
			await page.goto(url);
		},
		url: () => page.url(),
		async setViewport(width, height) {
			await page.setViewportSize({width, height});
		},
		async click(selector) {
			await page.click(css(selector));
		},
		async fill(selector, value) {
			await page.fill(css(selector), value);
		},
		async select(selector, value) {
			await page.selectOption(css(selector), value);
		},
		async type(text) {
			await page.keyboard.type(text);
		},
		async value(selector) {
			return page.inputValue(css(selector));
		},
		async text(selector) {
			return await page.textContent(css(selector)) ?? '';
		},
		async count(selector) {
			return page.locator(css(selector)).count();
		},
		async waitFor(selector, options = {}) {
			await page.waitForSelector(css(selector), {state: options.visible ? 'visible' : 'attached', ...options.timeout === undefined ? {} : {timeout: options.timeout}});
		},
		async waitForNetworkIdle() {
			await page.waitForLoadState('networkidle');
		},
		async waitUntil(predicate, arg, options = {}) {
			// The driver's arguments are plain JSON values, which playwright passes through unchanged.
			await page.waitForFunction(predicate as (value: unknown) => boolean, arg as unknown, options.timeout === undefined ? {} : {timeout: options.timeout});
		},
		async evaluate(fn, arg) {
			return page.evaluate(fn as (value: unknown) => Awaited<ReturnType<typeof fn>>, arg as unknown);
		},
		async screenshot(file, options = {}) {
			await page.screenshot({path: file, fullPage: options.fullPage ?? false, animations: 'disabled'});
		},
		isClosed: () => page.isClosed(),
		async close() {
			await page.close();
		},
	};
}

export async function launchChromium(options: E2eLaunchOptions): Promise<E2eBrowser> {
	const browser = await launchWithExtension({
		...options.hostMap ? {hostMap: options.hostMap} : {},
		...options.trustedKeys ? {trustedKeys: options.trustedKeys} : {},
		...options.timezoneId ? {timezoneId: options.timezoneId} : {},
	});
	const extensionUrl = (file: string): string => `${engines.chromium.extensionScheme}://${browser.extensionId}/${file}`;
	return {
		engine: 'chromium',
		async newPage() {
			return wrap(await browser.context.newPage());
		},
		extensionUrl,
		async openExtensionPage(file, readySelector, viewport) {
			const page = await browser.context.newPage();
			await page.setViewportSize(viewport);
			await page.goto(extensionUrl(file));
			await page.waitForSelector(readySelector, {state: 'attached'});
			return wrap(page);
		},
		async manifestSeenByBackground() {
			type ChromeGlobal = {chrome: {runtime: {getManifest(): {name: string; manifest_version: number}}}};
			return browser.serviceWorker.evaluate(() => (globalThis as unknown as ChromeGlobal).chrome.runtime.getManifest());
		},
		async close() {
			await browser.close();
		},
	};
}
