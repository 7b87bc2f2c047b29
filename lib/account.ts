/** Small derivations from the account and settings, used by the background and the invite flow. */
import type {Account, Settings} from './model.ts';
import type {RelayAccount} from './relay-client/types.ts';

/** The account as the relay needs it, with the servers from the settings. */
export function relayAccountOf(account: Account, settings: Pick<Settings, 'servers'>): RelayAccount {
	return {
		user: account.email,
		password: account.password,
		imap: settings.servers.imap,
		smtp: settings.servers.smtp,
		...(account.aliases.length > 0 ? {allowedSenders: account.aliases} : {}),
	};
}

/** The user's own addresses: replies to events organized by any of them are ours. */
export function ownAddresses(account: Account): string[] {
	return [account.email, ...account.aliases].map(address => address.trim().toLowerCase());
}
