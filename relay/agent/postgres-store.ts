/**
 * One account's agent state in PostgreSQL, fenced by its lease: every write is one transaction that first locks the
 * account's lease row and checks that this process still holds it, under the generation it was given, and that it
 * has not expired. A process that lost its lease (it stalled, or was cut off) therefore cannot store an outcome or
 * move the cursor after another process took over: the new holder starts from what was committed, and a reply whose
 * calendar write happened without its outcome is seen again and found `unchanged` (lib/itip), never applied twice.
 */
import type pg from 'pg';
import type {InvitationRecord} from '../../lib/attendee/types.ts';
import {knownAddresses} from '../../lib/contacts/contacts-port.ts';
import {noContacts, type ContactsCopy} from '../../lib/contacts/types.ts';
import {relocated, savedCopies} from '../../lib/invitations/store-changes.ts';
import type {ReceivedInvitation} from '../../lib/invitations/types.ts';
import type {MessageOutcome, TrackedEvent} from '../../lib/model.ts';
import {emptySchedulingState, keptSentRecords, trackedFrom, type SchedulingState, type SchedulingStore} from '../../lib/scheduling/index.ts';
import type {RepliesCursor} from '../../lib/relay-client/types.ts';
import type {ReplyLoopState} from '../../lib/reply-loop/index.ts';
import {inTransaction} from './postgres-schema.ts';
import {keptAgentOutcomes} from './sqlite-store.ts';
import type {AgentMailboxStore} from './worker.ts';

export type Lease = {accountId: string; holder: string; generation: string};

/** This process no longer holds the account: nothing was written. */
export class LeaseLostError extends Error {
	override name = 'LeaseLostError';
}

