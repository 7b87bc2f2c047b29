/**
 * The relay the browser starts (native messaging), as the background holds it: one client for the worker's
 * life, the INBOX watch on it, and the set-up state the options page shows. The browser's APIs come in through
 * NativeRelayApis, so this runs under unit tests with fakes.
 */
import {nativeHostName} from '../extension-identity.ts';
import type {NativeRelaySetup} from '../messaging.ts';
import {createNativeRelayClient, type NativeChannel, type NativeRelayClient} from '../relay-client/native.ts';
import type {RelayAccount} from '../relay-client/types.ts';

/** The permission asked for when the user picks this relay (optional in the manifest). */
export const nativeMessagingPermission = 'nativeMessaging';

/** The shape of a runtime.Port, as much as we use. */
export type PortLike = {
	postMessage(message: unknown): void;
	disconnect(): void;
	onMessage: {addListener(listener: (message: unknown) => void): void};
	onDisconnect: {addListener(listener: (port: unknown) => void): void};
};

export type NativeRelayApis = {
	/** runtime.connectNative; undefined while the permission is not granted (Chrome leaves it off the API then). */
	connectNative: ((name: string) => PortLike) | undefined;
	/** runtime.lastError's message, which Chrome sets during onDisconnect. */
	lastError(): string | undefined;
	hasPermission(): Promise<boolean>;
};

/** A channel over runtime.connectNative. */
export function nativeChannel(apis: NativeRelayApis): NativeChannel {
	if (!apis.connectNative) {
		throw new Error('The extension is not allowed to start the relay yet (nativeMessaging permission)');
	}

	const port = apis.connectNative(nativeHostName);
	return {
		post(message) {
			port.postMessage(message);
		},
		close() {
			port.disconnect();
		},
		onMessage(listener) {
			port.onMessage.addListener(listener);
		},
		onClose(listener) {
			port.onDisconnect.addListener(gone => {
				// Firefox puts the reason on the port, Chrome in runtime.lastError.
				const error = (gone as {error?: {message?: string} | null} | undefined)?.error;
				listener(error?.message ?? apis.lastError());
			});
		},
	};
}

/** Chrome's and Firefox's words for "no manifest for this host name" (versus one that exists but failed). */
const notInstalledPattern = /not found|No such native application/i;

export type NativeRelay = {
	client: NativeRelayClient;
	/** Keeps IDLE on the account's INBOX (again, after the host went away); calls onNewMail for each arrival. */
	ensureWatch(account: RelayAccount): Promise<void>;
	stopWatch(): Promise<void>;
	/** Where the set-up stands: not allowed yet, not installed, or connected (with the version and whether IDLE is on). */
	setup(): Promise<NativeRelaySetup>;
};

export function createNativeRelay(apis: NativeRelayApis, onNewMail: () => void): NativeRelay {
	const client = createNativeRelayClient({connect: () => nativeChannel(apis)});
	let watching = false;
	let watchedAccount: string | undefined;
	client.onEvent(event => {
		if (event.event === 'watch') {
			watching = event.watching;
		}

		// New mail, and every (re)start of the watch: mail may have come while nobody was watching.
		if (event.event === 'new-mail' || (event.event === 'watch' && event.watching)) {
			onNewMail();
		}
	});
	client.onClose(() => {
		watching = false;
		watchedAccount = undefined;
	});

	// Watch changes one at a time: several events at start-up (settings, account, permission) ask at once.
	let queue: Promise<unknown> = Promise.resolve();
	const serially = async (work: () => Promise<void>): Promise<void> => {
		const result = queue.then(work);
		queue = result.catch(() => undefined);
		return result;
	};

	return {
		client,
		ensureWatch: async account => serially(async () => {
			const key = JSON.stringify(account);
			if (client.connected && watchedAccount === key) {
				return;
			}

			await client.watch(account);
			watchedAccount = key;
		}),
		stopWatch: async () => serially(async () => {
			watchedAccount = undefined;
			if (client.connected) {
				await client.unwatch();
			}
		}),
		async setup() {
			if (!await apis.hasPermission()) {
				return {state: 'not-allowed'};
			}

			try {
				const health = await client.health();
				return {state: 'connected', version: health.version, watching};
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				return notInstalledPattern.test(message) ? {state: 'not-installed'} : {state: 'failed', message};
			}
		},
	};
}
