/**
 * The agent's state in SQLite (better-sqlite3): per mailbox the cursor, the events it tracks (href and ETag
 * included) and the outcome of every message. Each write is one transaction, so an outcome is never stored without
 * its event's new state, and the cursor is written only after them (exactly once, as in the extension). Calendar-app
 * scheduling (issue 18) keeps its watch state and outbox, its log, and the ETags of the agent's own calendar writes.
 */
import Database from 'better-sqlite3';
import type {AgentInvitationState} from '../../lib/agent/index.ts';
import type {InvitationRecord} from '../../lib/attendee/types.ts';
import {knownAddresses} from '../../lib/contacts/contacts-port.ts';
import {noContacts, type ContactsCopy} from '../../lib/contacts/types.ts';
import {relocated, savedCopies} from '../../lib/invitations/store-changes.ts';
import type {ReceivedInvitation} from '../../lib/invitations/types.ts';
import {emptySchedulingState, keptSentRecords, trackedFrom, type SchedulingState, type SchedulingStore, type SentRecord} from '../../lib/scheduling/index.ts';
import type {MessageOutcome, TrackedEvent} from '../../lib/model.ts';
import type {RepliesCursor} from '../../lib/relay-client/types.ts';
import type {ReplyLoopState} from '../../lib/reply-loop/index.ts';
import type {AgentMailboxStore} from './worker.ts';

/** Outcomes kept per mailbox (the newest); older ones are of no use to the loop and only grow the file. */
export const keptAgentOutcomes = 10_000;

/** Numbered migrations: `PRAGMA user_version` says how many ran. Never edit one that shipped; add the next. */
const migrations: string[] = [
	`CREATE TABLE events (mailbox TEXT NOT NULL, uid TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (mailbox, uid));
	 CREATE TABLE outcomes (mailbox TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (mailbox, key));
	 CREATE INDEX outcomes_by_seq ON outcomes (mailbox, seq);
	 CREATE TABLE cursors (mailbox TEXT PRIMARY KEY, data TEXT NOT NULL);`,
	// Incoming invitations (issue 14): lib/attendee's copies, the received list and the address books' copy.
	`CREATE TABLE invitation_copies (mailbox TEXT NOT NULL, uid TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (mailbox, uid));
	 CREATE TABLE received_invitations (mailbox TEXT NOT NULL, uid TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (mailbox, uid));
	 CREATE TABLE contacts (mailbox TEXT PRIMARY KEY, data TEXT NOT NULL);`,
	// Calendar-app scheduling: the watch state and outbox (one JSON per mailbox), the log of what was sent, and the
	// ETag of each event after the agent's own last write (the reply loop's, an adoption), which sends nothing.
	`CREATE TABLE scheduling (mailbox TEXT PRIMARY KEY, data TEXT NOT NULL);
	 CREATE TABLE scheduling_sent (mailbox TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (mailbox, id));
	 CREATE TABLE own_etags (mailbox TEXT NOT NULL, uid TEXT NOT NULL, etag TEXT NOT NULL, PRIMARY KEY (mailbox, uid));`,
];

export type AgentDatabase = {
	/** The store for one mailbox (keyed by its address). */
	store(mailbox: string): AgentMailboxStore & {outcomes(limit?: number): MessageOutcome[]; sentForOtherApps(limit?: number): SentRecord[]};
	close(): void;
};

