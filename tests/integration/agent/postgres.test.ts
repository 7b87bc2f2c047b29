/**
 * A team's agent (issue 17): 20 sandbox mailboxes in PostgreSQL (Debian's server, started by tests/sandbox/postgres.ts),
 * two agent processes sharing them by leases, one reply per second to each mailbox, one process SIGKILLed midway
 * while the replies keep coming. The other takes its mailboxes over within the named bound, and every reply ends
 * with exactly one outcome; each attendee's final answer on Radicale is the last one sent.
 *
 * It takes a minute or two (30 rounds of 20 replies, a takeover of up to 20 s, then the survivor works through the
 * backlog): it is one test because the takeover is one story.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import pg from 'pg';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {composeInviteMail} from '../../../lib/imip/index.ts';
import {takeoverBoundSeconds} from '../../../relay/agent/leases.ts';
import {migrate} from '../../../relay/agent/postgres-schema.ts';
import {agentConfig, createMeeting, organizerCalendar, startAgent, storedAnswers, writeConfig, type AgentProcess} from '../../helpers/agent.ts';
import {makeReply} from '../../helpers/make-reply.ts';
import {startPostgres, type SandboxPostgres} from '../../sandbox/postgres.ts';
import {startSandbox, type RunningSandbox} from '../../sandbox/index.ts';

const mailboxes = 20;
/** Replies to each mailbox, one a second: enough for mail to keep arriving before, during and after the takeover. */
const rounds = 30;
/** The round after which one agent is killed. */
const killAfter = 5;
const partstats = ['ACCEPTED', 'TENTATIVE', 'DECLINED'] as const;
/** Each round's answer is stamped one second after the previous one's (RFC 5546 §2.1.5 orders replies by DTSTAMP). */
const firstStamp = Date.UTC(2026, 10, 20, 10, 0, 0);

function stamp(round: number): string {
	return new Date(firstStamp + (round * 1000)).toISOString().replaceAll(/[-:]|\.\d+/g, '');
}

function answerOf(round: number): {partstat: (typeof partstats)[number]; comment: string} {
	return {partstat: partstats[round % partstats.length]!, comment: `round ${round}`};
}

let sandbox: RunningSandbox;
let postgres: SandboxPostgres;
let dir: string;
const agents: AgentProcess[] = [];

beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'agent-pg-'));
	[sandbox, postgres] = await Promise.all([
		startSandbox({services: ['imap', 'smtp', 'caldav'], teamMailboxes: mailboxes}),
		startPostgres(),
	]);
});

afterAll(async () => {
	for (const agent of agents) {
		agent.child.kill('SIGKILL');
	}

	await Promise.all(agents.map(async agent => agent.exited));
	await sandbox?.stop();
	await postgres?.stop();
	if (dir) {
		await rm(dir, {recursive: true, force: true});
	}
});

/** Accounts each process holds now, from its `lease` lines. */
function held(agent: AgentProcess): Set<string> {
	const accounts = new Set<string>();
	for (const line of agent.lines) {
		const match = /^lease account=(\S+) state=(\w+)/.exec(line);
		if (match?.[2] === 'held') {
			accounts.add(match[1]!);
		} else if (match) {
			accounts.delete(match[1]!);
		}
	}

	return accounts;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
	// Bounded by the test's own timeout; polls twice a second.
	while (!(await check())) {
		await new Promise(resolve => {
			setTimeout(resolve, 500);
		});
	}

	expect(await check(), what).toBe(true);
}

