/**
 * The agent for a team: the accounts come from PostgreSQL (pmi_agent_accounts), and each process of a group works
 * on its fair share of them, held by leases (leases.ts). Every `scanMs` it renews its leases (a worker whose lease
 * is gone stops at once), says it is alive, and claims or gives back leases towards
 * ceil(accounts / live processes). On SIGTERM it stops its workers and gives every lease back.
 */
import {randomUUID} from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import {ImapPool} from '../imap-pool.ts';
import {parseAgentAccount} from './config.ts';
import {LeaseBoard, leaseTtlSeconds, scanMs, takeoverBoundSeconds, type ClaimedLease} from './leases.ts';
import {logLine, tickFailed, type AgentLog} from './log.ts';
import {migrate} from './postgres-schema.ts';
import {postgresStore, type Lease} from './postgres-store.ts';
import {MailboxWorker} from './worker.ts';

export type PostgresAgentOptions = {
	url: string;
	once: boolean;
	tickMs: number;
	connectTimeoutMs: number;
	log: AgentLog;
	/** Resolves when the process is asked to stop. */
	stopped: Promise<string>;
};

type Running = {worker: MailboxWorker; lease: Lease; email: string};

export async function runPostgresAgent(options: PostgresAgentOptions): Promise<number> {
	const {log} = options;
	const pool = new pg.Pool({connectionString: options.url, max: 10});
	// The leases have their own connections: a renewal that queued behind the mailboxes' work could outlive the
	// lease under load, and the process would drop (and claim again) accounts it was serving well.
	const leasePool = new pg.Pool({connectionString: options.url, max: 2});
	// An idle client that loses its server must not take the process down.
	pool.on('error', () => undefined);
	leasePool.on('error', () => undefined);
	const imap = new ImapPool({idleMs: options.tickMs + 60_000, connectTimeoutMs: options.connectTimeoutMs, maxSessions: 10_000});
	const board = new LeaseBoard(leasePool, `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`);
	const running = new Map<string, Running>();

	const workerFor = (claimed: ClaimedLease): MailboxWorker | undefined => {
		try {
			const mailbox = parseAgentAccount(claimed.config);
			return new MailboxWorker({mailbox, store: postgresStore(pool, claimed), pool: imap, log, connectTimeoutMs: options.connectTimeoutMs, fullTickMs: options.tickMs, ...(options.once ? {} : {marker: {stopped: false}})});
		} catch (error) {
			log(logLine('lease', {account: claimed.email, state: 'unusable', error: error instanceof Error ? error.message : String(error)}));
			return undefined;
		}
	};

	try {
		await migrate(pool);
		if (options.once) {
			await board.heartbeat();
			let failed = false;
			for (const claimed of await board.claim(Number.MAX_SAFE_INTEGER)) {
				const worker = workerFor(claimed);
				failed ||= !worker || tickFailed(await worker.tickOnce());
				await board.release(claimed);
			}

			await board.leave();
			return failed ? 1 : 0;
		}

		log(logLine('agent', {state: 'started', holder: board.holder, store: 'postgres', takeover_bound_seconds: takeoverBoundSeconds, tick_seconds: options.tickMs / 1000}));
		const retiring = new Set<Promise<void>>();
		const retire = (id: string, state: 'lost' | 'released'): void => {
			const entry = running.get(id);
			if (!entry) {
				return;
			}

			running.delete(id);
			log(logLine('lease', {account: entry.email, state, generation: entry.lease.generation}));
			const done = (async () => {
				await entry.worker.stop();
				if (state === 'released') {
					await board.release(entry.lease).catch(() => undefined);
				}
			})();
			retiring.add(done);
			void done.finally(() => retiring.delete(done));
		};

		let lastRenewal = Date.now();
		const scan = async (): Promise<void> => {
			try {
				const held = await board.renew();
				lastRenewal = Date.now();
				for (const [id, entry] of running) {
					if (held.get(id) !== entry.lease.generation) {
						retire(id, 'lost');
					}
				}

				const {live, accounts} = await board.heartbeat();
				const share = Math.ceil(accounts / Math.max(live, 1));
				for (const id of [...running.keys()].slice(share)) {
					retire(id, 'released');
				}

				for (const claimed of await board.claim(share - running.size)) {
					const worker = workerFor(claimed);
					if (worker) {
						running.set(claimed.accountId, {worker, lease: claimed, email: claimed.email});
						log(logLine('lease', {account: claimed.email, state: 'held', generation: claimed.generation}));
						worker.start();
					}
				}
			} catch (error) {
				log(logLine('leases', {error: error instanceof Error ? error.message : String(error)}));
				// Cut off from PostgreSQL: past the lease's life another process may hold these accounts; stop working on them.
				if (Date.now() - lastRenewal > leaseTtlSeconds * 1000) {
					for (const id of [...running.keys()]) {
						retire(id, 'lost');
					}
				}
			}
		};

		let timer: NodeJS.Timeout | undefined;
		let stopping = false;
		let scanning: Promise<void> = scan();
		const next = (): void => {
			if (stopping) {
				return;
			}

			timer = setTimeout(() => {
				scanning = scan().finally(next);
			}, scanMs);
		};

		void scanning.finally(next);
		const signal = await options.stopped;
		log(logLine('agent', {state: 'stopping', signal}));
		stopping = true;
		clearTimeout(timer);
		await scanning;
		await Promise.all([...running.values()].map(async entry => entry.worker.stop()));
		running.clear();
		await Promise.all(retiring);
		await board.leave().catch(() => undefined);
		log(logLine('agent', {state: 'stopped'}));
		return 0;
	} finally {
		await imap.close();
		await Promise.all([pool.end(), leasePool.end()]);
	}
}
