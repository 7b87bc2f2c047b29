/**
 * The account, settings and clients the background acts with, read fresh from storage for each piece of work
 * (a service worker may be stopped and started at any time, so nothing is kept between events).
 */
import {createCaldavClient, type CaldavClient} from '../caldav/index.ts';
import type {Account, Settings} from '../model.ts';
import {withFallback} from '../relay-client/fallback.ts';
import {createRelayClient, RelayClientError, relayClientOver, type RelayClient} from '../relay-client/index.ts';
import {accountItem, settingsItem} from '../storage.ts';
import type {NativeRelay} from './native-relay.ts';

export type Context = {settings: Settings; account: Account; caldav: CaldavClient; relay: RelayClient};

/** What is still missing before invitations can go out, in the options page's words; empty when ready. */
export function missingSetup(settings: Settings, account: Account | null): string[] {
	const missing: string[] = [];
	if (!account?.email || !account.password) {
		missing.push('your Purelymail address and app password');
	}

	// The relay the browser starts needs no token.
	if (settings.relayMode === 'http' && !settings.relayToken) {
		missing.push('the relay token');
	}

	if (!settings.calendarUrl) {
		missing.push('a calendar');
	}

	return missing;
}

let nativeRelay: NativeRelay | undefined;

/** The background's native relay (entrypoints/background.ts sets it at start). */
export function useNativeRelay(relay: NativeRelay | undefined): void {
	nativeRelay = relay;
}

/**
 * The relay client the settings ask for: the one the browser starts, falling back to the HTTP relay when a token
 * for one is set and the browser cannot start its own; or the HTTP relay alone.
 */
export function relayClientFor(settings: Settings): RelayClient {
	const http = settings.relayToken ? createRelayClient({url: settings.relayUrl, token: settings.relayToken}) : undefined;
	if (settings.relayMode === 'native' && nativeRelay) {
		return withFallback(nativeRelay.client, http);
	}

	return http ?? relayClientOver(async () => {
		throw new RelayClientError('AUTH_REQUIRED', 'No relay token is set', 0);
	});
}

export function clientsFor(settings: Settings, account: Account): Pick<Context, 'caldav' | 'relay'> {
	return {
		caldav: createCaldavClient({username: account.email, password: account.password}),
		relay: relayClientFor(settings),
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
