/**
 * The relay's HTTP guard rails with default limits, in front of the real sandbox: the token, CORS for
 * extension origins only, the 25 MB body limit, and UNREACHABLE for a mail server that is not there.
 */
import {describe, expect, test} from 'vitest';
import {createRelayClient, type RelayAccount} from '../../../lib/relay-client/index.ts';
import type {RunningRelay} from '../../../relay/server.ts';
import {useSandboxRelay} from './use-relay.ts';

let relay: RunningRelay;
let account: RelayAccount;

useSandboxRelay(started => {
	({relay, account} = started);
});

async function replies(headers: Record<string, string>, body: string = JSON.stringify({account})): Promise<Response> {
	return fetch(`${relay.url}/v1/replies`, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body});
}

describe('token', () => {
	test('the right token works', async () => {
		const response = await replies({authorization: `Bearer ${relay.token}`});
		expect(response.status).toBe(200);
	});

	test('no token → 401 AUTH_REQUIRED', async () => {
		const response = await replies({});
		expect(response.status).toBe(401);
		expect(await response.json()).toMatchObject({error: {code: 'AUTH_REQUIRED'}});
	});

	test('a wrong token → 401 AUTH_REQUIRED', async () => {
		const response = await replies({authorization: `Bearer ${relay.token.slice(0, -2)}xx`});
		expect(response.status).toBe(401);
		expect(await response.json()).toMatchObject({error: {code: 'AUTH_REQUIRED'}});
	});

	test('the typed client holding another token finds the relay unproven and sends it no account (RELAY_NOT_VERIFIED)', async () => {
		const client = createRelayClient({url: relay.url, token: 'not-the-relay-token'});
		await expect(client.replies({account})).rejects.toMatchObject({code: 'RELAY_NOT_VERIFIED'});
	});
});

describe('CORS', () => {
	test.each([
		['chrome-extension://abcdefghijklmnopabcdefghijklmnop'],
		['moz-extension://0b2f4b4e-5d4c-4f8e-9a51-3b0f3c1d2e7a'],
	])('%s is granted', async origin => {
		const preflight = await fetch(`${relay.url}/v1/replies`, {method: 'OPTIONS', headers: {origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type'}});
		expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
		const response = await replies({origin, authorization: `Bearer ${relay.token}`});
		expect(response.headers.get('access-control-allow-origin')).toBe(origin);
	});

	test.each([
		['https://evil.example'],
		['https://purelymail.com'],
		['null'],
	])('%s (not an extension) gets no grant', async origin => {
		const preflight = await fetch(`${relay.url}/v1/replies`, {method: 'OPTIONS', headers: {origin, 'access-control-request-method': 'POST'}});
		expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
		expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
		const response = await replies({origin, authorization: `Bearer ${relay.token}`});
		expect(response.headers.get('access-control-allow-origin')).toBeNull();
	});
});

describe('body limit', () => {
	test('a body over 25 MB → 413 TOO_LARGE', async () => {
		const raw = 'x'.repeat((25 * 1024 * 1024) + 1);
		const response = await fetch(`${relay.url}/v1/send`, {
			method: 'POST',
			headers: {'content-type': 'application/json', authorization: `Bearer ${relay.token}`},
			body: JSON.stringify({account, envelope: {from: account.user, to: [account.user]}, raw}),
		});
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({error: {code: 'TOO_LARGE'}});
	});

	test('a client still uploading when the limit is passed gets the 413, not a reset connection', async () => {
		const chunk = new Uint8Array(1024 * 1024).fill(0x78);
		let sent = 0;
		// 30 MB in 1 MB pieces with a pause between them, no Content-Length: the relay refuses while the client
		// is still sending.
		const body = new ReadableStream<Uint8Array>({
			async pull(controller) {
				if (sent === 30) {
					controller.close();
					return;
				}

				sent += 1;
				await new Promise(resolve => setTimeout(resolve, 10));
				controller.enqueue(chunk);
			},
		});
		const response = await fetch(`${relay.url}/v1/send`, {
			method: 'POST',
			headers: {'content-type': 'application/json', authorization: `Bearer ${relay.token}`},
			body,
			duplex: 'half',
		} as RequestInit);
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({error: {code: 'TOO_LARGE'}});
	});

	test('the relay still answers afterwards', async () => {
		expect((await fetch(`${relay.url}/v1/health`)).status).toBe(200);
	});
});

describe('unreachable mail server', () => {
	test('replies with a closed IMAP port → UNREACHABLE', async () => {
		const client = createRelayClient({url: relay.url, token: relay.token});
		await expect(client.replies({account: {...account, imap: {host: '127.0.0.1', port: 1, secure: false}}})).rejects.toMatchObject({code: 'UNREACHABLE', status: 502});
	});
});
