/**
 * The agent's tables in PostgreSQL, for a team: the accounts to serve, who holds each one (leases), and per account
 * the same state as the SQLite file (events, outcomes, cursor). Numbered migrations, run under an advisory lock so
 * that agents starting together migrate once.
 */
import type pg from 'pg';

/** Never edit one that shipped; add the next. */
const migrations: string[] = [
	`CREATE TABLE pmi_agent_accounts (
		id bigserial PRIMARY KEY,
		email text NOT NULL UNIQUE,
		-- The config file's shape without "state": {"account": {...}, "servers": {...}, "calendarUrl"}.
		config jsonb NOT NULL,
		enabled boolean NOT NULL DEFAULT true
	);
	CREATE TABLE pmi_agent_leases (
		account_id bigint PRIMARY KEY REFERENCES pmi_agent_accounts ON DELETE CASCADE,
		holder text,
		-- Raised on every takeover: a write carries the generation it was made under (fencing).
		generation bigint NOT NULL DEFAULT 0,
		expires_at timestamptz NOT NULL DEFAULT '-infinity'
	);
	CREATE TABLE pmi_agent_nodes (holder text PRIMARY KEY, seen_at timestamptz NOT NULL);
	CREATE TABLE pmi_agent_events (account_id bigint NOT NULL REFERENCES pmi_agent_accounts ON DELETE CASCADE, uid text NOT NULL, data jsonb NOT NULL, PRIMARY KEY (account_id, uid));
	CREATE TABLE pmi_agent_outcomes (account_id bigint NOT NULL REFERENCES pmi_agent_accounts ON DELETE CASCADE, key text NOT NULL, seq bigserial, kind text NOT NULL, data jsonb NOT NULL, PRIMARY KEY (account_id, key));
	CREATE INDEX pmi_agent_outcomes_by_seq ON pmi_agent_outcomes (account_id, seq);
	CREATE TABLE pmi_agent_cursors (account_id bigint PRIMARY KEY REFERENCES pmi_agent_accounts ON DELETE CASCADE, data jsonb NOT NULL);`,
	// Incoming invitations (issue 14): lib/attendee's copies, the received list and the address books' copy.
	`CREATE TABLE pmi_agent_invitation_copies (account_id bigint NOT NULL REFERENCES pmi_agent_accounts ON DELETE CASCADE, uid text NOT NULL, data jsonb NOT NULL, PRIMARY KEY (account_id, uid));
	CREATE TABLE pmi_agent_received_invitations (account_id bigint NOT NULL REFERENCES pmi_agent_accounts ON DELETE CASCADE, uid text NOT NULL, data jsonb NOT NULL, PRIMARY KEY (account_id, uid));
	CREATE TABLE pmi_agent_contacts (account_id bigint PRIMARY KEY REFERENCES pmi_agent_accounts ON DELETE CASCADE, data jsonb NOT NULL);`,
	// Calendar-app scheduling (issue 18): the watch state and outbox, the log of what was sent, and the ETag of each
	// event after the agent's own last write (which sends nothing).
	`CREATE TABLE pmi_agent_scheduling (account_id bigint PRIMARY KEY REFERENCES pmi_agent_accounts ON DELETE CASCADE, data jsonb NOT NULL);
	CREATE TABLE pmi_agent_scheduling_sent (account_id bigint NOT NULL REFERENCES pmi_agent_accounts ON DELETE CASCADE, id text NOT NULL, seq bigserial, data jsonb NOT NULL, PRIMARY KEY (account_id, id));
	CREATE INDEX pmi_agent_scheduling_sent_by_seq ON pmi_agent_scheduling_sent (account_id, seq);
	CREATE TABLE pmi_agent_own_etags (account_id bigint NOT NULL REFERENCES pmi_agent_accounts ON DELETE CASCADE, uid text NOT NULL, etag text NOT NULL, PRIMARY KEY (account_id, uid));`,
];

/** Any fixed number: the advisory lock that serializes migrations. */
const migrationLock = 1_701_700_017;

/** Runs `work` in one transaction on a connection of its own: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		const result = await work(client);
		await client.query('COMMIT');
		return result;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	} finally {
		client.release();
	}
}

export async function migrate(pool: pg.Pool): Promise<void> {
	await inTransaction(pool, async client => {
		await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
		await client.query('CREATE TABLE IF NOT EXISTS pmi_agent_migrations (version integer PRIMARY KEY)');
		const {rows} = await client.query<{version: number | null}>('SELECT max(version) AS version FROM pmi_agent_migrations');
		const done = rows[0]?.version ?? 0;
		if (done > migrations.length) {
			throw new Error(`the database was set up by a newer agent (schema ${done}, this one knows ${migrations.length})`);
		}

		for (let index = done; index < migrations.length; index++) {
			await client.query(migrations[index]!);
			await client.query('INSERT INTO pmi_agent_migrations (version) VALUES ($1)', [index + 1]);
		}
	});
}
