/** The invitation card the content script puts above a message in Roundcube (issue 13), seen from a test. */
import type {Frame, FrameLocator, Locator, Page} from 'playwright-core';
import {saveScreenshot} from './artifacts.ts';
import {setDarkMode} from './roundcube.ts';

/** The card's host element in a page or frame, the preview pane's included (a shadow root: Playwright's CSS locators pierce it). */
export function invitationCard(scope: Page | Frame | FrameLocator): Locator {
	return scope.locator('[data-pmi-card]');
}

/** Opens the INBOX message `uid` on its own page (Roundcube's full view) and waits for the card. */
export async function showMessage(page: Page, webmailUrl: string, uid: number, mailbox = 'INBOX'): Promise<Locator> {
	await page.goto(new URL(`?_task=mail&_action=show&_uid=${uid}&_mbox=${encodeURIComponent(mailbox)}`, webmailUrl).href);
	const shown = invitationCard(page);
	await shown.waitFor({timeout: 60_000});
	return shown;
}

/** Both themes of the card as it is now, as tests/e2e/artifacts/card-<name>-light.png and -dark.png. */
export async function shootCard(page: Page, name: string, shown: Locator): Promise<void> {
	for (const dark of [false, true]) {
		await setDarkMode(page, dark);
		await shown.scrollIntoViewIfNeeded();
		await saveScreenshot(page, `card-${name}-${dark ? 'dark' : 'light'}`);
	}

	await setDarkMode(page, false);
}
