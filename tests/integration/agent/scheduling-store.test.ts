/**
 * Issue 18: the agent's two stores for calendar-app scheduling (relay/agent/sqlite-store.ts and postgres-store.ts,
 * migration 3 of each) pass one contract: watch state and outbox saved in one write, our own ETags, the sent log
 * (ordered, a re-sent mail logged once, pruned to the newest), mailboxes kept apart, and everything still there for the
 * next process after a crash. PostgreSQL is Debian's server started by tests/sandbox/postgres.ts; its writes are fenced
 * by the account's lease, so it also shows that a store which lost its lease writes nothing.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {emptySchedulingState, keptSentRecords, type OutboxEntry, type SchedulingState, type SchedulingStore, type SentRecord} from '../../../lib/scheduling/index.ts';
import {LeaseBoard} from '../../../relay/agent/leases.ts';
import {migrate} from '../../../relay/agent/postgres-schema.ts';
import {LeaseLostError, postgresStore, type Lease} from '../../../relay/agent/postgres-store.ts';
import {openAgentDatabase, type AgentDatabase} from '../../../relay/agent/sqlite-store.ts';
import {startPostgres, type SandboxPostgres} from '../../sandbox/postgres.ts';

const organizer = {email: 'olivia@example.org', name: 'Olivia'};
const now = (): Date => new Date('2026-12-02T12:00:00Z');

/** One opened store backend: a mailbox's scheduling store, its sent log (oldest first), and a "process restart". */
type Backend = {
	store(mailbox: string): Promise<SchedulingStore>;
	sent(mailbox: string): Promise<SentRecord[]>;
	/** Closes everything, as a killed process would leave it, and opens it again. */
	restart(): Promise<void>;
	close(): Promise<void>;
};

let postgres: SandboxPostgres;
let dir: string;

beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'scheduling-store-'));
	postgres = await startPostgres();
});

afterAll(async () => {
	await postgres?.stop();
	if (dir) {
		await rm(dir, {recursive: true, force: true});
	}
});

let databases = 0;

async function sqliteBackend(): Promise<Backend> {
	const file = path.join(dir, `agent-${databases++}.sqlite`);
	let db: AgentDatabase = openAgentDatabase(file);
	return {
		async store(mailbox) {
			return db.store(mailbox).scheduling(organizer, now);
		},
		async sent(mailbox) {
			return db.store(mailbox).sentForOtherApps().reverse();
		},
		async restart() {
			db.close();
			db = openAgentDatabase(file);
		},
		async close() {
			db.close();
		},
	};
}

async function postgresBackend(): Promise<Backend> {
	const database = `store_${databases++}`;
	const admin = new pg.Pool({connectionString: postgres.url});
	await admin.query(`CREATE DATABASE ${database}`);
	await admin.end();
	const url = new URL(postgres.url);
	url.pathname = `/${database}`;
	let pool = new pg.Pool({connectionString: url.href});
	await migrate(pool);
	const leases = new Map<string, Lease>();
	const leaseOf = async (mailbox: string): Promise<Lease> => {
		const key = mailbox.toLowerCase();
		if (!leases.has(key)) {
			await pool.query('INSERT INTO pmi_agent_accounts (email, config) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING', [key, {}]);
			const board = new LeaseBoard(pool, `test-${key}`);
			await board.heartbeat();
			const claimed = await board.claim(1);
			expect(claimed.map(lease => lease.email)).toEqual([key]);
			leases.set(key, claimed[0]!);
		}

		return leases.get(key)!;
	};

	return {
		async store(mailbox) {
			return postgresStore(pool, await leaseOf(mailbox)).scheduling(organizer, now);
		},
		async sent(mailbox) {
			const {accountId} = await leaseOf(mailbox);
			const {rows} = await pool.query<{data: SentRecord}>('SELECT data FROM pmi_agent_scheduling_sent WHERE account_id = $1 ORDER BY seq', [accountId]);
			return rows.map(row => row.data);
		},
		async restart() {
			await pool.end();
			pool = new pg.Pool({connectionString: url.href});
		},
		async close() {
			await pool.end();
		},
	};
}

