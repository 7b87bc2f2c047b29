/**
 * Issue 12, item 9: the extension knows it talks to its relay. Before the token or an account leaves the client,
 * what listens at the relay's address must answer a challenge keyed by the token; a program that took the port
 * (here a plain HTTP server on loopback that records every request) gets neither the token nor the password.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {relayProof} from '../../../lib/relay-client/challenge.ts';
import {createRelayClient, type RelayAccount} from '../../../lib/relay-client/index.ts';
import {startRelay, type RunningRelay} from '../../../relay/server.ts';
import {useSandboxRelay} from './use-relay.ts';

type Recorded = {method: string; url: string; headers: http.IncomingHttpHeaders; body: string};

/** A listener on loopback that is not the relay: it records each request and answers what `answer` says. */
async function startImpostor(answer: (request: Recorded) => {status: number; body: unknown}): Promise<{url: string; seen: Recorded[]; close(): Promise<void>}> {
	const seen: Recorded[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const recorded = {method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8')};
			seen.push(recorded);
			const {status, body} = answer(recorded);
			response.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(body));
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		seen,
		async close() {
			await new Promise<void>(resolve => server.close(() => {
				resolve();
			}));
		},
	};
}

let relay: RunningRelay;
let account: RelayAccount;

useSandboxRelay(started => {
	({relay, account} = started);
});

describe('the real relay proves it holds the token', () => {
	test('it answers a nonce with the token\'s HMAC, without any credential', async () => {
		const nonce = 'a-fresh-nonce-of-the-client-0123456789';
		const response = await fetch(`${relay.url}/v1/challenge`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({nonce})});
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({proof: await relayProof(relay.token, nonce)});
	});

	test('a malformed nonce is refused', async () => {
		const response = await fetch(`${relay.url}/v1/challenge`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({nonce: 'short'})});
		expect(response.status).toBe(400);
		expect(await response.json()).toMatchObject({error: {code: 'BAD_REQUEST'}});
	});

	test('the typed client checks the proof, then logs in to the sandbox through it', async () => {
		const client = createRelayClient({url: relay.url, token: relay.token});
		expect(await client.verify(account)).toEqual({imap: {ok: true}, smtp: {ok: true}});
	});
});

describe('a listener that is not the relay gets neither token nor password', () => {
	test.each([
		['answers every request with 200 and no proof', () => ({status: 200, body: {ok: true}})],
		['answers the challenge with a made-up proof', () => ({status: 200, body: {proof: 'bm90LWEtcHJvb2Y'}})],
		['has no challenge endpoint', () => ({status: 404, body: {error: {code: 'BAD_REQUEST', message: 'No such endpoint'}}})],
	])('a listener that %s', async (_name, answer) => {
		const impostor = await startImpostor(answer);
		try {
			const client = createRelayClient({url: impostor.url, token: relay.token});
			await expect(client.replies({account})).rejects.toMatchObject({code: 'RELAY_NOT_VERIFIED'});
			await expect(client.send({account, envelope: {from: account.user, to: [account.user]}, raw: 'Subject: x\r\n\r\nx'})).rejects.toMatchObject({code: 'RELAY_NOT_VERIFIED'});
			expect(impostor.seen.map(request => request.url)).toEqual(['/v1/challenge', '/v1/challenge']);
			const everything = JSON.stringify(impostor.seen);
			expect(everything).not.toContain(relay.token);
			expect(everything).not.toContain(account.password);
			expect(impostor.seen.every(request => request.headers.authorization === undefined)).toBe(true);
		} finally {
			await impostor.close();
		}
	});

	test('a real relay holding another token cannot prove it holds ours', async () => {
		const otherDir = await mkdtemp(path.join(os.tmpdir(), 'relay-challenge-other-'));
		const other = await startRelay({port: 0, configDir: otherDir, log: () => undefined});
		try {
			await expect(createRelayClient({url: other.url, token: relay.token}).verify(account)).rejects.toMatchObject({code: 'RELAY_NOT_VERIFIED'});
		} finally {
			await other.close();
			await rm(otherDir, {recursive: true, force: true});
		}
	});
});
