import {describe, expect, test} from 'vitest';
import {createNativeRelay, nativeChannel, type NativeRelayApis, type PortLike} from '../../../lib/background/native-relay.ts';
import {nativeHostName} from '../../../lib/extension-identity.ts';
import {withFallback} from '../../../lib/relay-client/fallback.ts';
import {RelayClientError, type RelayClient} from '../../../lib/relay-client/index.ts';
import {pagesOf, type NativeRequest} from '../../../lib/relay-client/native-protocol.ts';

const account = {user: 'olivia@example.org', password: 'app-pass'};

/** A fake runtime.Port whose host answers each request with `answer`, or, as `missing`, disconnects at once the way Chrome does for an unknown host. */
function fakeBrowser(options: {permission: boolean; missing?: boolean; answer?: (request: NativeRequest) => unknown}): NativeRelayApis & {ports: string[]; requests: NativeRequest[]; push(message: unknown): void} {
	let lastError: string | undefined;
	const requests: NativeRequest[] = [];
	const ports: string[] = [];
	let deliver: (message: unknown) => void = () => undefined;
	return {
		ports,
		requests,
		push(message) {
			deliver(message);
		},
		connectNative: options.permission
			? (name: string): PortLike => {
				ports.push(name);
				const disconnectListeners: Array<(port: unknown) => void> = [];
				const messageListeners: Array<(message: unknown) => void> = [];
				deliver = message => {
					for (const listener of messageListeners) {
						listener(message);
					}
				};

				return {
					postMessage(message) {
						const request = message as NativeRequest;
						requests.push(request);
						queueMicrotask(() => {
							if (options.missing) {
								lastError = 'Specified native messaging host not found.';
								for (const listener of disconnectListeners) {
									listener({});
								}

								lastError = undefined;
								return;
							}

							for (const page of pagesOf(request.id, {ok: true, result: options.answer?.(request)})) {
								deliver(page);
							}
						});
					},
					disconnect() {
						// Chrome: no onDisconnect for the end that disconnects.
					},
					onMessage: {addListener: listener => messageListeners.push(listener)},
					onDisconnect: {addListener: listener => disconnectListeners.push(listener)},
				};
			}
			: undefined,
		lastError: () => lastError,
		hasPermission: async () => options.permission,
	};
}

describe('the set-up the options page shows', () => {
	test('no permission: not allowed (and nothing is started)', async () => {
		const browser = fakeBrowser({permission: false});
		expect(await createNativeRelay(browser, () => undefined).setup()).toEqual({state: 'not-allowed'});
	});

	test('allowed, but Chrome finds no host manifest: not installed', async () => {
		const browser = fakeBrowser({permission: true, missing: true});
		expect(await createNativeRelay(browser, () => undefined).setup()).toEqual({state: 'not-installed'});
		expect(browser.ports).toEqual([nativeHostName]);
	});

	test('connected: the version, and whether the INBOX watch is on', async () => {
		const browser = fakeBrowser({permission: true, answer: request => request.call === 'health' ? {ok: true, version: '0.1.0'} : {watching: true}});
		const relay = createNativeRelay(browser, () => undefined);
		expect(await relay.setup()).toEqual({state: 'connected', version: '0.1.0', watching: false});
		await relay.ensureWatch(account);
		browser.push({event: 'watch', watching: true});
		expect(await relay.setup()).toEqual({state: 'connected', version: '0.1.0', watching: true});
	});
});

describe('the INBOX watch', () => {
	test('new mail, and the watch (re)starting, each run the reply loop', async () => {
		const browser = fakeBrowser({permission: true, answer: () => ({watching: true})});
		let ticks = 0;
		const relay = createNativeRelay(browser, () => {
			ticks++;
		});
		await relay.ensureWatch(account);
		browser.push({event: 'watch', watching: true});
		browser.push({event: 'new-mail', folder: 'INBOX'});
		browser.push({event: 'watch', watching: false, error: {code: 'UNREACHABLE', message: 'gone'}});
		expect(ticks).toBe(2);
	});

	test('asking again for the same account, even many times at once, watches once', async () => {
		const browser = fakeBrowser({permission: true, answer: () => ({watching: true})});
		const relay = createNativeRelay(browser, () => undefined);
		await Promise.all([relay.ensureWatch(account), relay.ensureWatch(account), relay.ensureWatch(account)]);
		expect(browser.requests.filter(request => request.call === 'watch')).toHaveLength(1);
		await relay.ensureWatch({...account, password: 'new'});
		expect(browser.requests.filter(request => request.call === 'watch')).toHaveLength(2);
	});
});

test('nativeChannel without the permission throws, which the client reports as RELAY_NOT_STARTED', () => {
	expect(() => nativeChannel(fakeBrowser({permission: false}))).toThrow(/not allowed/);
});

describe('withFallback', () => {
	function client(fail?: RelayClientError): RelayClient & {calls: number} {
		const state = {calls: 0};
		const run = async (): Promise<never> => {
			state.calls++;
			throw fail ?? new Error('unused');
		};

		return Object.assign(state, {
			health: async () => {
				state.calls++;
				if (fail) {
					throw fail;
				}

				return {ok: true as const, version: 'native'};
			},
			verify: run, send: run, replies: run, move: run,
		});
	}

	test('the HTTP relay answers when the browser could not start the native one', async () => {
		const http: RelayClient = {...client(), health: async () => ({ok: true, version: 'http'})};
		expect(await withFallback(client(new RelayClientError('RELAY_NOT_STARTED', 'not found', 0)), http).health()).toEqual({ok: true, version: 'http'});
	});

	test('a native relay that went away mid-call is not retried over HTTP (the mail may be sent already)', async () => {
		const http = client();
		await expect(withFallback(client(new RelayClientError('RELAY_UNREACHABLE', 'exited', 0)), http).health()).rejects.toMatchObject({code: 'RELAY_UNREACHABLE'});
		expect(http.calls).toBe(0);
	});
});
