/**
 * Who works on which account, when several agent processes share one PostgreSQL: a lease row per account, taken
 * with `FOR UPDATE SKIP LOCKED` (two processes claiming at once never take the same row and never wait for each
 * other), renewed while the holder lives, and taken over once it has expired. Each takeover raises the lease's
 * generation, which every write checks (postgres-store.ts), so a holder that stalled past its lease writes nothing.
 *
 * The bound: a holder renews every `scanMs`; a lease lasts `leaseTtlSeconds` past its last renewal; the others
 * look for expired leases every `scanMs`. So a process that dies or is cut off from PostgreSQL loses its accounts
 * at most `leaseTtlSeconds` after its last renewal, and another process starts on them within
 * `takeoverBoundSeconds` of its death.
 */
import type pg from 'pg';
import type {Lease} from './postgres-store.ts';

export const leaseTtlSeconds = 15;
export const scanMs = 5000;
export const takeoverBoundSeconds = leaseTtlSeconds + scanMs / 1000;

export type ClaimedLease = Lease & {email: string; config: unknown};

export class LeaseBoard {
	readonly #pool: pg.Pool;
	readonly #holder: string;

	constructor(pool: pg.Pool, holder: string) {
		this.#pool = pool;
		this.#holder = holder;
	}

	get holder(): string {
		return this.#holder;
	}

	/**
	 * Says this process is alive, gives every account a lease row, and counts live processes and enabled accounts
	 * (for each process's fair share).
	 */
	async heartbeat(): Promise<{live: number; accounts: number}> {
		await this.#pool.query('INSERT INTO pmi_agent_nodes (holder, seen_at) VALUES ($1, now()) ON CONFLICT (holder) DO UPDATE SET seen_at = now()', [this.#holder]);
		await this.#pool.query('INSERT INTO pmi_agent_leases (account_id) SELECT id FROM pmi_agent_accounts ON CONFLICT DO NOTHING');
		const {rows} = await this.#pool.query<{live: string; accounts: string}>(
			`SELECT (SELECT count(*) FROM pmi_agent_nodes WHERE seen_at > now() - make_interval(secs => $1)) AS live,
			        (SELECT count(*) FROM pmi_agent_accounts WHERE enabled) AS accounts`,
			[leaseTtlSeconds],
		);
		return {live: Number(rows[0]?.live ?? 1), accounts: Number(rows[0]?.accounts ?? 0)};
	}

	/** Extends every unexpired lease this process holds; returns them (account id → generation). */
	async renew(): Promise<Map<string, string>> {
		const {rows} = await this.#pool.query<{account_id: string; generation: string}>(
			'UPDATE pmi_agent_leases SET expires_at = now() + make_interval(secs => $2) WHERE holder = $1 AND expires_at > now() RETURNING account_id, generation',
			[this.#holder, leaseTtlSeconds],
		);
		return new Map(rows.map(row => [String(row.account_id), String(row.generation)]));
	}

	/** Takes up to `count` expired or free leases of enabled accounts. */
	async claim(count: number): Promise<ClaimedLease[]> {
		if (count <= 0) {
			return [];
		}

		const {rows} = await this.#pool.query<{account_id: string; generation: string; email: string; config: unknown}>(
			`WITH free AS (
				SELECT l.account_id FROM pmi_agent_leases l JOIN pmi_agent_accounts a ON a.id = l.account_id
				WHERE a.enabled AND l.expires_at <= now()
				ORDER BY l.account_id LIMIT $2
				FOR UPDATE OF l SKIP LOCKED)
			UPDATE pmi_agent_leases l SET holder = $1, generation = l.generation + 1, expires_at = now() + make_interval(secs => $3)
			FROM free, pmi_agent_accounts a
			WHERE l.account_id = free.account_id AND a.id = l.account_id
			RETURNING l.account_id, l.generation, a.email, a.config`,
			[this.#holder, count, leaseTtlSeconds],
		);
		return rows.map(row => ({accountId: String(row.account_id), generation: String(row.generation), holder: this.#holder, email: row.email, config: row.config}));
	}

	/** Gives a lease back at once (on shutdown, or to even out the load), so another process need not wait for it to expire. */
	async release(lease: Lease): Promise<void> {
		await this.#pool.query(
			'UPDATE pmi_agent_leases SET holder = NULL, expires_at = \'-infinity\' WHERE account_id = $1 AND holder = $2 AND generation = $3',
			[lease.accountId, lease.holder, lease.generation],
		);
	}

	/** Leaves: gives every lease back and drops the heartbeat. */
	async leave(): Promise<void> {
		await this.#pool.query('UPDATE pmi_agent_leases SET holder = NULL, expires_at = \'-infinity\' WHERE holder = $1', [this.#holder]);
		await this.#pool.query('DELETE FROM pmi_agent_nodes WHERE holder = $1', [this.#holder]);
	}
}
