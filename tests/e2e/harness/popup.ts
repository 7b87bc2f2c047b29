/** The toolbar popup of a Chromium profile (browser.ts), opened as a tab at the popup's size. */
import type {Page} from 'playwright-core';
import {expect} from 'vitest';
import type {ExtensionBrowser} from './browser.ts';

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

/**
 * Clicks "Check now" (once the check the popup starts on opening is over) until `shown` holds, at most three
 * times: a check the background's alarm began before the mail arrived may be the one the click joins.
 */
export async function checkNowUntil(page: Page, shown: () => Promise<boolean>): Promise<void> {
	const button = page.getByRole('button', {name: 'Check now for answers'});
	for (let attempt = 1; attempt <= 3; attempt++) {
		await expect.poll(async () => button.isEnabled(), {timeout: 60_000}).toBe(true);
		await button.click();
		try {
			await expect.poll(shown, {timeout: 10_000}).toBe(true);
			return;
		} catch (error) {
			if (attempt === 3) {
				throw error;
			}
		}
	}
}
