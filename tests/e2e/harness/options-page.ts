/** A person's steps on the extension's options page (chrome-extension://<id>/options.html). */
import type {BrowserContext, Page} from 'playwright-core';
import type {Endpoint} from './mailbox.ts';

export type AccountInput = {
	email: string;
	name?: string;
	password: string;
	caldavUrl: string;
	/** Plaintext on loopback: the page's "STARTTLS", which the relay skips for 127.0.0.1. */
	imap: Endpoint;
	smtp: Endpoint;
};

export type OptionsInput = AccountInput & {
	relayUrl: string;
	relayToken: string;
};

export function optionsUrl(extensionId: string): string {
	return `chrome-extension://${extensionId}/options.html`;
}

/** Opens the options page in a new tab and waits for the form (it loads the stored settings first). */
export async function openOptions(context: BrowserContext, extensionId: string): Promise<Page> {
	const page = await context.newPage();
	await page.setViewportSize({width: 900, height: 1000});
	await page.goto(optionsUrl(extensionId));
	await page.getByRole('form', {name: 'Purelymail Invites settings'}).waitFor();
	return page;
}

/** Unfolds "Advanced: servers" unless it is open already. */
export async function openAdvanced(page: Page): Promise<void> {
	const advanced = page.locator('details.pmi-advanced');
	if (await advanced.getAttribute('open') === null) {
		await advanced.locator('summary').click();
	}

	await page.getByLabel('CalDAV address', {exact: true}).waitFor();
}

/** Fills the account, servers and relay the way a person types them; does not save. */
export async function fillOptions(page: Page, input: OptionsInput): Promise<void> {
	await fillAccount(page, input);
	await useHttpRelay(page);
	await page.getByLabel('Relay address', {exact: true}).fill(input.relayUrl);
	await page.getByLabel('Relay token', {exact: true}).fill(input.relayToken);
}

/** Fills the account and its servers, leaving the relay as it is (the one the browser starts, by default); does not save. */
export async function fillAccount(page: Page, input: AccountInput): Promise<void> {
	await page.getByLabel('Purelymail address', {exact: true}).fill(input.email);
	if (input.name !== undefined) {
		await page.getByLabel('Your name', {exact: true}).fill(input.name);
	}

	await page.getByLabel('App password', {exact: true}).fill(input.password);
	await openAdvanced(page);
	await page.getByLabel('CalDAV address', {exact: true}).fill(input.caldavUrl);
	for (const [label, endpoint] of [['IMAP', input.imap], ['SMTP', input.smtp]] as const) {
		await page.getByLabel(`${label} server`, {exact: true}).fill(endpoint.host);
		await page.getByLabel(`${label} port`, {exact: true}).fill(String(endpoint.port));
		await page.getByLabel(`${label} security`, {exact: true}).selectOption('starttls');
	}
}

/** Unfolds "Advanced: a relay on another machine" and switches to it (the relay the browser starts is the default). */
export async function useHttpRelay(page: Page): Promise<void> {
	const advanced = page.locator('details.pmi-relay-advanced');
	if (await advanced.getAttribute('open') === null) {
		await advanced.locator('summary').click();
	}

	const toggle = page.getByRole('switch', {name: 'Use a relay at this address instead'});
	if (!await toggle.isChecked()) {
		// The checkbox is drawn as a switch; a person clicks its label.
		await page.locator('label.pmi-switch', {hasText: 'Use a relay at this address instead'}).click();
	}

	await page.getByLabel('Relay address', {exact: true}).waitFor();
}

/** "Find calendars", then waits until the picker holds a calendar; returns the picked calendar's URL. */
export async function findAndPickCalendar(page: Page): Promise<string> {
	await page.getByRole('button', {name: 'Find calendars on the CalDAV server'}).click();
	const picker = page.getByLabel('Calendar', {exact: true});
	await page.waitForFunction(() => {
		const select = document.querySelector<HTMLSelectElement>('#pmi-options-calendar');
		return select !== null && select.value !== '' && select.options.length > 0;
	});
	// The first calendar found is picked by the page; choosing it again is what a person would confirm.
	const url = await picker.inputValue();
	await picker.selectOption(url);
	return url;
}

/** Save, then the "Saved at …" line. */
export async function saveOptions(page: Page): Promise<void> {
	await page.getByRole('button', {name: 'Save settings'}).click();
	await page.locator('.pmi-feedback-ok').filter({hasText: 'Saved at'}).waitFor();
}

/**
 * "Test connection", then the report (one row per check); returns each row's text by its label
 * ("CalDAV (calendar)", "Relay", "IMAP (reading replies)", "SMTP (sending invitations)").
 * For a page that shows no report yet: the wait is for the first one to appear.
 */
export async function testConnection(page: Page): Promise<Record<string, string>> {
	if (await page.locator('.pmi-report').count() > 0) {
		throw new Error('testConnection: this page shows a report already; open the options page afresh');
	}

	const button = page.getByRole('button', {name: 'Test connection to CalDAV, IMAP and SMTP'});
	await button.click();
	// The button is disabled while the test runs, and the report replaces the last one when it ends.
	await page.waitForFunction(() => {
		const test = document.querySelector<HTMLButtonElement>('button[aria-label="Test connection to CalDAV, IMAP and SMTP"]');
		return test !== null && !test.disabled && document.querySelector('.pmi-report') !== null;
	});
	const rows: Record<string, string> = {};
	for (const row of await page.locator('.pmi-report-row').all()) {
		const label = (await row.locator('.pmi-report-head strong').textContent() ?? '').trim();
		rows[label] = (await row.textContent() ?? '').trim();
	}

	return rows;
}
