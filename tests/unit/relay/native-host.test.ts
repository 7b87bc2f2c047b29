import {describe, expect, test} from 'vitest';
import {RelayClientError} from '../../../lib/relay-client/index.ts';
import {createNativeRelayClient, type NativeChannel} from '../../../lib/relay-client/native.ts';
import {chunkText, maxChunkLength, pagesOf, type NativeEvent, type NativeRequest} from '../../../lib/relay-client/native-protocol.ts';
import {encodeMessage, FramingError, MessageDecoder} from '../../../relay/native/framing.ts';
import type {InboxWatchOptions} from '../../../relay/native/inbox-watch.ts';
import {relayVersion} from '../../../relay/version.ts';
import {inProcessChannel} from '../../helpers/native-channel.ts';

/** Chrome's limit on one message from a host. */
const chromeLimit = 1024 * 1024;

describe('framing', () => {
	test('a message cut anywhere comes out whole, and two in one read come out as two', () => {
		const frames = Buffer.concat([encodeMessage({id: 1, call: 'health'}), encodeMessage({text: 'é€😀'})]);
		for (let cut = 0; cut <= frames.length; cut++) {
			const decoder = new MessageDecoder(1000);
			const messages = [...decoder.push(frames.subarray(0, cut)), ...decoder.push(frames.subarray(cut))];
			expect(messages).toEqual([{id: 1, call: 'health'}, {text: 'é€😀'}]);
			expect(decoder.pending).toBe(0);
		}
	});

	test('a length over the limit is refused before its bytes arrive', () => {
		const decoder = new MessageDecoder(10);
		expect(() => decoder.push(encodeMessage('x'.repeat(20)).subarray(0, 4))).toThrow(FramingError);
	});

	test('a message that is not JSON is a framing error', () => {
		const bad = Buffer.alloc(7);
		bad.writeUInt32LE(3, 0);
		bad.write('{{{', 4);
		expect(() => new MessageDecoder(100).push(bad)).toThrow(/not JSON/);
	});
});

describe('pages', () => {
	test.each([
		['plain text', 'a'.repeat(3 * maxChunkLength + 17)],
		['control characters (6 bytes each once JSON-encoded)', '\u0001'.repeat(2 * maxChunkLength)],
		['emoji (surrogate pairs) across every cut', '😀'.repeat(maxChunkLength)],
	])('%s: every page under 1 MB, and the pages join to the text', (_name, text) => {
		const pages = pagesOf(7, {ok: true, result: text});
		for (const page of pages) {
			expect(encodeMessage(page).length - 4).toBeLessThan(chromeLimit);
			expect(page.pages).toBe(pages.length);
		}

		expect(JSON.parse(pages.map(page => page.chunk).join(''))).toEqual({ok: true, result: text});
	});

	test('a chunk never ends in half a surrogate pair', () => {
		for (const chunk of chunkText('a😀'.repeat(10), 4)) {
			expect(chunk).toBe(chunk.toWellFormed());
		}
	});

	test('an empty answer is one page', () => {
		expect(chunkText('')).toEqual(['']);
	});
});

/** A channel whose host answers every call with `outcome`, in pages of `pageLength`, and records the requests. */
function scriptedChannel(answer: (request: NativeRequest) => unknown, pageLength: number): NativeChannel & {requests: NativeRequest[]; emit(message: unknown): void; hangUp(reason: string): void} {
	let onMessage: (message: unknown) => void = () => undefined;
	let onClose: (reason: string | undefined) => void = () => undefined;
	const requests: NativeRequest[] = [];
	return {
		requests,
		post(request) {
			requests.push(request);
			queueMicrotask(() => {
				const result = answer(request);
				const pages = pagesOf(request.id, result instanceof RelayClientError ? {ok: false, error: {code: 'UPSTREAM', message: result.message}} : {ok: true, result}, pageLength);
				for (const page of pages) {
					onMessage(page);
				}
			});
		},
		close() {
			// A port closed from this end hears nothing back.
		},
		onMessage(listener) {
			onMessage = listener;
		},
		onClose(listener) {
			onClose = listener;
		},
		emit(message) {
			onMessage(message);
		},
		hangUp(reason) {
			onClose(reason);
		},
	};
}

