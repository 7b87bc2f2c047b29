/**
 * Hosted mode's DNS-rebinding gap (issue 12 item 10, hardened): the relay checks a mail server's name by resolving
 * it, and must then connect to the address it checked, not hand the name to imapflow or nodemailer, which would
 * resolve it again and may get another answer. Here the check's resolver (the relay's `lookup` option, a fake)
 * answers a "public" address first and loopback after; the system's resolver, which a mail library would use, answers
 * loopback for `localhost`. A TLS listener on the "public" address (127.0.0.2, let through by hostedTestTargets, as
 * hosted.test.ts does for 127.0.0.1) records the TLS server name each client asks for; a plain listener on
 * 127.0.0.1, the same port, stands for the service behind the relay that rebinding would reach.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {MailEndpoint, RelayAccount} from '../../../lib/relay-client/types.ts';
import type {RelayOptions} from '../../../relay/config.ts';
import type {Lookup} from '../../../relay/hosted.ts';
import {startRelay, type RunningRelay} from '../../../relay/server.ts';
import {selfSignedCertificate} from '../../helpers/self-signed.ts';

const name = 'localhost';
const publicAddress = '127.0.0.2';
const internalAddress = '127.0.0.1';

/** The check's resolver: the public address on its first answer, loopback on every later one; it counts the questions. */
function rebindingLookup(): Lookup & {asked: string[]} {
	const asked: string[] = [];
	const lookup = async (host: string): Promise<string[]> => {
		asked.push(host);
		return [asked.length === 1 ? publicAddress : internalAddress];
	};

	return Object.assign(lookup, {asked});
}

type Listeners = {port: number; serverNames: string[]; publicConnections: number; internalConnections: number; close(): Promise<void>};

async function listen(server: net.Server, port: number, host: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
}

async function closeServer(server: net.Server): Promise<void> {
	await new Promise(resolve => {
		server.close(resolve);
	});
}

/** Both listeners on one port: TLS on the public address, plain TCP on loopback. */
async function startListeners(): Promise<Listeners> {
	const {key, cert} = await selfSignedCertificate(name);
	const context = tls.createSecureContext({key, cert});
	const state = {serverNames: [] as string[], publicConnections: 0, internalConnections: 0};
	const publicServer = tls.createServer({key, cert, SNICallback(serverName, done) {
		state.serverNames.push(serverName);
		done(null, context);
	}});
	publicServer.on('connection', () => {
		state.publicConnections++;
	});
	publicServer.on('tlsClientError', () => undefined);
	const internalServer = net.createServer(socket => {
		state.internalConnections++;
		socket.on('error', () => undefined);
		socket.end('* OK internal service\r\n');
	});
	await listen(publicServer, 0, publicAddress);
	const {port} = publicServer.address() as net.AddressInfo;
	// The same port on 127.0.0.1: a free port on one address is almost always free on the other; if not, say so.
	await listen(internalServer, port, internalAddress).catch(async (error: unknown) => {
		await closeServer(publicServer);
		throw new Error(`Port ${port} is free on ${publicAddress} but not on ${internalAddress}: ${String(error)}`);
	});
	return {
		port,
		get serverNames() {
			return state.serverNames;
		},
		get publicConnections() {
			return state.publicConnections;
		},
		get internalConnections() {
			return state.internalConnections;
		},
		async close() {
			await Promise.all([closeServer(publicServer), closeServer(internalServer)]);
		},
	};
}

let listeners: Listeners;
const started: Array<{relay: RunningRelay; dir: string}> = [];

async function hostedRelay(lookup: Lookup): Promise<RunningRelay & {local: string}> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'relay-rebinding-'));
	const options: RelayOptions = {
		port: 0, configDir: dir, log: () => undefined, host: '0.0.0.0', insecurePublic: true,
		mailHosts: [name, publicAddress], hostedTestTargets: [publicAddress], lookup, connectTimeoutMs: 2000,
	};
	const relay = await startRelay(options);
	started.push({relay, dir});
	return {...relay, local: `http://127.0.0.1:${new URL(relay.url).port}`};
}

beforeAll(async () => {
	listeners = await startListeners();
});

afterAll(async () => {
	for (const {relay, dir} of started) {
		await relay.close();
		await rm(dir, {recursive: true, force: true});
	}

	await listeners?.close();
});

describe('a hosted relay connects to the address it checked, with the name kept for TLS', () => {
	test.each(['imap', 'smtp'] as const)('%s: the name resolves to a public address for the check and to loopback after; the connection goes to the public one, asking for the name', async server => {
		const lookup = rebindingLookup();
		const relay = await hostedRelay(lookup);
		const before = {names: listeners.serverNames.length, publicConnections: listeners.publicConnections, internal: listeners.internalConnections};
		const byName: MailEndpoint = {host: name, port: listeners.port, secure: true};
		const byAddress: MailEndpoint = {host: publicAddress, port: listeners.port, secure: true};
		const account: RelayAccount = {user: 'alex@example.test', password: 'app-password', imap: server === 'imap' ? byName : byAddress, smtp: server === 'smtp' ? byName : byAddress};
		const response = await fetch(`${relay.local}/v1/verify`, {method: 'POST', headers: {'content-type': 'application/json', authorization: `Bearer ${relay.token}`}, body: JSON.stringify({account})});
		const answer = await response.json() as Record<'imap' | 'smtp', {ok: boolean; error?: {code: string}}>;

		// One question about the name, from the check; the connection did not ask again.
		expect(lookup.asked).toEqual([name]);
		// Both servers reached the public listener (one by name, one by address), nothing reached 127.0.0.1.
		expect(listeners.publicConnections - before.publicConnections).toBe(2);
		expect(listeners.internalConnections - before.internal).toBe(0);
		// The connection by name asked for the name (SNI); the one by address asked for none.
		expect(listeners.serverNames.slice(before.names)).toEqual([name]);
		// The self-signed certificate is refused: the certificate is checked, as for any server.
		expect(response.status).toBe(200);
		expect(answer[server]).toMatchObject({ok: false, error: {code: 'TLS_FAILED'}});
	});
});
