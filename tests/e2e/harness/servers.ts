/**
 * What the Chromium journeys in Roundcube run against: the sandbox (Dovecot, AUTH SMTP, Radicale, Roundcube), the
 * HTTP relay, and Roundcube behind https://inbox.purelymail.com/ (the content script's real match patterns), after
 * checking that the extension is built.
 */
import {access, mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {startRelay} from '../../../relay/server.ts';
import {startSandbox, type SandboxAccount} from '../../sandbox/index.ts';
import {extensionPath} from './browser.ts';
import type {ProfileServers} from './profile.ts';
import {startTlsFront} from './tls-front.ts';

export const webmailHost = 'inbox.purelymail.com';

export type WebmailServers = ProfileServers & {
	webmailUrl: string;
	/** The sandbox's demo accounts: the organizer, Alex, Sam. */
	people: [SandboxAccount, SandboxAccount, SandboxAccount];
	/** Stops all of it and removes the relay's folder. */
	stop(): Promise<void>;
};

export async function startWebmailServers(relayToken: string): Promise<WebmailServers> {
	await access(path.join(extensionPath, 'manifest.json')).catch(() => {
		throw new Error(`No extension build at ${extensionPath}: run npm run build:e2e first (npm test and npm run test:e2e do).`);
	});
	const stops: Array<() => Promise<unknown>> = [];
	const stop = async (): Promise<void> => {
		for (const each of stops.reverse()) {
			await each();
		}
	};

	try {
		const sandbox = await startSandbox();
		stops.push(async () => sandbox.stop());
		const relayDir = await mkdtemp(path.join(os.tmpdir(), 'pmi-e2e-relay-'));
		stops.push(async () => rm(relayDir, {recursive: true, force: true}));
		const relay = await startRelay({port: 0, token: relayToken, configDir: relayDir, log: () => undefined});
		stops.push(async () => relay.close());
		const front = await startTlsFront(new URL(sandbox.webmail!.url), webmailHost);
		stops.push(async () => front.close());
		return {
			sandbox,
			relay: {url: relay.url, token: relayToken},
			front,
			webmailHost,
			webmailUrl: `https://${webmailHost}/`,
			people: sandbox.accounts as [SandboxAccount, SandboxAccount, SandboxAccount],
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
