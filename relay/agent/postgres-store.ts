/**
 * One account's agent state in PostgreSQL, fenced by its lease: every write is one transaction that first locks the
 * account's lease row and checks that this process still holds it, under the generation it was given, and that it
 * has not expired. A process that lost its lease (it stalled, or was cut off) therefore cannot store an outcome or
 * move the cursor after another process took over: the new holder starts from what was committed, and a reply whose
 * calendar write happened without its outcome is seen again and found `unchanged` (lib/itip), never applied twice.
 */
import type pg from 'pg';
import type {AgentStore} from '../../lib/agent/index.ts';
import type {MessageOutcome, TrackedEvent} from '../../lib/model.ts';
import type {RepliesCursor} from '../../lib/relay-client/types.ts';
import type {ReplyLoopState} from '../../lib/reply-loop/index.ts';
import {keptAgentOutcomes} from './sqlite-store.ts';

export type Lease = {accountId: string; holder: string; generation: string};

/** This process no longer holds the account: nothing was written. */
export class LeaseLostError extends Error {
	override name = 'LeaseLostError';
}

async function fenced(pool: pg.Pool, lease: Lease, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		const held = await client.query(
			'SELECT 1 FROM pmi_agent_leases WHERE account_id = $1 AND holder = $2 AND generation = $3 AND expires_at > now() FOR UPDATE',
			[lease.accountId, lease.holder, lease.generation],
		);
		if (held.rowCount !== 1) {
			throw new LeaseLost(lease);
		}

		await work(client);
		await client.query('COMMIT');
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	} finally {
		client.release();
	}
}

class LeaseLost extends LeaseLostError {
	constructor(lease: Lease) {
		super(`the lease on account ${lease.accountId} (generation ${lease.generation}) is no longer ours`);
	}
}

async function putEvents(client: pg.PoolClient, accountId: string, events: readonly TrackedEvent[]): Promise<void> {
	for (const event of events) {
		await client.query(
			'INSERT INTO pmi_agent_events (account_id, uid, data) VALUES ($1, $2, $3) ON CONFLICT (account_id, uid) DO UPDATE SET data = excluded.data',
			[accountId, event.uid, JSON.stringify(event)],
		);
	}
}

export function postgresStore(pool: pg.Pool, lease: Lease): AgentStore {
	const {accountId} = lease;
	return {
		async load(): Promise<ReplyLoopState> {
			const [cursor, events, keys, parked] = await Promise.all([
				pool.query<{data: RepliesCursor}>('SELECT data FROM pmi_agent_cursors WHERE account_id = $1', [accountId]),
				pool.query<{data: TrackedEvent}>('SELECT data FROM pmi_agent_events WHERE account_id = $1', [accountId]),
				pool.query<{key: string}>('SELECT key FROM pmi_agent_outcomes WHERE account_id = $1', [accountId]),
				pool.query<{data: MessageOutcome}>('SELECT data FROM pmi_agent_outcomes WHERE account_id = $1 AND kind = \'parked\' ORDER BY seq', [accountId]),
			]);
			return {
				cursor: cursor.rows[0]?.data ?? null,
				events: Object.fromEntries(events.rows.map(row => [row.data.uid, row.data])),
				doneKeys: new Set(keys.rows.map(row => row.key)),
				parked: parked.rows.map(row => row.data).filter(outcome => !outcome.dismissed),
			};
		},
		async commit(update) {
			await fenced(pool, lease, async client => {
				await putEvents(client, accountId, update.events);
				for (const outcome of update.outcomes) {
					await client.query(
						`INSERT INTO pmi_agent_outcomes (account_id, key, kind, data) VALUES ($1, $2, $3, $4)
						 ON CONFLICT (account_id, key) DO UPDATE SET seq = nextval(pg_get_serial_sequence('pmi_agent_outcomes', 'seq')), kind = excluded.kind, data = excluded.data`,
						[accountId, outcome.key, outcome.outcome, JSON.stringify(outcome)],
					);
				}

				await client.query(
					'DELETE FROM pmi_agent_outcomes WHERE account_id = $1 AND seq <= (SELECT seq FROM pmi_agent_outcomes WHERE account_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)',
					[accountId, keptAgentOutcomes],
				);
			});
		},
		async saveCursor(cursor) {
			await fenced(pool, lease, async client => {
				await client.query(
					'INSERT INTO pmi_agent_cursors (account_id, data) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET data = excluded.data',
					[accountId, JSON.stringify(cursor)],
				);
			});
		},
		async syncEvents(update) {
			await fenced(pool, lease, async client => {
				if (update.removed.length > 0) {
					await client.query('DELETE FROM pmi_agent_events WHERE account_id = $1 AND uid = ANY($2)', [accountId, update.removed]);
				}

				await putEvents(client, accountId, update.put);
			});
		},
	};
}
