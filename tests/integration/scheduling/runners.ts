/**
 * Issue 18's scenarios run twice: by the extension (lib/scheduling on the extension's storage, fakeBrowser) and by
 * the always-on agent as a user runs it (`relay/main.ts agent --config FILE --once` in a child process, its SQLite
 * state read back). A runner ticks for one account and reads back what its state holds, the same shape either way.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {fakeBrowser} from 'wxt/testing';
import {relayAccountOf} from '../../../lib/account.ts';
import {createCaldavClient} from '../../../lib/caldav/index.ts';
import type {TrackedEvent} from '../../../lib/model.ts';
import {runScheduling, type OutboxEntry, type SchedulingDeps, type SchedulingResult, type SchedulingState, type SentRecord} from '../../../lib/scheduling/index.ts';
import {eventsItem, schedulingLogItem, schedulingStateItem} from '../../../lib/storage.ts';
import {agentConfig, startAgent, writeConfig} from '../../helpers/agent.ts';
import {memorySchedulingStore} from '../../helpers/scheduling-memory-store.ts';
import type {SandboxAccount} from '../../sandbox/index.ts';
import {tick, type Flow} from '../flow/helpers.ts';
import {schedulingDeps} from './helpers.ts';

export type RunnerName = 'extension' | 'agent';

/** One account's scheduling as a runner does it. */
export type AccountRunner = {
	tick(): Promise<SchedulingResult>;
	/** What was sent, oldest first. */
	sentLog(): Promise<SentRecord[]>;
	outbox(): Promise<OutboxEntry[]>;
	/** The runner's record of the account's events (the reply loop's), by UID. */
	events(): Promise<Record<string, TrackedEvent>>;
	/** The reply loop's tick (the agent's whole tick): the answers it applied, as [attendee, PARTSTAT]. */
	applyReplies(): Promise<Array<[string, string]>>;
	/** The agent's: its config file (written before each tick) and SQLite state. */
	files?: {config: string; state: string};
};

export type SchedulingRunner = {
	name: RunnerName;
	/** Forgets every state: the next tick of each account is a first run (a baseline). */
	reset(): Promise<void>;
	/** The organizer's (the flow's account). */
	organizer: AccountRunner;
	/** An attendee of the flow, watching the calendar `calendarUrl` of theirs. */
	attendee(account: SandboxAccount, calendarUrl: string): AccountRunner;
	close(): Promise<void>;
};

export function extensionRunner(flow: Flow, overrides: () => Partial<SchedulingDeps> = () => ({})): SchedulingRunner {
	return {
		name: 'extension',
		async reset() {
			fakeBrowser.reset();
		},
		organizer: {
			async tick() {
				return runScheduling(schedulingDeps(flow, overrides()));
			},
			async sentLog() {
				return schedulingLogItem.getValue();
			},
			async outbox() {
				return (await schedulingStateItem.getValue()).outbox;
			},
			async events() {
				return eventsItem.getValue();
			},
			async applyReplies() {
				return (await tick(flow)).answers.map(answer => [answer.attendee, answer.partstat]);
			},
		},
		attendee(account, calendarUrl) {
			const store = memorySchedulingStore();
			const deps = schedulingDeps(flow, {
				caldav: createCaldavClient({username: account.email, password: account.password}),
				calendars: [calendarUrl],
				account: relayAccountOf({email: account.email, name: account.name, password: account.password, aliases: []}, flow.settings),
				from: {email: account.email, name: account.name},
				me: [account.email],
				store,
			});
			return {
				async tick() {
					return runScheduling(deps);
				},
				async sentLog() {
					return store.log;
				},
				async outbox() {
					return (await store.load()).outbox;
				},
				async events() {
					return {};
				},
				async applyReplies() {
					throw new Error('the extension runner ticks the reply loop for the organizer only');
				},
			};
		},
		async close() {
			// Nothing outside fakeBrowser.
		},
	};
}

/** The agent's config for `account` with calendar-app scheduling on, its state in `state`. */
export function agentConfigOf(flow: Flow, account: SandboxAccount, calendarUrl: string, state: string): Record<string, unknown> {
	return {...agentConfig(flow.sandbox, account, {calendarUrl, state}), scheduleOtherApps: true};
}

