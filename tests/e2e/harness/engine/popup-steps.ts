/** The toolbar popup, opened as a tab at the popup's size, in either browser (driver.ts). */
import {expect} from 'vitest';
import type {E2eBrowser, E2ePage} from './driver.ts';

const checkNow = 'button[aria-label="Check now for answers"]';

/** Opens the popup and waits for the end of the check it starts on opening (its result line). */
export async function openPopup(browser: E2eBrowser): Promise<E2ePage> {
	const page = await browser.openExtensionPage('popup.html', '.pmi-popup', {width: 400, height: 600});
	await page.waitFor('.pmi-popup-body > .pmi-feedback, .pmi-popup-body > .pmi-box-error', {timeout: 60_000});
	return page;
}

/** Unfolds the attendees of the event card titled `summary`. */
export async function showAttendees(page: E2ePage, summary: string): Promise<void> {
	await page.click(`button.pmi-event-toggle[aria-label^=${JSON.stringify(`${summary},`)}][aria-expanded="false"]`);
}

/** The event card titled `summary`: its counts line and each attendee's answer as shown, by address. */
export async function eventCard(page: E2ePage, summary: string): Promise<{counts: string; answers: Record<string, string>} | undefined> {
	return page.evaluate(title => {
		const card = [...document.querySelectorAll('.pmi-event')].find(item => item.querySelector('.pmi-event-summary')?.textContent === title);
		if (!card) {
			return undefined;
		}

		const answers: Record<string, string> = {};
		for (const row of card.querySelectorAll('.pmi-attendee')) {
			const email = row.querySelector('.pmi-attendee-email')?.textContent ?? row.querySelector('.pmi-attendee-name')?.getAttribute('title') ?? '';
			answers[email] = row.querySelector('.pmi-status')?.textContent ?? '';
		}

		return {counts: card.querySelector('.pmi-event-counts')?.textContent ?? '', answers};
	}, summary);
}

/**
 * Clicks "Check now" (once the check running is over) until `shown` holds, at most three times: a check the
 * background's alarm began before the mail arrived may be the one the click joins.
 */
export async function checkNowUntil(page: E2ePage, shown: () => Promise<boolean>): Promise<void> {
	for (let attempt = 1; attempt <= 3; attempt++) {
		await page.waitUntil(selector => document.querySelector<HTMLButtonElement>(selector)?.disabled === false, checkNow, {timeout: 60_000});
		await page.click(checkNow);
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
