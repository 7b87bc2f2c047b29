/**
 * `npm run sandbox`: starts the Purelymail stand-in and keeps it running until Ctrl-C or SIGTERM.
 * Ports: SANDBOX_IMAP_PORT, SANDBOX_SMTP_PORT, SANDBOX_LMTP_PORT, SANDBOX_CALDAV_PORT, SANDBOX_WEBMAIL_PORT (free ports otherwise).
 * `--verbose` prints the servers' own output.
 */
import {startSandbox, type RunningSandbox} from './index.ts';
import {describeSandbox} from './describe.ts';

function portFromEnvironment(name: string): number | undefined {
	const value = process.env[name];
	if (value === undefined || value === '') {
		return undefined;
	}

	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65_535) {
		throw new TypeError(`${name} must be a port number, not "${value}"`);
	}

	return port;
}

export async function runSandboxUntilStopped(onStarted?: (sandbox: RunningSandbox) => Promise<() => Promise<void>>): Promise<void> {
	const sandbox = await startSandbox({
		verbose: process.argv.includes('--verbose'),
		ports: {
			imap: portFromEnvironment('SANDBOX_IMAP_PORT'),
			smtp: portFromEnvironment('SANDBOX_SMTP_PORT'),
			lmtp: portFromEnvironment('SANDBOX_LMTP_PORT'),
			caldav: portFromEnvironment('SANDBOX_CALDAV_PORT'),
			webmail: portFromEnvironment('SANDBOX_WEBMAIL_PORT'),
		},
	});
	let stopExtra: (() => Promise<void>) | undefined;
	let stopping = false;
	const stop = async (signal: string): Promise<void> => {
		if (stopping) {
			return;
		}

		stopping = true;
		console.log(`\n${signal}: stopping…`);
		await stopExtra?.();
		await sandbox.stop();
		console.log('Stopped; the state folder is removed.');
		process.exit(0);
	};

	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.on('SIGHUP', () => void stop('SIGHUP'));
	try {
		stopExtra = await onStarted?.(sandbox);
	} catch (error) {
		await sandbox.stop();
		throw error;
	}

	console.log(describeSandbox(sandbox));
	console.log('Press Ctrl-C to stop.');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	await runSandboxUntilStopped();
}