/** The tick line's `key=value` pairs (logfmt, relay/agent/log.ts). */
function fieldsOf(line: string): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const match of line.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
		fields[match[1]!] = match[2]!.startsWith('"') ? JSON.parse(match[2]!) as string : match[2]!;
	}

	return fields;
}

function errorOf(text: string | undefined): SchedulingResult['error'] {
	if (!text) {
		return undefined;
	}

	const [kind, ...rest] = text.split(': ');
	return {kind: kind as 'relay' | 'calendar', message: rest.join(': ')};
}

function readState<T>(file: string, read: (db: Database.Database) => T): T {
	const db = new Database(file, {readonly: true});
	try {
		return read(db);
	} finally {
		db.close();
	}
}

export async function agentRunner(flow: Flow): Promise<SchedulingRunner> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'scheduling-agent-'));
	let generation = 0;
	const accountRunner = (account: SandboxAccount, calendarUrl: string): AccountRunner => {
		const name = `${account.email.replace(/\W/g, '_')}-${generation}`;
		const file = path.join(dir, `${name}.json`);
		const state = path.join(dir, `${name}.sqlite`);
		const key = account.email.toLowerCase();
		const sent = (): SentRecord[] => readState(state, db => db.prepare<[string], {data: string}>('SELECT data FROM scheduling_sent WHERE mailbox = ? ORDER BY seq').all(key).map(row => JSON.parse(row.data) as SentRecord));
		const stored = (): SchedulingState | undefined => readState(state, db => {
			const row = db.prepare<[string], {data: string}>('SELECT data FROM scheduling WHERE mailbox = ?').get(key);
			return row ? JSON.parse(row.data) as SchedulingState : undefined;
		});
		const once = async (): Promise<string[]> => {
			await writeConfig(file, agentConfigOf(flow, account, calendarUrl, state));
			const agent = startAgent(['--config', file, '--once']);
			const code = await agent.exited;
			if (!agent.lines.some(candidate => candidate.startsWith('tick ')) || agent.errors.length > 0) {
				throw new Error(`agent --once exited ${String(code)}:\n${agent.lines.join('\n')}\n${agent.errors.join('\n')}`);
			}

			return agent.lines;
		};

		return {
			files: {config: file, state},
			async applyReplies() {
				return (await once()).filter(line => line.startsWith('applied ')).map(line => fieldsOf(line)).map(fields => [fields.attendee!, fields.partstat!]);
			},
			async tick() {
				const lines = await once();
				const line = lines.find(candidate => candidate.startsWith('tick '))!;
				const fields = fieldsOf(line);
				const ids = lines.filter(candidate => candidate.startsWith('sent ')).map(candidate => fieldsOf(candidate).id!);
				const records = new Map(sent().map(record => [record.id, record]));
				const error = errorOf(fields.scheduling_error);
				return {
					changes: Number(fields.changes), baselines: Number(fields.baselines), sent: ids.map(id => records.get(id)!),
					waiting: Number(fields.waiting), writes: Number(fields.written), ...(error ? {error} : {}),
				};
			},
			async sentLog() {
				return sent();
			},
			async outbox() {
				return stored()?.outbox ?? [];
			},
			async events() {
				return readState(state, db => Object.fromEntries(db.prepare<[string], {data: string}>('SELECT data FROM events WHERE mailbox = ?').all(key)
					.map(row => JSON.parse(row.data) as TrackedEvent).map(event => [event.uid, event])));
			},
		};
	};

	let organizer = accountRunner(flow.organizer, flow.calendarUrl);
	const runner: SchedulingRunner = {
		name: 'agent',
		async reset() {
			generation++;
			organizer = accountRunner(flow.organizer, flow.calendarUrl);
			runner.organizer = organizer;
			fakeBrowser.reset();
		},
		organizer,
		attendee(account, calendarUrl) {
			return accountRunner(account, calendarUrl);
		},
		async close() {
			await rm(dir, {recursive: true, force: true});
		},
	};
	return runner;
}