async function fenced(pool: pg.Pool, lease: Lease, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
	await inTransaction(pool, async client => {
		const held = await client.query(
			'SELECT 1 FROM pmi_agent_leases WHERE account_id = $1 AND holder = $2 AND generation = $3 AND expires_at > now() FOR UPDATE',
			[lease.accountId, lease.holder, lease.generation],
		);
		if (held.rowCount !== 1) {
			throw new LeaseLost(lease);
		}

		await work(client);
	});
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

type Queryable = Pick<pg.Pool, 'query'>;

async function rowsByUid<T extends {uid: string}>(client: Queryable, table: 'pmi_agent_events' | 'pmi_agent_invitation_copies' | 'pmi_agent_received_invitations', accountId: string, lock = false): Promise<Record<string, T>> {
	const {rows} = await client.query<{data: T}>(`SELECT data FROM ${table} WHERE account_id = $1${lock ? ' FOR UPDATE' : ''}`, [accountId]);
	return Object.fromEntries(rows.map(row => [row.data.uid, row.data]));
}

async function putReceived(client: pg.PoolClient, accountId: string, received: Iterable<ReceivedInvitation>): Promise<void> {
	for (const invitation of received) {
		await client.query(
			'INSERT INTO pmi_agent_received_invitations (account_id, uid, data) VALUES ($1, $2, $3) ON CONFLICT (account_id, uid) DO UPDATE SET data = excluded.data',
			[accountId, invitation.uid, JSON.stringify(invitation)],
		);
	}
}

async function putOwnEtags(client: pg.PoolClient, accountId: string, events: readonly TrackedEvent[]): Promise<void> {
	for (const event of events) {
		await client.query(
			'INSERT INTO pmi_agent_own_etags (account_id, uid, etag) VALUES ($1, $2, $3) ON CONFLICT (account_id, uid) DO UPDATE SET etag = excluded.etag',
			[accountId, event.uid, event.etag],
		);
	}
}

async function schedulingState(client: Queryable, accountId: string, lock = false): Promise<SchedulingState> {
	const {rows} = await client.query<{data: SchedulingState}>(`SELECT data FROM pmi_agent_scheduling WHERE account_id = $1${lock ? ' FOR UPDATE' : ''}`, [accountId]);
	return rows[0]?.data ?? emptySchedulingState();
}

async function putSchedulingState(client: pg.PoolClient, accountId: string, state: SchedulingState): Promise<void> {
	await client.query(
		'INSERT INTO pmi_agent_scheduling (account_id, data) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET data = excluded.data',
		[accountId, JSON.stringify(state)],
	);
}

/** Calendar-app scheduling's store for the account (issue 18), every write fenced like the reply loop's. */
function postgresSchedulingStore(pool: pg.Pool, lease: Lease, organizer: {email: string; name: string}, now: () => Date): SchedulingStore {
	const {accountId} = lease;
	return {
		async load() {
			return schedulingState(pool, accountId);
		},
		async save(state) {
			await fenced(pool, lease, async client => putSchedulingState(client, accountId, state));
		},
		async ownEtags() {
			const {rows} = await pool.query<{uid: string; etag: string}>('SELECT uid, etag FROM pmi_agent_own_etags WHERE account_id = $1', [accountId]);
			return new Map(rows.map(row => [row.uid, row.etag]));
		},
		async adopt(event) {
			await fenced(pool, lease, async client => {
				const existing = (await rowsByUid<TrackedEvent>(client, 'pmi_agent_events', accountId, true))[event.uid];
				const tracked = trackedFrom(event, existing, organizer, now());
				await putEvents(client, accountId, [tracked]);
				await putOwnEtags(client, accountId, [tracked]);
			});
		},
		async recordSent(record) {
			// One transaction for both: a mail is never out of the outbox without its line in the log, nor the reverse.
			await fenced(pool, lease, async client => {
				const state = await schedulingState(client, accountId, true);
				await putSchedulingState(client, accountId, {...state, outbox: state.outbox.filter(entry => entry.id !== record.id)});
				await client.query(
					`INSERT INTO pmi_agent_scheduling_sent (account_id, id, data) VALUES ($1, $2, $3)
					 ON CONFLICT (account_id, id) DO UPDATE SET seq = nextval(pg_get_serial_sequence('pmi_agent_scheduling_sent', 'seq')), data = excluded.data`,
					[accountId, record.id, JSON.stringify(record)],
				);
				await client.query(
					'DELETE FROM pmi_agent_scheduling_sent WHERE account_id = $1 AND seq <= (SELECT seq FROM pmi_agent_scheduling_sent WHERE account_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)',
					[accountId, keptSentRecords],
				);
			});
		},
	};
}

export function postgresStore(pool: pg.Pool, lease: Lease): AgentMailboxStore {
	const {accountId} = lease;
	return {
		async outcome(key) {
			const {rows} = await pool.query<{data: MessageOutcome}>('SELECT data FROM pmi_agent_outcomes WHERE account_id = $1 AND key = $2', [accountId, key]);
			return rows[0]?.data;
		},
		async reviews(limit) {
			const {rows} = await pool.query<{data: MessageOutcome}>(
				`SELECT data FROM pmi_agent_outcomes WHERE account_id = $1 AND kind IN ('review', 'parked') AND NOT coalesce((data->>'dismissed')::boolean, false)
				 ORDER BY seq DESC LIMIT $2`,
				[accountId, limit],
			);
			return rows.map(row => row.data);
		},
		invitations: {
			async load() {
				const [copies, received] = await Promise.all([
					rowsByUid<InvitationRecord>(pool, 'pmi_agent_invitation_copies', accountId),
					rowsByUid<ReceivedInvitation>(pool, 'pmi_agent_received_invitations', accountId),
				]);
				return {copies, received};
			},
			async save(changes) {
				await fenced(pool, lease, async client => {
					const next = savedCopies(await rowsByUid<InvitationRecord>(client, 'pmi_agent_invitation_copies', accountId, true), changes);
					for (const copy of changes.copies) {
						await client.query(
							'INSERT INTO pmi_agent_invitation_copies (account_id, uid, data) VALUES ($1, $2, $3) ON CONFLICT (account_id, uid) DO UPDATE SET data = excluded.data',
							[accountId, copy.uid, JSON.stringify(next[copy.uid])],
						);
					}

					if (changes.removedCopies.length > 0) {
						await client.query('DELETE FROM pmi_agent_invitation_copies WHERE account_id = $1 AND uid = ANY($2)', [accountId, changes.removedCopies]);
					}

					await putReceived(client, accountId, changes.received);
				});
			},
			async relocate(moved) {
				await fenced(pool, lease, async client => {
					await putReceived(client, accountId, Object.values(relocated(await rowsByUid<ReceivedInvitation>(client, 'pmi_agent_received_invitations', accountId, true), moved)));
				});
			},
			copies: {
				async get(uid) {
					const {rows} = await pool.query<{data: InvitationRecord}>('SELECT data FROM pmi_agent_invitation_copies WHERE account_id = $1 AND uid = $2', [accountId, uid]);
					return rows[0]?.data;
				},
				async update(uid, change) {
					let stored: InvitationRecord | undefined;
					await fenced(pool, lease, async client => {
						const {rows} = await client.query<{data: InvitationRecord}>('SELECT data FROM pmi_agent_invitation_copies WHERE account_id = $1 AND uid = $2 FOR UPDATE', [accountId, uid]);
						const next = change(rows[0]?.data);
						if (next) {
							await client.query(
								'INSERT INTO pmi_agent_invitation_copies (account_id, uid, data) VALUES ($1, $2, $3) ON CONFLICT (account_id, uid) DO UPDATE SET data = excluded.data',
								[accountId, uid, JSON.stringify(next)],
							);
						}

						stored = next ?? rows[0]?.data;
					});
					return stored;
				},
				async remove(uid) {
					await fenced(pool, lease, async client => {
						await client.query('DELETE FROM pmi_agent_invitation_copies WHERE account_id = $1 AND uid = $2', [accountId, uid]);
					});
				},
			},
			contacts: {
				async load() {
					const [copy, events, copies] = await Promise.all([
						pool.query<{data: ContactsCopy}>('SELECT data FROM pmi_agent_contacts WHERE account_id = $1', [accountId]),
						rowsByUid<TrackedEvent>(pool, 'pmi_agent_events', accountId),
						rowsByUid<InvitationRecord>(pool, 'pmi_agent_invitation_copies', accountId),
					]);
					return {copy: copy.rows[0]?.data ?? noContacts, known: knownAddresses(events, copies)};
				},
				async save(copy) {
					await fenced(pool, lease, async client => {
						await client.query(
							'INSERT INTO pmi_agent_contacts (account_id, data) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET data = excluded.data',
							[accountId, JSON.stringify(copy)],
						);
					});
				},
			},
		},
		async load(): Promise<ReplyLoopState> {
			const [cursor, events, keys, parked] = await Promise.all([
				pool.query<{data: RepliesCursor}>('SELECT data FROM pmi_agent_cursors WHERE account_id = $1', [accountId]),
				rowsByUid<TrackedEvent>(pool, 'pmi_agent_events', accountId),
				pool.query<{key: string}>('SELECT key FROM pmi_agent_outcomes WHERE account_id = $1', [accountId]),
				pool.query<{data: MessageOutcome}>('SELECT data FROM pmi_agent_outcomes WHERE account_id = $1 AND kind = \'parked\' ORDER BY seq', [accountId]),
			]);
			return {
				cursor: cursor.rows[0]?.data ?? null,
				events,
				doneKeys: new Set(keys.rows.map(row => row.key)),
				parked: parked.rows.map(row => row.data).filter(outcome => !outcome.dismissed),
			};
		},
		async commit(update) {
			await fenced(pool, lease, async client => {
				await putEvents(client, accountId, update.events);
				// The reply loop's events are those it wrote to the calendar: their new ETag is ours.
				await putOwnEtags(client, accountId, update.events);
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
		scheduling(organizer, now = () => new Date()) {
			return postgresSchedulingStore(pool, lease, organizer, now);
		},
	};
}
