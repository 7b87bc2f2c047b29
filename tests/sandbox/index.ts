/**
 * The sandbox: a local stand-in for a Purelymail mailbox (Dovecot IMAP + LMTP, an AUTH-requiring SMTP server,
 * Radicale CalDAV, Roundcube webmail), all on loopback in a fresh temporary folder. `npm run sandbox` and the
 * tests both start it through `startSandbox`.
 */
import {chmod, mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {catchAllAccount, demoAccounts} from './accounts.ts';
import {startDovecot} from './dovecot.ts';
import {freePort} from './ports.ts';
import {startRadicale, type SandboxCaldav} from './radicale.ts';
import {startRoundcube} from './roundcube.ts';
import {startSmtp} from './smtp.ts';
import {ensureSystemDependencies} from './system.ts';
import type {Sandbox, SandboxOptions, SandboxService} from './types.ts';

export type {Sandbox, SandboxAccount, SandboxOptions, SandboxService} from './types.ts';
export type {CaldavFault} from './radicale.ts';

const allServices: SandboxService[] = ['imap', 'smtp', 'caldav', 'webmail'];

/** A running sandbox, with the CalDAV fault switch for tests. */
export type RunningSandbox = Sandbox & {caldavControl?: SandboxCaldav};

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
	const wanted = new Set(options.services ?? allServices);
	// SMTP delivers into IMAP mailboxes and the webmail needs both.
	if (wanted.has('smtp') || wanted.has('webmail')) {
		wanted.add('imap');
	}

	if (wanted.has('webmail')) {
		wanted.add('smtp');
	}

	await ensureSystemDependencies();
	const stateDir = await mkdtemp(path.join(os.tmpdir(), 'pmi-sandbox-'));
	// Dovecot's workers run as vmail and must reach the mail folders inside.
	await chmod(stateDir, 0o755);
	const port = async (name: keyof NonNullable<SandboxOptions['ports']>): Promise<number> => options.ports?.[name] || freePort();
	const accounts = [...demoAccounts, catchAllAccount];
	const stops: Array<() => Promise<void>> = [];
	const stop = async (): Promise<void> => {
		for (const stopOne of stops.reverse()) {
			 
			await stopOne().catch(() => undefined);
		}

		stops.length = 0;
		await rm(stateDir, {recursive: true, force: true});
	};

	try {
		const imapPort = await port('imap');
		const lmtpPort = await port('lmtp');
		const smtpPort = await port('smtp');
		const caldavPort = await port('caldav');
		const webmailPort = await port('webmail');
		let caldav: SandboxCaldav | undefined;
		let webmail: {url: string} | undefined;
		if (wanted.has('imap')) {
			const dovecot = await startDovecot({dir: path.join(stateDir, 'dovecot'), imapPort, lmtpPort, accounts, verbose: options.verbose});
			stops.push(async () => dovecot.stop());
		}

		if (wanted.has('smtp')) {
			const smtp = await startSmtp({port: smtpPort, lmtpPort, accounts: demoAccounts, catchAll: catchAllAccount, verbose: options.verbose});
			stops.push(async () => smtp.close());
		}

		if (wanted.has('caldav')) {
			caldav = await startRadicale({dir: path.join(stateDir, 'radicale'), port: caldavPort, accounts, verbose: options.verbose});
			const running = caldav;
			stops.push(async () => running.stop());
		}

		if (wanted.has('webmail')) {
			const roundcube = await startRoundcube({dir: path.join(stateDir, 'roundcube'), port: webmailPort, imapPort, smtpPort, verbose: options.verbose});
			stops.push(async () => roundcube.server.stop());
			webmail = {url: roundcube.url};
		}

		return {
			stateDir,
			imap: {host: '127.0.0.1', port: imapPort},
			smtp: {host: '127.0.0.1', port: smtpPort},
			caldav: {url: caldav?.url ?? `http://127.0.0.1:${caldavPort}/webdav/`},
			webmail,
			accounts: demoAccounts,
			catchAll: catchAllAccount,
			caldavControl: caldav,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
