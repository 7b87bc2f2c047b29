/**
 * The sandbox: a local stand-in for a Purelymail mailbox (Dovecot IMAP + LMTP, an AUTH-requiring SMTP server,
 * Radicale CalDAV, Roundcube webmail), all on loopback in a fresh temporary folder. `npm run sandbox` and the
 * tests both start it through `startSandbox`.
 */
import {chmod, mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {catchAllAccount, demoAccounts, teamAccounts} from './accounts.ts';
import {startDovecot} from './dovecot.ts';
import {startOnFreePorts} from './ports.ts';
import {startRadicale, type SandboxCaldav} from './radicale.ts';
import {startRoundcube} from './roundcube.ts';
import {startSmtp} from './smtp.ts';
import {ensureSystemDependencies} from './system.ts';
import type {Sandbox, SandboxOptions, SandboxService} from './types.ts';

export type {Sandbox, SandboxAccount, SandboxOptions, SandboxService} from './types.ts';
export type {CaldavFault} from './radicale.ts';

const allServices: SandboxService[] = ['imap', 'smtp', 'caldav', 'webmail'];

/** A running sandbox, with the CalDAV fault switch for tests. */
export type RunningSandbox = Sandbox & {caldavControl?: SandboxCaldav | undefined};

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
	const team = teamAccounts(options.teamMailboxes ?? 0);
	const accounts = [...demoAccounts, ...team, catchAllAccount];
	const stops: Array<() => Promise<void>> = [];
	const stop = async (): Promise<void> => {
		for (const stopOne of stops.reverse()) {
			 
			await stopOne().catch(() => undefined);
		}

		stops.length = 0;
		await rm(stateDir, {recursive: true, force: true});
	};

	try {
		const fixed = options.ports ?? {};
		let caldav: SandboxCaldav | undefined;
		let webmail: {url: string} | undefined;
		let imapPort = fixed.imap ?? 0;
		let lmtpPort = fixed.lmtp ?? 0;
		if (wanted.has('imap')) {
			const dovecot = await startDovecot({dir: path.join(stateDir, 'dovecot'), imapPort: fixed.imap, lmtpPort: fixed.lmtp, accounts, verbose: options.verbose});
			stops.push(async () => dovecot.server.stop());
			({imapPort, lmtpPort} = dovecot);
		}

		let smtpPort = fixed.smtp ?? 0;
		if (wanted.has('smtp')) {
			const smtp = await startOnFreePorts([fixed.smtp], async ([port]) => {
				const server = await startSmtp({port: port!, lmtpPort, accounts: [...demoAccounts, ...team], catchAll: catchAllAccount, verbose: options.verbose});
				return {server, port: port!};
			});
			stops.push(async () => smtp.server.close());
			smtpPort = smtp.port;
		}

		let caldavPort = fixed.caldav ?? 0;
		if (wanted.has('caldav')) {
			caldav = await startOnFreePorts([fixed.caldav], async ([port]) => startRadicale({dir: path.join(stateDir, 'radicale'), port: port!, accounts, verbose: options.verbose}));
			const running = caldav;
			stops.push(async () => running.stop());
			caldavPort = Number(new URL(caldav.url).port);
		}

		if (wanted.has('webmail')) {
			const roundcube = await startRoundcube({dir: path.join(stateDir, 'roundcube'), port: fixed.webmail, imapPort, smtpPort, verbose: options.verbose});
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
			team,
			catchAll: catchAllAccount,
			caldavControl: caldav,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
