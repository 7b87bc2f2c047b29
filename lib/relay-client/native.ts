/**
 * The relay client over native messaging: the browser starts `purelymail-invites-relay native` and the calls go
 * over its stdio (./native-protocol.ts). Same methods and errors as the HTTP client, plus the INBOX watch.
 * The channel is opened on the first call and again after it closes; while it is open Chrome keeps the
 * extension's service worker alive.
 */
import {RelayClientError, relayClientOver, type CallOptions, type RelayClient} from './index.ts';
import {isNativeEvent, isNativePage, type NativeEvent, type NativeOutcome, type NativeRequest, type WatchResponse} from './native-protocol.ts';
import type {RelayAccount} from './types.ts';

/**
 * A connection to the host, as the extension's adapter (browser.runtime.connectNative) or a test's (a child
 * process) provides it.
 */
export type NativeChannel = {
	post(message: NativeRequest): void;
	close(): void;
	onMessage(listener: (message: unknown) => void): void;
	/** The host went away: not installed, not allowed, exited, or close() was called. `reason` is the browser's words. */
	onClose(listener: (reason: string | undefined) => void): void;
};

export type NativeRelayClientOptions = {
	/** Opens a channel; may throw (no nativeMessaging permission), which fails the call as RELAY_UNREACHABLE. */
	connect: () => NativeChannel;
	/** Give up on a call after this many ms. Default 60 000. */
	timeoutMs?: number;
};

export type NativeRelayClient = RelayClient & {
	/** Keep IMAP IDLE on the account's INBOX; `new-mail` events follow. One watch at a time; this replaces any other. */
	watch(account: RelayAccount, call?: CallOptions): Promise<WatchResponse>;
	unwatch(call?: CallOptions): Promise<WatchResponse>;
	/** Events the host sends unasked; returns the unsubscribe function. */
	onEvent(listener: (event: NativeEvent) => void): () => void;
	/** Called when the channel closes, with the browser's reason (e.g. "Specified native messaging host not found."). */
	onClose(listener: (reason: string | undefined) => void): () => void;
	/** True while a channel is open. */
	readonly connected: boolean;
	/** Closes the channel (the host exits); the next call opens a new one. */
	close(): void;
};

type Pending = {
	chunks: string[];
	received: number;
	resolve(value: unknown): void;
	reject(error: Error): void;
	cleanup(): void;
};

export function createNativeRelayClient(options: NativeRelayClientOptions): NativeRelayClient {
	const timeoutMs = options.timeoutMs ?? 60_000;
	const pending = new Map<number, Pending>();
	const eventListeners = new Set<(event: NativeEvent) => void>();
	const closeListeners = new Set<(reason: string | undefined) => void>();
	let channel: NativeChannel | undefined;
	/** Whether the current channel's host has said anything: a host that never did was never started. */
	let heard = false;
	let nextId = 1;

	const onPage = (message: unknown): void => {
		heard = true;
		if (isNativeEvent(message)) {
			for (const listener of eventListeners) {
				listener(message);
			}

			return;
		}

		if (!isNativePage(message)) {
			return;
		}

		const call = pending.get(message.id);
		if (!call || message.pages > 10_000 || call.chunks[message.page] !== undefined) {
			return;
		}

		call.chunks[message.page] = message.chunk;
		call.received++;
		if (call.received < message.pages) {
			return;
		}

		call.cleanup();
		let outcome: NativeOutcome;
		try {
			outcome = JSON.parse(call.chunks.join('')) as NativeOutcome;
		} catch (error) {
			call.reject(new RelayClientError('BAD_RESPONSE', 'The relay\'s native host answered something that is not JSON', 0, {cause: error}));
			return;
		}

		if (outcome.ok) {
			call.resolve(outcome.result);
		} else {
			call.reject(new RelayClientError(outcome.error.code, outcome.error.message, 0));
		}
	};

	/** The channel is gone: every call waiting on it fails, and the listeners hear why. */
	const closed = (gone: NativeChannel, reason: string | undefined): void => {
		if (channel !== gone) {
			return;
		}

		channel = undefined;
		const code = heard ? 'RELAY_UNREACHABLE' : 'RELAY_NOT_STARTED';
		for (const call of [...pending.values()]) {
			call.cleanup();
			call.reject(new RelayClientError(code, `The relay (started by the browser) is not there: ${reason ?? 'it exited'}`, 0));
		}

		for (const listener of closeListeners) {
			listener(reason);
		}
	};

	const open = (): NativeChannel => {
		if (channel) {
			return channel;
		}

		const opened = options.connect();
		channel = opened;
		heard = false;
		opened.onMessage(onPage);
		opened.onClose(reason => {
			closed(opened, reason);
		});
		return opened;
	};

	async function call(name: NativeRequest['call'], body: unknown, callOptions: CallOptions = {}): Promise<unknown> {
		const id = nextId++;
		return new Promise((resolve, reject) => {
			const signal = callOptions.signal;
			const timer = setTimeout(() => {
				entry.cleanup();
				reject(new RelayClientError('RELAY_UNREACHABLE', `The relay (started by the browser) did not answer in ${timeoutMs / 1000} s`, 0));
			}, timeoutMs);
			const onAbort = (): void => {
				entry.cleanup();
				reject(signal?.reason instanceof Error ? signal.reason : new Error('Aborted'));
			};

			const entry: Pending = {
				chunks: [],
				received: 0,
				resolve,
				reject,
				cleanup() {
					clearTimeout(timer);
					signal?.removeEventListener('abort', onAbort);
					pending.delete(id);
				},
			};
			if (signal?.aborted) {
				onAbort();
				return;
			}

			signal?.addEventListener('abort', onAbort, {once: true});
			pending.set(id, entry);
			try {
				open().post({id, call: name, ...(body === undefined ? {} : {body})});
			} catch (error) {
				entry.cleanup();
				reject(new RelayClientError('RELAY_NOT_STARTED', `The browser could not start the relay: ${error instanceof Error ? error.message : String(error)}`, 0, {cause: error}));
			}
		});
	}

	return {
		...relayClientOver(call),
		watch: async (account, callOptions) => call('watch', {account}, callOptions) as Promise<WatchResponse>,
		unwatch: async callOptions => call('unwatch', undefined, callOptions) as Promise<WatchResponse>,
		onEvent(listener) {
			eventListeners.add(listener);
			return () => eventListeners.delete(listener);
		},
		onClose(listener) {
			closeListeners.add(listener);
			return () => closeListeners.delete(listener);
		},
		get connected() {
			return channel !== undefined;
		},
		close() {
			const current = channel;
			// A port closed from this end hears no onDisconnect of its own.
			current?.close();
			if (current) {
				closed(current, 'closed by the extension');
			}
		},
	};
}
