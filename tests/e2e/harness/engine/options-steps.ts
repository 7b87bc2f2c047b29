/** A person's steps on the extension's options page, in either browser (driver.ts). */
import type {Endpoint} from '../mailbox.ts';
import type {E2eBrowser, E2ePage} from './driver.ts';

export type OptionsInput = {
	email: string;
	name: string;
	password: string;
	caldavUrl: string;
	/** Plaintext on loopback: the page's "STARTTLS", which the relay skips for 127.0.0.1. */
	imap: Endpoint;
	smtp: Endpoint;
	relayUrl: string;
	relayToken: string;
};

const label = (text: string): string => `[aria-label="${text}"]`;

/** Opens the options page in a new tab and waits for the form (it loads the stored settings first). */
export async function openOptions(browser: E2eBrowser): Promise<E2ePage> {
	return browser.openExtensionPage('options.html', `form${label('Purelymail Invites settings')}`, {width: 900, height: 1000});
}

/** Fills the account, servers and relay the way a person types them; does not save. */
export async function fillOptions(page: E2ePage, input: OptionsInput): Promise<void> {
	await page.fill(label('Purelymail address'), input.email);
	await page.fill(label('Your name'), input.name);
	await page.fill(label('App password'), input.password);
	// "Advanced: servers" unfolds on a click of its summary.
	if (!await page.evaluate(() => document.querySelector('details.pmi-advanced')?.hasAttribute('open') ?? false, undefined)) {
		await page.click('details.pmi-advanced > summary');
	}

	await page.fill(label('CalDAV address'), input.caldavUrl);
	for (const [name, endpoint] of [['IMAP', input.imap], ['SMTP', input.smtp]] as const) {
		await page.fill(label(`${name} server`), endpoint.host);
		await page.fill(label(`${name} port`), String(endpoint.port));
		await page.select(label(`${name} security`), 'starttls');
	}

	// The relay the browser starts itself is the default; these journeys use one at an address.
	if (!await page.evaluate(() => document.querySelector('details.pmi-relay-advanced')?.hasAttribute('open') ?? false, undefined)) {
		await page.click('details.pmi-relay-advanced > summary');
	}

	if (!await page.evaluate(() => document.querySelector<HTMLInputElement>('#pmi-options-relay-mode')?.checked ?? false, undefined)) {
		// The checkbox is drawn as a switch; a person clicks its label.
		await page.click('label.pmi-switch:has(#pmi-options-relay-mode)');
	}

	await page.fill(label('Relay address'), input.relayUrl);
	await page.fill(label('Relay token'), input.relayToken);
}

/** "Find calendars", then waits until the picker holds a calendar; returns the picked calendar's URL. */
export async function findAndPickCalendar(page: E2ePage): Promise<string> {
	await page.click(label('Find calendars on the CalDAV server'));
	await page.waitUntil(() => {
		const select = document.querySelector<HTMLSelectElement>('#pmi-options-calendar');
		return select !== null && select.value !== '' && select.options.length > 0;
	}, undefined);
	// The first calendar found is picked by the page; choosing it again is what a person would confirm.
	const url = await page.value('#pmi-options-calendar');
	await page.select('#pmi-options-calendar', url);
	return url;
}

/**
 * "Test connection", then the report: each row's text by its label ("CalDAV (calendar)", "Relay",
 * "IMAP (reading replies)", "SMTP (sending invitations)").
 */
export async function testConnection(page: E2ePage): Promise<Record<string, string>> {
	if (await page.count('.pmi-report') > 0) {
		throw new Error('testConnection: this page shows a report already; open the options page afresh');
	}

	await page.click(label('Test connection to CalDAV, IMAP and SMTP'));
	// The button is disabled while the test runs, and the report appears when it ends.
	await page.waitUntil(() => {
		const test = document.querySelector<HTMLButtonElement>('button[aria-label="Test connection to CalDAV, IMAP and SMTP"]');
		return test !== null && !test.disabled && document.querySelector('.pmi-report') !== null;
	}, undefined, {timeout: 60_000});
	return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('.pmi-report-row')].map(row => [
		(row.querySelector('.pmi-report-head strong')?.textContent ?? '').trim(),
		(row.textContent ?? '').trim(),
	])), undefined);
}

/** Save, then the "Saved at …" line. */
export async function saveOptions(page: E2ePage): Promise<void> {
	await page.click(label('Save settings'));
	await page.waitUntil(() => [...document.querySelectorAll('.pmi-feedback-ok')].some(line => line.textContent?.includes('Saved at')), undefined);
}
