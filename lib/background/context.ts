/**
 * The account, settings and clients the background acts with, read fresh from storage for each piece of work
 * (a service worker may be stopped and started at any time, so nothing is kept between events).
 */
import {createCaldavClient, type CaldavClient} from '../caldav/index.ts';
import type {Account, Settings} from '../model.ts';
import {createRelayClient, type RelayClient} from '../relay-client/index.ts';
import {accountItem, settingsItem} from '../storage.ts';

export type Context = {settings: Settings; account: Account; caldav: CaldavClient; relay: RelayClient};

/** What is still missing before invitations can go out, in the options page's words; empty when ready. */
export function missingSetup(settings: Settings, account: Account | null): string[] {
	const missing: string[] = [];
	if (!account?.email || !account.password) {
		missing.push('your Purelymail address and app password');
	}

	if (!settings.relayToken) {
		missing.push('the relay token');
	}

	if (!settings.calendarUrl) {
		missing.push('a calendar');
	}

	return missing;
}

export function clientsFor(settings: Settings, account: Account): Pick<Context, 'caldav' | 'relay'> {
	return {
		caldav: createCaldavClient({username: account.email, password: account.password}),
		relay: createRelayClient({url: settings.relayUrl, token: settings.relayToken}),
	};
}

/** The context, or undefined when setup is not finished. */
export async function loadContext(): Promise<Context | undefined> {
	const [settings, account] = await Promise.all([settingsItem.getValue(), accountItem.getValue()]);
	if (!account || missingSetup(settings, account).length > 0) {
		return undefined;
	}

	return {settings, account, ...clientsFor(settings, account)};
}
