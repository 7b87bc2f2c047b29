/**
 * Issue 12, item 10: hosted mode, against the real relay bound to a non-loopback address (0.0.0.0, plain HTTP with
 * --insecure-public; the tests reach it through 127.0.0.1). The sandbox's mail servers are on loopback, which is
 * exactly what a hosted relay must refuse; the loopback relay beside it shows the same requests still work there.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {RelayAccount} from '../../../lib/relay-client/types.ts';
import type {RelayOptions} from '../../../relay/config.ts';
import {startRelay, type RunningRelay} from '../../../relay/server.ts';
import {relayAccount} from '../../helpers/relay-mail.ts';
import {startSandbox, type Sandbox} from '../../sandbox/index.ts';

let sandbox: Sandbox;
let account: RelayAccount;
const started: Array<{relay: RunningRelay; dir: string}> = [];

/** A relay of its own for each test, so one test's failed tokens or connections do not reach another. */
async function relayWith(options: RelayOptions): Promise<RunningRelay & {local: string}> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'relay-hosted-'));
	const relay = await startRelay({port: 0, configDir: dir, log: () => undefined, ...options});
	started.push({relay, dir});
	return {...relay, local: `http://127.0.0.1:${new URL(relay.url).port}`};
}

const hosted = {host: '0.0.0.0', insecurePublic: true} as const;

async function call(relay: {local: string; token: string}, name: string, body: unknown, token = relay.token): Promise<{status: number; body: {error?: {code: string; message: string}} & Record<string, unknown>}> {
	const response = await fetch(`${relay.local}/v1/${name}`, {method: 'POST', headers: {'content-type': 'application/json', authorization: `Bearer ${token}`}, body: JSON.stringify(body)});
	return {status: response.status, body: await response.json() as {error?: {code: string; message: string}}};
}

beforeAll(async () => {
	sandbox = await startSandbox({services: ['imap', 'smtp']});
	account = relayAccount(sandbox, sandbox.accounts[0]!);
});

afterAll(async () => {
	for (const {relay, dir} of started) {
		 
		await relay.close();
		 
		await rm(dir, {recursive: true, force: true});
	}

	await sandbox?.stop();
});

describe('mail servers', () => {
	test('a hosted relay connects only to Purelymail\'s servers by default, so the sandbox\'s are refused', async () => {
		const relay = await relayWith(hosted);
		const answer = await call(relay, 'verify', {account});
		expect(answer.status).toBe(403);
		expect(answer.body.error?.code).toBe('BAD_REQUEST');
		expect(answer.body.error?.message).toContain('imap.purelymail.com, smtp.purelymail.com');
	});

	test('the same request through a loopback relay reaches the sandbox (hosted mode applies only off loopback)', async () => {
		const relay = await relayWith({});
		expect(await call(relay, 'verify', {account})).toEqual({status: 200, body: {imap: {ok: true}, smtp: {ok: true}}});
	});

	test.each([
		['a name on the list that resolves to loopback', ['localhost'], 'localhost'],
		['a loopback address on the list', ['127.0.0.1'], '127.0.0.1'],
		['a private address on the list', ['10.1.2.3'], '10.1.2.3'],
		['a link-local address on the list', ['169.254.169.254'], '169.254.169.254'],
	])('%s is refused all the same', async (_name, mailHosts, host) => {
		const relay = await relayWith({...hosted, mailHosts});
		const answer = await call(relay, 'replies', {account: {...account, imap: {host, port: sandbox.imap.port, secure: false}}});
		expect(answer.status).toBe(403);
		expect(answer.body.error?.message).toMatch(/private, link-local or loopback/);
	});
});

describe('tokens', () => {
	test('after too many wrong tokens from one address, even the right token is refused for a while', async () => {
		const relay = await relayWith({...hosted, failedTokensPerMinute: 3});
		const statuses = [];
		for (let attempt = 0; attempt < 5; attempt++) {
			 
			statuses.push((await call(relay, 'replies', {account}, `wrong-token-${attempt}-0123456789`)).status);
		}

		expect(statuses).toEqual([401, 401, 401, 429, 429]);
		const right = await call(relay, 'replies', {account});
		expect(right.status).toBe(429);
		expect(right.body.error?.code).toBe('RATE_LIMITED');
	});

	test('a loopback relay does not lock out its own user after wrong tokens', async () => {
		const relay = await relayWith({failedTokensPerMinute: 3});
		for (let attempt = 0; attempt < 5; attempt++) {
			 
			expect((await call(relay, 'verify', {account}, `wrong-token-${attempt}-0123456789`)).status).toBe(401);
		}

		expect((await call(relay, 'verify', {account})).status).toBe(200);
	});
});