/** Opens (creating if needed) and migrates the database at `file`. */
export function openAgentDatabase(file: string): AgentDatabase {
	const db = new Database(file);
	// WAL: a reader (the status command, a backup) never blocks the agent; synchronous=FULL: a committed outcome survives power loss.
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = FULL');
	db.pragma('busy_timeout = 5000');
	const version = db.pragma('user_version', {simple: true}) as number;
	if (version > migrations.length) {
		db.close();
		throw new Error(`${file} was written by a newer agent (schema ${version}, this one knows ${migrations.length})`);
	}

	db.transaction(() => {
		for (let index = version; index < migrations.length; index++) {
			db.exec(migrations[index]!);
		}

		db.pragma(`user_version = ${migrations.length}`);
	}).immediate();

	const statements = {
		events: db.prepare<[string], {data: string}>('SELECT data FROM events WHERE mailbox = ?'),
		putEvent: db.prepare('INSERT INTO events (mailbox, uid, data) VALUES (?, ?, ?) ON CONFLICT (mailbox, uid) DO UPDATE SET data = excluded.data'),
		removeEvent: db.prepare('DELETE FROM events WHERE mailbox = ? AND uid = ?'),
		outcomes: db.prepare<[string, number], {data: string}>('SELECT data FROM outcomes WHERE mailbox = ? ORDER BY seq DESC LIMIT ?'),
		outcome: db.prepare<[string, string], {data: string}>('SELECT data FROM outcomes WHERE mailbox = ? AND key = ?'),
		reviews: db.prepare<[string, number], {data: string}>('SELECT data FROM outcomes WHERE mailbox = ? AND kind IN (\'review\', \'parked\') AND json_extract(data, \'$.dismissed\') IS NOT 1 ORDER BY seq DESC LIMIT ?'),
		keys: db.prepare<[string], {key: string}>('SELECT key FROM outcomes WHERE mailbox = ?'),
		parked: db.prepare<[string], {data: string}>('SELECT data FROM outcomes WHERE mailbox = ? AND kind = \'parked\' ORDER BY seq'),
		nextSeq: db.prepare<[string], {seq: number}>('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM outcomes WHERE mailbox = ?'),
		putOutcome: db.prepare('INSERT INTO outcomes (mailbox, key, seq, kind, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (mailbox, key) DO UPDATE SET seq = excluded.seq, kind = excluded.kind, data = excluded.data'),
		prune: db.prepare('DELETE FROM outcomes WHERE mailbox = ? AND seq <= (SELECT seq FROM outcomes WHERE mailbox = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)'),
		cursor: db.prepare<[string], {data: string}>('SELECT data FROM cursors WHERE mailbox = ?'),
		putCursor: db.prepare('INSERT INTO cursors (mailbox, data) VALUES (?, ?) ON CONFLICT (mailbox) DO UPDATE SET data = excluded.data'),
		copies: db.prepare<[string], {data: string}>('SELECT data FROM invitation_copies WHERE mailbox = ?'),
		putCopy: db.prepare('INSERT INTO invitation_copies (mailbox, uid, data) VALUES (?, ?, ?) ON CONFLICT (mailbox, uid) DO UPDATE SET data = excluded.data'),
		removeCopy: db.prepare('DELETE FROM invitation_copies WHERE mailbox = ? AND uid = ?'),
		received: db.prepare<[string], {data: string}>('SELECT data FROM received_invitations WHERE mailbox = ?'),
		putReceived: db.prepare('INSERT INTO received_invitations (mailbox, uid, data) VALUES (?, ?, ?) ON CONFLICT (mailbox, uid) DO UPDATE SET data = excluded.data'),
		contacts: db.prepare<[string], {data: string}>('SELECT data FROM contacts WHERE mailbox = ?'),
		putContacts: db.prepare('INSERT INTO contacts (mailbox, data) VALUES (?, ?) ON CONFLICT (mailbox) DO UPDATE SET data = excluded.data'),
		scheduling: db.prepare<[string], {data: string}>('SELECT data FROM scheduling WHERE mailbox = ?'),
		putScheduling: db.prepare('INSERT INTO scheduling (mailbox, data) VALUES (?, ?) ON CONFLICT (mailbox) DO UPDATE SET data = excluded.data'),
		ownEtags: db.prepare<[string], {uid: string; etag: string}>('SELECT uid, etag FROM own_etags WHERE mailbox = ?'),
		putOwnEtag: db.prepare('INSERT INTO own_etags (mailbox, uid, etag) VALUES (?, ?, ?) ON CONFLICT (mailbox, uid) DO UPDATE SET etag = excluded.etag'),
		event: db.prepare<[string, string], {data: string}>('SELECT data FROM events WHERE mailbox = ? AND uid = ?'),
		sent: db.prepare<[string, number], {data: string}>('SELECT data FROM scheduling_sent WHERE mailbox = ? ORDER BY seq DESC LIMIT ?'),
		nextSentSeq: db.prepare<[string], {seq: number}>('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM scheduling_sent WHERE mailbox = ?'),
		putSent: db.prepare('INSERT INTO scheduling_sent (mailbox, id, seq, data) VALUES (?, ?, ?, ?) ON CONFLICT (mailbox, id) DO UPDATE SET seq = excluded.seq, data = excluded.data'),
		pruneSent: db.prepare('DELETE FROM scheduling_sent WHERE mailbox = ? AND seq <= (SELECT seq FROM scheduling_sent WHERE mailbox = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)'),
	};

	const schedulingState = (mailbox: string): SchedulingState => {
		const row = statements.scheduling.get(mailbox);
		return row ? JSON.parse(row.data) as SchedulingState : emptySchedulingState();
	};

	const byUid = <T extends {uid: string}>(rows: Array<{data: string}>): Record<string, T> => Object.fromEntries(rows.map(row => {
		const value = JSON.parse(row.data) as T;
		return [value.uid, value];
	}));
	const copiesOf = (mailbox: string): Record<string, InvitationRecord> => byUid(statements.copies.all(mailbox));
	const receivedOf = (mailbox: string): Record<string, ReceivedInvitation> => byUid(statements.received.all(mailbox));
	const putReceived = (mailbox: string, received: Iterable<ReceivedInvitation>): void => {
		for (const invitation of received) {
			statements.putReceived.run(mailbox, invitation.uid, JSON.stringify(invitation));
		}
	};

	const saveInvitations = db.transaction((mailbox: string, changes: Parameters<AgentInvitationState['save']>[0]) => {
		const next = savedCopies(copiesOf(mailbox), changes);
		for (const copy of changes.copies) {
			statements.putCopy.run(mailbox, copy.uid, JSON.stringify(next[copy.uid]));
		}

		for (const uid of changes.removedCopies) {
			statements.removeCopy.run(mailbox, uid);
		}

		putReceived(mailbox, changes.received);
	});
	// lib/attendee's answer flow: one copy read, changed and written as it says (its reply included).
	const updateCopy = db.transaction((mailbox: string, uid: string, change: (current: InvitationRecord | undefined) => InvitationRecord | undefined) => {
		const current = copiesOf(mailbox)[uid];
		const next = change(current);
		if (next) {
			statements.putCopy.run(mailbox, uid, JSON.stringify(next));
		}

		return next ?? current;
	});
	const relocate = db.transaction((mailbox: string, moved: Parameters<AgentInvitationState['relocate']>[0]) => {
		putReceived(mailbox, Object.values(relocated(receivedOf(mailbox), moved)));
	});

	const commit = db.transaction((mailbox: string, update: {events: TrackedEvent[]; outcomes: MessageOutcome[]}) => {
		for (const event of update.events) {
			statements.putEvent.run(mailbox, event.uid, JSON.stringify(event));
			// The reply loop's events are those it wrote to the calendar: their new ETag is ours.
			statements.putOwnEtag.run(mailbox, event.uid, event.etag);
		}

		let {seq} = statements.nextSeq.get(mailbox)!;
		for (const outcome of update.outcomes) {
			statements.putOutcome.run(mailbox, outcome.key, seq++, outcome.outcome, JSON.stringify(outcome));
		}

		statements.prune.run(mailbox, mailbox, keptAgentOutcomes);
	});
	const sync = db.transaction((mailbox: string, update: {put: TrackedEvent[]; removed: string[]}) => {
		for (const uid of update.removed) {
			statements.removeEvent.run(mailbox, uid);
		}

		for (const event of update.put) {
			statements.putEvent.run(mailbox, event.uid, JSON.stringify(event));
		}
	});

	const adopt = db.transaction((mailbox: string, event: TrackedEvent) => {
		statements.putEvent.run(mailbox, event.uid, JSON.stringify(event));
		statements.putOwnEtag.run(mailbox, event.uid, event.etag);
	});
	const recordSent = db.transaction((mailbox: string, record: SentRecord) => {
		// One transaction for both: a mail is never out of the outbox without its line in the log, nor the reverse.
		const state = schedulingState(mailbox);
		statements.putScheduling.run(mailbox, JSON.stringify({...state, outbox: state.outbox.filter(entry => entry.id !== record.id)}));
		statements.putSent.run(mailbox, record.id, statements.nextSentSeq.get(mailbox)!.seq, JSON.stringify(record));
		statements.pruneSent.run(mailbox, mailbox, keptSentRecords);
	});

	const schedulingStore = (key: string, organizer: {email: string; name: string}, now: () => Date): SchedulingStore => ({
		async load() {
			return schedulingState(key);
		},
		async save(state) {
			statements.putScheduling.run(key, JSON.stringify(state));
		},
		async ownEtags() {
			return new Map(statements.ownEtags.all(key).map(row => [row.uid, row.etag]));
		},
		async adopt(event) {
			const existing = statements.event.get(key, event.uid);
			adopt.immediate(key, trackedFrom(event, existing ? JSON.parse(existing.data) as TrackedEvent : undefined, organizer, now()));
		},
		async recordSent(record) {
			recordSent.immediate(key, record);
		},
	});

	return {
		store(mailbox: string) {
			const key = mailbox.toLowerCase();
			return {
				async load(): Promise<ReplyLoopState> {
					const cursor = statements.cursor.get(key);
					return {
						cursor: cursor ? JSON.parse(cursor.data) as RepliesCursor : null,
						events: byUid<TrackedEvent>(statements.events.all(key)),
						doneKeys: new Set(statements.keys.all(key).map(row => row.key)),
						parked: statements.parked.all(key).map(row => JSON.parse(row.data) as MessageOutcome).filter(outcome => !outcome.dismissed),
					};
				},
				async commit(update) {
					commit.immediate(key, update);
				},
				async saveCursor(cursor) {
					statements.putCursor.run(key, JSON.stringify(cursor));
				},
				async syncEvents(update) {
					sync.immediate(key, update);
				},
				async outcome(outcomeKey) {
					const row = statements.outcome.get(key, outcomeKey);
					return row ? JSON.parse(row.data) as MessageOutcome : undefined;
				},
				async reviews(limit) {
					return statements.reviews.all(key, limit).map(row => JSON.parse(row.data) as MessageOutcome);
				},
				invitations: {
					async load() {
						return {copies: copiesOf(key), received: receivedOf(key)};
					},
					async save(changes) {
						saveInvitations.immediate(key, changes);
					},
					async relocate(moved) {
						relocate.immediate(key, moved);
					},
					copies: {
						async get(uid) {
							return copiesOf(key)[uid];
						},
						async update(uid, change) {
							return updateCopy.immediate(key, uid, change);
						},
						async remove(uid) {
							statements.removeCopy.run(key, uid);
						},
					},
					contacts: {
						async load() {
							const row = statements.contacts.get(key);
							return {copy: row ? JSON.parse(row.data) as ContactsCopy : noContacts, known: knownAddresses(byUid(statements.events.all(key)), copiesOf(key))};
						},
						async save(copy) {
							statements.putContacts.run(key, JSON.stringify(copy));
						},
					},
				},
				outcomes(limit = 200) {
					return statements.outcomes.all(key, limit).map(row => JSON.parse(row.data) as MessageOutcome);
				},
				scheduling(organizer, now = () => new Date()) {
					return schedulingStore(key, organizer, now);
				},
				/** What calendar-app scheduling sent, newest first. */
				sentForOtherApps(limit = keptSentRecords) {
					return statements.sent.all(key, limit).map(row => JSON.parse(row.data) as SentRecord);
				},
			};
		},
		close() {
			db.close();
		},
	};
}
