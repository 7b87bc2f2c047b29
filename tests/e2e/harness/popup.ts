/** The toolbar popup of a Chromium profile (browser.ts), opened as a tab at the popup's size. */
import type {Page} from 'playwright-core';
import type {ExtensionBrowser} from './browser.ts';
import {wrap} from './engine/chromium.ts';
import {checkNowUntil as checkNowUntilIn} from './engine/popup-steps.ts';

/**
 * Opens the popup as a tab (what the toolbar button shows), at the popup's size, and waits for the end of the
 * check it starts on opening (its result line).
 */
export async function openPopup(browser: ExtensionBrowser): Promise<Page> {
	const page = await browser.context.newPage();
	await page.setViewportSize({width: 400, height: 600});
	await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
	await page.locator('.pmi-popup-body > .pmi-feedback, .pmi-popup-body > .pmi-box-error').first().waitFor({timeout: 60_000});
	return page;
}

/** "Check now" until `shown` holds: the journeys' step (engine/popup-steps.ts) on this page. */
export async function checkNowUntil(page: Page, shown: () => Promise<boolean>): Promise<void> {
	await checkNowUntilIn(wrap(page), shown);
}