describe('connections', () => {
	test('connections beyond the cap are closed at once, and a freed place is taken again', async () => {
		const relay = await relayWith({...hosted, maxConnections: 2});
		const port = Number(new URL(relay.local).port);
		const open = async (): Promise<net.Socket> => new Promise((resolve, reject) => {
			const socket = net.connect(port, '127.0.0.1', () => {
				resolve(socket);
			});
			socket.once('error', reject);
		});
		const held = [await open(), await open()];
		// Both held connections are established on the server's side once each has answered a request.
		for (const socket of held) {
			 
			await new Promise<void>(resolve => {
				socket.once('data', () => {
					resolve();
				});
				socket.write('GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
			});
		}

		const third = await open();
		const closedWithoutAnswer = await new Promise<boolean>(resolve => {
			let answered = false;
			third.on('data', () => {
				answered = true;
			});
			third.on('error', () => undefined);
			third.once('close', () => {
				resolve(!answered);
			});
			third.write('GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
		});
		expect(closedWithoutAnswer).toBe(true);

		held[0]!.destroy();
		await new Promise(resolve => {
			held[0]!.once('close', resolve);
		});
		const fourth = await open();
		const answered = await new Promise<string>(resolve => {
			fourth.once('data', (data: Buffer) => {
				resolve(data.toString('utf8'));
			});
			fourth.write('GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
		});
		expect(answered).toMatch(/^HTTP\/1\.1 200/);
		for (const socket of [...held, third, fourth]) {
			socket.destroy();
		}
	});
});

describe('/v1/send From', () => {
	const raw = (from: string): string => `From: ${from}\r\nTo: ${sandbox.accounts[1]!.email}\r\nSubject: hosted\r\nMessage-ID: <hosted@sandbox.test>\r\n\r\nbody\r\n`;

	test('a hosted relay ignores the aliases a request claims', async () => {
		const relay = await relayWith(hosted);
		const answer = await call(relay, 'send', {account: {...account, allowedSenders: ['boss@sandbox.test']}, envelope: {from: 'boss@sandbox.test', to: [sandbox.accounts[1]!.email]}, raw: raw('boss@sandbox.test')});
		expect(answer.status).toBe(400);
		expect(answer.body.error?.message).toContain('envelope.from boss@sandbox.test');
	});

	test.each([
		['another person', 'Boss <boss@sandbox.test>'],
		['the user beside another person', `${account?.user ?? 'organizer@sandbox.test'}, boss@sandbox.test`],
	])('a From header naming %s is refused, even with the user\'s envelope', async (_name, from) => {
		const relay = await relayWith(hosted);
		const answer = await call(relay, 'send', {account, envelope: {from: account.user, to: [sandbox.accounts[1]!.email]}, raw: raw(from)});
		expect(answer.status).toBe(403);
		expect(answer.body.error?.message).toContain('From header');
	});

	test('the user and an alias the relay\'s configuration allows pass the From check (and then meet the server list)', async () => {
		const relay = await relayWith({...hosted, sendAliases: {[account.user]: ['events@sandbox.test']}});
		for (const from of [account.user, `Events <events@sandbox.test>`]) {
			 
			const answer = await call(relay, 'send', {account, envelope: {from: 'events@sandbox.test', to: [sandbox.accounts[1]!.email]}, raw: raw(from)});
			expect(answer.status).toBe(403);
			expect(answer.body.error?.message).toContain('only connects to');
		}
	});

	test('a loopback relay still sends as an alias the request lists', async () => {
		const relay = await relayWith({});
		const answer = await call(relay, 'send', {account: {...account, allowedSenders: ['events@sandbox.test']}, envelope: {from: 'events@sandbox.test', to: [sandbox.accounts[1]!.email]}, raw: raw('events@sandbox.test')});
		expect(answer.status).toBe(200);
		expect(answer.body.accepted).toEqual([sandbox.accounts[1]!.email]);
	});
});

describe('a mail server\'s own words', () => {
	/** Words only the non-mail server below says: a banner an attacker would like to read through the relay. */
	const secret = 'internal-admin-console-7f3a';
	let banner: net.Server;
	let port: number;

	beforeAll(async () => {
		// Not a mail server: it greets with its own banner and answers every line with more of its words.
		banner = net.createServer(socket => {
			socket.on('error', () => undefined);
			socket.write(`SSH-2.0-OpenSSH_9.2 ${secret}\r\n`);
			socket.on('data', () => {
				socket.end(`-ERR ${secret}: unknown command\r\n`);
			});
		});
		await new Promise<void>(resolve => {
			banner.listen(0, '127.0.0.1', resolve);
		});
		port = (banner.address() as net.AddressInfo).port;
	});

	afterAll(async () => {
		await new Promise(resolve => {
			banner?.close(resolve);
		});
	});

	// Hosted mode refuses loopback targets, and this machine has no other address to reach a server on, so the hosted
	// relay is told (hostedTestTargets, an option the environment cannot set) to let 127.0.0.1 through; its allowlist,
	// resolution, connection and answers are hosted mode's own.
	const hostedToBanner = {...hosted, mailHosts: ['127.0.0.1'], hostedTestTargets: ['127.0.0.1']};
	const towardsBanner = (): RelayAccount => ({...account, imap: {host: '127.0.0.1', port, secure: false}, smtp: {host: '127.0.0.1', port, secure: false}});

	const to = (): string => sandbox.accounts[1]!.email;
	// Calls whose answers carry what the SMTP server said (imapflow keeps an IMAP greeting's words to itself).
	const calls: Array<[string, () => unknown]> = [
		['verify', () => ({account: towardsBanner()})],
		['send', () => ({account: towardsBanner(), envelope: {from: account.user, to: [to()]}, raw: `From: ${account.user}\r\nTo: ${to()}\r\nSubject: banner\r\n\r\nbody\r\n`})],
	];
	// The relays give up on a silent IMAP greeting after 2 s rather than 20 (the relay's own option, not a test limit).
	const quick = {connectTimeoutMs: 2000};

	test.each(calls)('a loopback relay passes the server\'s words back (%s: the user\'s own relay, so they see what went wrong)', async (name, body) => {
		const relay = await relayWith(quick);
		const answer = await call(relay, name, body());
		expect(JSON.stringify(answer.body)).toContain(secret);
	});

	test.each(calls)('a hosted relay that reached a non-mail server does not echo its words (%s)', async (name, body) => {
		const relay = await relayWith({...hostedToBanner, ...quick});
		const answer = await call(relay, name, body());
		// The relay did connect (no 403 from the allowlist or the address check) and failed on what it heard.
		expect(answer.status).not.toBe(403);
		const text = JSON.stringify(answer.body);
		expect(text).toContain('UPSTREAM');
		expect(text).not.toContain(secret);
		expect(text).not.toContain('SSH-2.0');
	});
});
