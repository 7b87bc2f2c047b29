/**
 * The hooks of a relay test file: the sandbox's IMAP and SMTP servers and the real relay in this process (default
 * limits, a configuration folder of its own), started once and stopped at the end. A file's own `beforeAll` runs
 * after these start and its own `afterAll` before they stop (vitest runs after-hooks in reverse order).
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll} from 'vitest';
import type {RelayAccount} from '../../../lib/relay-client/index.ts';
import {startRelay, type RunningRelay} from '../../../relay/server.ts';
import {relayAccount} from '../../helpers/relay-mail.ts';
import {startSandbox, type Sandbox} from '../../sandbox/index.ts';

/** `account`: the first demo account as the relay API wants it. */
export type SandboxRelay = {sandbox: Sandbox; relay: RunningRelay; account: RelayAccount};

export function useSandboxRelay(started: (running: SandboxRelay) => void, options: {log?: (line: string) => void} = {}): void {
	let sandbox: Sandbox | undefined;
	let relay: RunningRelay | undefined;
	let configDir: string | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox({services: ['imap', 'smtp']});
		configDir = await mkdtemp(path.join(os.tmpdir(), 'relay-test-'));
		relay = await startRelay({port: 0, configDir, log: options.log ?? (() => undefined)});
		started({sandbox, relay, account: relayAccount(sandbox, sandbox.accounts[0]!)});
	});

	afterAll(async () => {
		await relay?.close();
		await sandbox?.stop();
		if (configDir) {
			await rm(configDir, {recursive: true, force: true});
		}
	});
}