function entry(id: string): OutboxEntry {
	return {
		id, uid: `uid-${id}`, summary: 'Team sync', sentence: 'Sent the invitation to Team sync to 2 people because it was made in another app',
		envelope: {from: organizer.email, to: ['alex@example.org', 'sam@example.org']}, raw: `Message-ID: <${id}@example.org>\r\n\r\nbody ${id}\r\n`, createdAt: now().toISOString(),
	};
}

function record(id: string, rejected: SentRecord['rejected'] = []): SentRecord {
	return {id, at: now().toISOString(), uid: `uid-${id}`, summary: 'Team sync', sentence: `sent ${id}`, rejected};
}

function state(outbox: OutboxEntry[]): SchedulingState {
	return {
		calendars: {
			'https://dav.example.org/cal/': {mode: 'sync', token: 'http://radicale.org/ns/sync/1', shadows: {'https://dav.example.org/cal/a.ics': {uid: 'a', etag: '"1"', ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'}}},
			'https://dav.example.org/other/': {mode: 'ctag', ctag: '7', etags: {'https://dav.example.org/other/b.ics': '"2"'}, shadows: {}},
		},
		outbox,
	};
}

const meeting = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//EN', 'BEGIN:VEVENT', 'UID:m1', 'DTSTAMP:20261202T100000Z', 'DTSTART:20270115T100000Z', 'DTEND:20270115T110000Z',
	'SUMMARY:Team sync', 'SEQUENCE:2', `ORGANIZER:mailto:${organizer.email}`, 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alex@example.org', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe.each([
	['SQLite', sqliteBackend],
	['PostgreSQL', postgresBackend],
] as const)('the %s scheduling store', (_name, open) => {
	let backend: Backend;

	beforeAll(async () => {
		backend = await open();
	});

	afterAll(async () => {
		await backend?.close();
	});

	test('a mailbox never seen: empty state, no own ETags, an empty log', async () => {
		const store = await backend.store('fresh@example.org');
		expect(await store.load()).toEqual(emptySchedulingState());
		expect(await store.ownEtags()).toEqual(new Map());
		expect(await backend.sent('fresh@example.org')).toEqual([]);
	});

	test('watch state and outbox saved in one write, read back whole; saving again replaces them', async () => {
		const store = await backend.store('saves@example.org');
		const first = state([entry('a'), entry('b')]);
		await store.save(first);
		expect(await store.load()).toEqual(first);
		const second = {...state([entry('c')]), calendars: {}};
		await store.save(second);
		expect(await store.load()).toEqual(second);
	});

	test('adopting a meeting: its ETag is one of ours, and adopting it again replaces the ETag', async () => {
		const store = await backend.store('adopts@example.org');
		await store.adopt({uid: 'm1', href: 'https://dav.example.org/cal/m1.ics', etag: '"e1"', calendarUrl: 'https://dav.example.org/cal/', ics: meeting});
		expect(await store.ownEtags()).toEqual(new Map([['m1', '"e1"']]));
		await store.adopt({uid: 'm1', href: 'https://dav.example.org/cal/m1.ics', etag: '"e2"', calendarUrl: 'https://dav.example.org/cal/', ics: meeting});
		expect(await store.ownEtags()).toEqual(new Map([['m1', '"e2"']]));
	});

	test('recordSent takes the mail out of the outbox and logs it, in order; a re-sent mail is logged once, as the newest', async () => {
		const mailbox = 'sends@example.org';
		const store = await backend.store(mailbox);
		const saved = state([entry('a'), entry('b'), entry('c')]);
		await store.save(saved);
		await store.recordSent(record('a'));
		await store.recordSent(record('b', [{address: 'sam@example.org', reason: '550 no such user'}]));
		expect((await store.load()).outbox.map(mail => mail.id)).toEqual(['c']);
		expect((await store.load()).calendars).toEqual(saved.calendars);
		expect(await backend.sent(mailbox)).toEqual([record('a'), record('b', [{address: 'sam@example.org', reason: '550 no such user'}])]);

		// A crash after SMTP accepted "a" and before it left the outbox: the next run sends it again and records it again.
		await store.recordSent(record('a'));
		expect((await backend.sent(mailbox)).map(sent => sent.id)).toEqual(['b', 'a']);
	});

	test(`the log keeps the newest ${keptSentRecords}`, async () => {
		const mailbox = 'prunes@example.org';
		const store = await backend.store(mailbox);
		const ids = Array.from({length: keptSentRecords + 5}, (_unused, index) => `m${index}`);
		await store.save(state(ids.map(id => entry(id))));
		for (const id of ids) {
			await store.recordSent(record(id));
		}

		expect((await backend.sent(mailbox)).map(sent => sent.id)).toEqual(ids.slice(-keptSentRecords));
		expect((await store.load()).outbox).toEqual([]);
	});

	test('mailboxes are kept apart', async () => {
		const one = await backend.store('one@example.org');
		const two = await backend.store('two@example.org');
		await one.save(state([entry('x')]));
		await one.adopt({uid: 'm1', href: 'https://dav.example.org/cal/m1.ics', etag: '"e1"', calendarUrl: 'https://dav.example.org/cal/', ics: meeting});
		await one.recordSent(record('x'));
		expect(await two.load()).toEqual(emptySchedulingState());
		expect(await two.ownEtags()).toEqual(new Map());
		expect(await backend.sent('two@example.org')).toEqual([]);
		expect(await backend.sent('one@example.org')).toEqual([record('x')]);
	});

	test('after a crash the next process finds the outbox, the watch state, the own ETags and the log as they were written', async () => {
		const mailbox = 'resumes@example.org';
		const store = await backend.store(mailbox);
		const saved = state([entry('r1'), entry('r2')]);
		await store.save(saved);
		await store.adopt({uid: 'm1', href: 'https://dav.example.org/cal/m1.ics', etag: '"e9"', calendarUrl: 'https://dav.example.org/cal/', ics: meeting});
		await store.recordSent(record('r1'));
		await backend.restart();
		const resumed = await backend.store(mailbox);
		expect(await resumed.load()).toEqual({...saved, outbox: [entry('r2')]});
		expect(await resumed.ownEtags()).toEqual(new Map([['m1', '"e9"']]));
		expect(await backend.sent(mailbox)).toEqual([record('r1')]);
	});
});

describe('the PostgreSQL store fences its writes by the lease', () => {
	test('a process whose lease was taken over writes nothing: save, adopt and recordSent fail with LeaseLostError', async () => {
		const pool = new pg.Pool({connectionString: postgres.url});
		try {
			await migrate(pool);
			await pool.query('INSERT INTO pmi_agent_accounts (email, config) VALUES ($1, $2)', ['fenced@example.org', {}]);
			const first = new LeaseBoard(pool, 'first');
			await first.heartbeat();
			const [lease] = await first.claim(1);
			const store = postgresStore(pool, lease!).scheduling(organizer, now);
			const saved = state([entry('f1')]);
			await store.save(saved);

			// The lease runs out and another process takes the account over (a new generation).
			await pool.query('UPDATE pmi_agent_leases SET expires_at = now() - interval \'1 second\' WHERE account_id = $1', [lease!.accountId]);
			const second = new LeaseBoard(pool, 'second');
			const [taken] = await second.claim(1);
			expect(taken?.accountId).toBe(lease!.accountId);
			expect(Number(taken!.generation)).toBeGreaterThan(Number(lease!.generation));

			await expect(store.save(emptySchedulingState())).rejects.toBeInstanceOf(LeaseLostError);
			await expect(store.adopt({uid: 'm1', href: 'https://dav.example.org/cal/m1.ics', etag: '"e1"', calendarUrl: 'https://dav.example.org/cal/', ics: meeting})).rejects.toBeInstanceOf(LeaseLostError);
			await expect(store.recordSent(record('f1'))).rejects.toBeInstanceOf(LeaseLostError);
			const survivor = postgresStore(pool, taken!).scheduling(organizer, now);
			expect(await survivor.load()).toEqual(saved);
			expect(await survivor.ownEtags()).toEqual(new Map());
		} finally {
			await pool.end();
		}
	});
});
