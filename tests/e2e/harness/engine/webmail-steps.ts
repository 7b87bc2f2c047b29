/** A person's steps in Roundcube's Elastic skin, in either browser (driver.ts). */
import type {E2ePage} from './driver.ts';

export async function logIn(page: E2ePage, baseUrl: string, user: string, password: string): Promise<void> {
	await page.goto(baseUrl);
	await page.fill('#rcmloginuser', user);
	await page.fill('#rcmloginpwd', password);
	await page.click('#rcmloginsubmit');
	// The mail screen's message list: a wait for an element outlives the navigation, a page function would not.
	await page.waitFor('#messagelist');
	await settle(page);
}

/**
 * Waits, as a person does, until the mail screen has finished loading: its list and unread-count requests run in
 * other PHP workers, and each writes the whole Roundcube session when it ends. Opening compose while they run lets
 * one of them write its older copy over the compose session that compose had just saved, and Roundcube answers
 * "Requested compose session not found" (seen in a CI run's failure evidence: `getunread` ended after `compose`).
 */
async function settle(page: E2ePage): Promise<void> {
	await page.waitForNetworkIdle();
}

export async function openCompose(page: E2ePage, baseUrl: string): Promise<void> {
	await page.goto(new URL('?_task=mail&_action=compose', baseUrl).href);
	await page.waitFor('#compose-subject');
}

/**
 * Types addresses into the To field through Elastic's recipient widget (the visible `ul.recipient-input`, not the
 * hidden `#_to`), each followed by a comma as a person separates them, then leaves the field.
 */
export async function typeRecipients(page: E2ePage, addresses: string[]): Promise<void> {
	await page.click('#compose_to ul.recipient-input input');
	await page.type(addresses.map(address => `${address}, `).join(''));
	await page.click('#compose-subject');
	// The widget turns each finished address into a box; the hidden textarea Roundcube sends from holds them all.
	await page.waitUntil(expected => {
		const to = document.querySelector<HTMLTextAreaElement>('#_to')?.value ?? '';
		return expected.every(address => to.includes(address));
	}, addresses);
}

/** The invite composer's shadow root, for selectors (driver.ts). */
export const composer = 'purelymail-invites-composer >>>';
