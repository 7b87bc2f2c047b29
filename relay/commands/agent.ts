/**
 * `purelymail-invites-relay agent --config FILE [--once] [--tick-seconds N]`: the always-on agent. With a SQLite
 * state (the default) it serves the one mailbox of FILE; with `state` a postgres:// URL it serves the accounts of
 * that database's table, sharing them with other agent processes (agent/postgres.ts). Runs until SIGTERM or SIGINT;
 * `--once` runs one tick and exits 0, or 1 when the tick failed.
 */
import {AgentConfigError, loadAgentConfig} from '../agent/config.ts';
import {logLine, tickFailed} from '../agent/log.ts';
import {runPostgresAgent} from '../agent/postgres-agent.ts';
import {openAgentDatabase} from '../agent/sqlite-store.ts';
import {MailboxWorker} from '../agent/worker.ts';
import {ImapPool} from '../imap-pool.ts';
import type {CommandIo} from './io.ts';

export const agentUsage = 'agent --config FILE [--once] [--tick-seconds N]';

/** The safety-net tick, when --tick-seconds is not given. */
const defaultTickSeconds = 300;
const connectTimeoutMs = 20_000;

type AgentArguments = {config: string; once: boolean; tickSeconds: number};

function parseArguments(argv: string[]): AgentArguments | string {
	let config: string | undefined;
	let once = false;
	let tickSeconds = defaultTickSeconds;
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index];
		if (argument === '--once') {
			once = true;
		} else if (argument === '--config' && argv[index + 1] !== undefined) {
			config = argv[++index];
		} else if (argument === '--tick-seconds' && /^\d+$/.test(argv[index + 1] ?? '') && Number(argv[index + 1]) > 0) {
			tickSeconds = Number(argv[++index]);
		} else {
			return `unexpected ${argument ?? ''}`;
		}
	}

	return config ? {config, once, tickSeconds} : 'missing --config FILE';
}

/** Resolves on the first SIGTERM or SIGINT. */
async function stopSignal(): Promise<string> {
	return new Promise(resolve => {
		const handle = (signal: string): void => {
			process.off('SIGTERM', handle);
			process.off('SIGINT', handle);
			resolve(signal);
		};

		process.on('SIGTERM', handle);
		process.on('SIGINT', handle);
	});
}

export async function agent(argv: string[], io: CommandIo): Promise<number> {
	const parsed = parseArguments(argv);
	if (typeof parsed === 'string') {
		io.err(`agent: ${parsed}; usage: ${agentUsage}`);
		return 2;
	}

	let config;
	try {
		config = await loadAgentConfig(parsed.config);
	} catch (error) {
		if (error instanceof AgentConfigError) {
			io.err(`agent: ${error.message}`);
			return 2;
		}

		throw error;
	}

	const tickMs = parsed.tickSeconds * 1000;
	// Listened for before anything is printed: until a listener exists, SIGTERM kills the process outright.
	const stopped = parsed.once ? new Promise<string>(() => undefined) : stopSignal();
	if (config.kind === 'postgres') {
		return runPostgresAgent({url: config.stateUrl, once: parsed.once, tickMs, connectTimeoutMs, log: io.out, stopped});
	}

	const database = openAgentDatabase(config.statePath);
	// Kept warm between ticks, so the safety-net tick is a STATUS on an open session.
	const pool = new ImapPool({idleMs: tickMs + 60_000, connectTimeoutMs});
	const worker = new MailboxWorker({mailbox: config.mailbox, store: database.store(config.mailbox.account.email), pool, log: io.out, connectTimeoutMs, fullTickMs: tickMs, ...(parsed.once ? {} : {marker: {stopped: true}})});
	try {
		if (parsed.once) {
			const result = await worker.tickOnce();
			return tickFailed(result) ? 1 : 0;
		}

		io.out(logLine('agent', {state: 'started', mailbox: worker.address, store: config.statePath, tick_seconds: parsed.tickSeconds}));
		worker.start();
		const signal = await stopped;
		io.out(logLine('agent', {state: 'stopping', signal}));
		await worker.stop();
		io.out(logLine('agent', {state: 'stopped'}));
		return 0;
	} finally {
		await pool.close();
		database.close();
	}
}