describe('the native client', () => {
	test('reassembles an answer sent in many pages', async () => {
		const big = {messages: [], cursor: {folders: {}}, notices: [], padding: 'x'.repeat(5000)};
		const channel = scriptedChannel(() => big, 100);
		const client = createNativeRelayClient({connect: () => channel});
		expect(await client.replies({account: {user: 'a@example.com', password: 'p'}})).toEqual(big);
		expect(channel.requests).toEqual([{id: 1, call: 'replies', body: {account: {user: 'a@example.com', password: 'p'}}}]);
	});

	test('an error outcome rejects with its code', async () => {
		const client = createNativeRelayClient({connect: () => scriptedChannel(() => new RelayClientError('UPSTREAM', 'no', 0), 10)});
		await expect(client.health()).rejects.toMatchObject({name: 'RelayClientError', code: 'UPSTREAM', message: 'no'});
	});

	test('a host that is not there fails the call as RELAY_NOT_STARTED with the browser\'s words, and the next call connects again', async () => {
		let connects = 0;
		const channel = scriptedChannel(() => ({ok: true, version: '1'}), 100);
		const client = createNativeRelayClient({connect: () => {
			connects++;
			if (connects === 1) {
				const dead = scriptedChannel(() => undefined, 1);
				dead.post = () => {
					queueMicrotask(() => {
						dead.hangUp('Specified native messaging host not found.');
					});
				};

				return dead;
			}

			return channel;
		}});
		await expect(client.health()).rejects.toMatchObject({code: 'RELAY_NOT_STARTED', message: expect.stringMatching(/host not found/) as string});
		expect(client.connected).toBe(false);
		expect(await client.health()).toEqual({ok: true, version: '1'});
		expect(connects).toBe(2);
	});

	test('no permission (connect throws) is RELAY_NOT_STARTED too', async () => {
		const client = createNativeRelayClient({connect: () => {
			throw new TypeError('browser.runtime.connectNative is not a function');
		}});
		await expect(client.health()).rejects.toMatchObject({code: 'RELAY_NOT_STARTED'});
	});

	test('a host that answered once and then exits fails what is pending as RELAY_UNREACHABLE (it may have acted)', async () => {
		const channel = scriptedChannel(() => ({ok: true, version: '1'}), 100);
		const client = createNativeRelayClient({connect: () => channel});
		await client.health();
		channel.post = () => undefined;
		const pending = client.send({account: {user: 'a@example.com', password: 'p'}, envelope: {from: 'a@example.com', to: ['b@example.com']}, raw: 'x'});
		channel.hangUp('Native host has exited.');
		await expect(pending).rejects.toMatchObject({code: 'RELAY_UNREACHABLE'});
	});

	test('events reach the listeners', () => {
		const channel = scriptedChannel(() => ({watching: true}), 100);
		const client = createNativeRelayClient({connect: () => channel});
		const events: NativeEvent[] = [];
		client.onEvent(event => events.push(event));
		void client.unwatch();
		channel.emit({event: 'new-mail', folder: 'INBOX'});
		expect(events).toEqual([{event: 'new-mail', folder: 'INBOX'}]);
	});
});

describe('the host, in process', () => {
	test('health answers with the package version', async () => {
		const channel = inProcessChannel();
		const client = createNativeRelayClient({connect: () => channel});
		expect(await client.health()).toEqual({ok: true, version: relayVersion});
		client.close();
		await channel.host.finished;
	});

	test('a malformed body gets the HTTP API\'s BAD_REQUEST', async () => {
		const channel = inProcessChannel();
		const client = createNativeRelayClient({connect: () => channel});
		await expect(client.send({account: {user: 'a@example.com', password: 'p'}, envelope: {from: 'b@example.com', to: []}, raw: ''}))
			.rejects.toMatchObject({code: 'BAD_REQUEST'});
		client.close();
		await channel.host.finished;
	});

	test('watch starts the INBOX watch and passes its events on; unwatch and the pipe closing stop it', async () => {
		const started: InboxWatchOptions[] = [];
		let stops = 0;
		const channel = inProcessChannel({watch: options => {
			started.push(options);
			return {stop: async () => {
				stops++;
			}};
		}});
		const client = createNativeRelayClient({connect: () => channel});
		const events: NativeEvent[] = [];
		client.onEvent(event => events.push(event));
		expect(await client.watch({user: 'a@example.com', password: 'p', imap: {host: '127.0.0.1', port: 1143, secure: false}})).toEqual({watching: true});
		expect(started[0]!.login).toMatchObject({user: 'a@example.com', endpoint: {host: '127.0.0.1', port: 1143, secure: false}});
		started[0]!.onState(true);
		started[0]!.onNewMail('INBOX');
		await expect.poll(() => events).toEqual([{event: 'watch', watching: true}, {event: 'new-mail', folder: 'INBOX'}]);
		expect(await client.unwatch()).toEqual({watching: false});
		expect(stops).toBe(1);
		await client.watch({user: 'a@example.com', password: 'p'});
		client.close();
		await channel.host.finished;
		expect(stops).toBe(2);
	});
});