test('two agents share 20 mailboxes; SIGKILL one, the other takes over within the bound; every reply applied exactly once', async () => {
	const db = new pg.Pool({connectionString: postgres.url});
	const [, alex] = sandbox.accounts;
	const team = sandbox.team;
	try {
		await migrate(db);
		const meetings = [];
		for (const organizer of team) {
			const calendar = await organizerCalendar(sandbox, organizer);
			const meeting = await createMeeting(calendar, organizer, [alex!], `Team meeting of ${organizer.id}`);
			meetings.push({organizer, calendar, meeting});
			const {state: _state, ...config} = agentConfig(sandbox, organizer, {calendarUrl: calendar.url});
			await db.query('INSERT INTO pmi_agent_accounts (email, config) VALUES ($1, $2)', [organizer.email, JSON.stringify(config)]);
		}

		const file = await writeConfig(path.join(dir, 'team.json'), {state: postgres.url});
		const first = startAgent(['--config', file]);
		agents.push(first);
		await until(() => held(first).size === mailboxes, 'the first agent holds every mailbox');
		const second = startAgent(['--config', file]);
		agents.push(second);
		// Shared: each holds its fair half, none twice.
		await until(() => held(first).size === mailboxes / 2 && held(second).size === mailboxes / 2, 'the mailboxes are split evenly');
		expect([...held(first)].filter(account => held(second).has(account))).toEqual([]);

		const transport = nodemailer.createTransport({host: sandbox.smtp.host, port: sandbox.smtp.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 4, auth: {user: alex!.email, pass: alex!.password}});
		let killedAt = 0;
		let victimAccounts = new Set<string>();
		try {
			for (let round = 0; round < rounds; round++) {
				const started = Date.now();
				await Promise.all(meetings.map(async ({organizer, meeting}) => {
					const calendar = makeReply({uid: meeting.uid, organizer: organizer.email, attendee: alex!.email, dtstamp: stamp(round), ...answerOf(round)});
					const raw = composeInviteMail({from: {email: alex!.email}, to: [{email: organizer.email}], subject: `Reply ${round}`, text: `round ${round}`, calendar, method: 'REPLY'});
					await transport.sendMail({envelope: {from: alex!.email, to: [organizer.email]}, raw});
				}));
				if (round === killAfter) {
					victimAccounts = held(first);
					first.child.kill('SIGKILL');
					killedAt = Date.now();
				}

				// One reply per second to each mailbox.
				await new Promise(resolve => {
					setTimeout(resolve, Math.max(0, 1000 - (Date.now() - started)));
				});
			}
		} finally {
			transport.close();
		}

		await until(() => [...victimAccounts].every(account => held(second).has(account)), 'the second agent holds the killed one\'s mailboxes');
		const takeovers = second.lines.flatMap((line, index) => {
			const account = /^lease account=(\S+) state=held/.exec(line)?.[1];
			return account && victimAccounts.has(account) && second.times[index]! > killedAt ? [second.times[index]!] : [];
		});
		expect(takeovers).toHaveLength(victimAccounts.size);
		// The bound (relay/agent/leases.ts): the lease outlives the last renewal by 15 s and the survivor looks every
		// 5 s; the survivor's own claim and start (a few queries) come on top.
		expect(Math.max(...takeovers) - killedAt).toBeLessThanOrEqual(takeoverBoundSeconds * 1000 + 3000);
		expect(await first.exited).toBeNull();

		// Every mail gets exactly one outcome (the primary key allows no second); wait for the last round.
		await until(async () => Number((await db.query('SELECT count(*) AS n FROM pmi_agent_outcomes')).rows[0].n) === mailboxes * rounds, 'every reply has its outcome');
		const {rows} = await db.query<{email: string; kind: string; subject: string}>(
			'SELECT a.email, o.kind, o.data->>\'subject\' AS subject FROM pmi_agent_outcomes o JOIN pmi_agent_accounts a ON a.id = o.account_id',
		);
		const sent = Array.from({length: rounds}, (_, round) => `Reply ${round}`);
		for (const {organizer, calendar, meeting} of meetings) {
			const mine = rows.filter(row => row.email === organizer.email);
			// One outcome per reply sent, none lost, none twice.
			expect(mine.map(row => row.subject).sort()).toEqual([...sent].sort());
			// Applied; or, after a takeover, found already applied by a write whose outcome the killed process never
			// stored (`unchanged`), or older than an answer that write recorded (`ignored`, RFC 5546 §2.1.5).
			expect(mine.filter(row => !['applied', 'unchanged', 'ignored'].includes(row.kind))).toEqual([]);
			// What the calendar ends with is the last answer sent.
			const answer = (await storedAnswers(calendar.client, meeting.href))[alex!.email];
			expect(answer).toEqual(answerOf(rounds - 1));
		}

		// Anything but `applied` only where the killed process had been working.
		const replayed = rows.filter(row => row.kind !== 'applied');
		expect(replayed.filter(row => !victimAccounts.has(row.email))).toEqual([]);
		// No reply applied twice: each `applied` line either process printed (after its tick committed) is one stored
		// `applied` outcome; where the killed process never died mid-way, every stored one was printed.
		for (const {organizer} of meetings) {
			const logged = [first, second].flatMap(agent => agent.lines).filter(line => line.startsWith(`applied mailbox=${organizer.email} `)).length;
			const stored = rows.filter(row => row.email === organizer.email && row.kind === 'applied').length;
			if (victimAccounts.has(organizer.email)) {
				expect(logged).toBeLessThanOrEqual(stored);
			} else {
				expect(logged).toBe(stored);
			}
		}
	} finally {
		await db.end();
	}
}, 600_000);
