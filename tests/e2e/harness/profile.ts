/**
 * One person's browser profile: Debian's Chromium with the built extension, set up on its options page for that
 * person's sandbox account (their CalDAV calendar, IMAP, SMTP and the HTTP relay), and their Roundcube. The e2e
 * journeys open one per person: the organizer's, and each attendee's who also uses the extension.
 */
import type {Page} from 'playwright-core';
import type {RunningSandbox, SandboxAccount} from '../../sandbox/index.ts';
import {launchWithExtension, type ExtensionBrowser} from './browser.ts';
import {fillOptions, findAndPickCalendar, openOptions, saveOptions} from './options-page.ts';
import {logIn} from './roundcube.ts';
import type {TlsFront} from './tls-front.ts';

export type ProfileServers = {
	sandbox: RunningSandbox;
	relay: {url: string; token: string};
	/** Roundcube behind HTTPS at `https://<webmailHost>/` (the content script's real match patterns). */
	front: TlsFront;
	webmailHost: string;
};

export type Profile = {
	account: SandboxAccount;
	browser: ExtensionBrowser;
	/** The calendar picked on the options page (the account's first on Radicale). */
	calendarUrl: string;
	webmailUrl: string;
	/** A new tab at a desktop size, logged in to Roundcube as the account. */
	openWebmail(): Promise<Page>;
	close(): Promise<void>;
};

/** Launches a fresh profile and sets the extension up for `account`, as a person does on the options page. */
export async function openProfile(account: SandboxAccount, servers: ProfileServers, options: {timezoneId?: string} = {}): Promise<Profile> {
	const {sandbox, relay, front, webmailHost} = servers;
	const browser = await launchWithExtension({hostMap: {[webmailHost]: front.port}, trustedKeys: [front.spkiHash], ...options});
	try {
		const page = await openOptions(browser.context, browser.extensionId);
		await fillOptions(page, {
			email: account.email, name: account.name, password: account.password, caldavUrl: sandbox.caldav.url,
			imap: sandbox.imap, smtp: sandbox.smtp, relayUrl: relay.url, relayToken: relay.token,
		});
		const calendarUrl = await findAndPickCalendar(page);
		await saveOptions(page);
		await page.close();
		const webmailUrl = `https://${webmailHost}/`;
		return {
			account,
			browser,
			calendarUrl,
			webmailUrl,
			async openWebmail() {
				const webmail = await browser.context.newPage();
				await webmail.setViewportSize({width: 1280, height: 900});
				await logIn(webmail, webmailUrl, account.email, account.password);
				return webmail;
			},
			close: async () => browser.close(),
		};
	} catch (error) {
		await browser.close();
		throw error;
	}
}
