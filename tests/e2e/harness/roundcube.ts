/** A person's steps in Roundcube's Elastic skin. */
import type {Page} from 'playwright-core';

export async function logIn(page: Page, baseUrl: string, user: string, password: string): Promise<void> {
	await page.goto(baseUrl);
	await page.fill('#rcmloginuser', user);
	await page.fill('#rcmloginpwd', password);
	await Promise.all([
		page.waitForURL(/_task=mail/),
		page.click('#rcmloginsubmit'),
	]);
	// As a person does, wait until the mail screen has finished loading: its list and unread-count requests each
	// write the whole Roundcube session when they end, and one that ends after compose has saved its compose session
	// writes its older copy over it, so Roundcube answers "Requested compose session not found" (seen in a CI run's
	// failure evidence: `getunread` ended after `compose`).
	await page.waitForLoadState('networkidle');
}

export async function openCompose(page: Page, baseUrl: string): Promise<void> {
	await page.goto(new URL('?_task=mail&_action=compose', baseUrl).href);
	await page.waitForSelector('#compose-subject');
}

/**
 * Types addresses into the To field through Elastic's recipient widget (the visible `ul.recipient-input`, not the
 * hidden `#_to`), each followed by a comma as a person separates them, then leaves the field.
 */
export async function typeRecipients(page: Page, addresses: string[]): Promise<void> {
	const input = page.locator('#compose_to ul.recipient-input input');
	await input.click();
	await page.keyboard.type(addresses.map(address => `${address}, `).join(''));
	await page.locator('#compose-subject').click();
	// The widget turns each finished address into a box; the hidden textarea Roundcube sends from holds them all.
	await page.waitForFunction(expected => {
		const to = document.querySelector<HTMLTextAreaElement>('#_to')?.value ?? '';
		return expected.every(address => to.includes(address));
	}, addresses);
}

/** Elastic's dark mode is the class `dark-mode` on the html element (what its "Dark mode" switch toggles). */
export async function setDarkMode(page: Page, dark: boolean): Promise<void> {
	await page.evaluate(on => {
		document.documentElement.classList.toggle('dark-mode', on);
	}, dark);
}

/**
 * After the invite composer has sent the invitation on its own: its "Discard the e-mail draft", then Roundcube's
 * question about the unsaved changes, back to the message list.
 */
export async function discardComposeDraft(page: Page): Promise<void> {
	await page.locator('purelymail-invites-composer').getByRole('button', {name: 'Discard the e-mail draft'}).click();
	await page.getByRole('dialog').getByRole('button', {name: 'Discard'}).click();
	await page.waitForURL(url => !url.search.includes('_action=compose'));
	await page.locator('#messagelist').waitFor({state: 'attached'});
}
