/**
 * The always-on agent's memory (issue 17): the built package (relay/dist/main.js) as `npm install -g` installs it,
 * its resident memory (VmRSS) once every mailbox it serves is on IMAP IDLE and has had its first tick, with one
 * mailbox (the SQLite file) and with 20 (a team's accounts in PostgreSQL: Debian's server, tests/sandbox/postgres.ts),
 * beside the same Node doing nothing, which is the floor under both.
 * The agent's delivery → PARTSTAT figure is printed by the answer-latency bench, beside the extension's.
 */
import {spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {migrate} from '../relay/agent/postgres-schema.ts';
import {agentConfig, organizerCalendar, writeConfig, type AgentProcess} from '../tests/helpers/agent.ts';
import {startPostgres} from '../tests/sandbox/postgres.ts';
import {startSandbox, type Sandbox} from '../tests/sandbox/index.ts';
import {buildRelay, residentMib, startBuiltAgent, stopAgent} from './agent-run.ts';

export const name = 'agent memory: resident set with 1 mailbox (SQLite) and with 20 (PostgreSQL)';

const teamSize = 20;

/** Resolves once `count` mailboxes are on IDLE and have each had a tick. */
async function settled(agent: AgentProcess, count: number): Promise<void> {
	const mailboxes = (word: string, also: (line: string) => boolean): number => new Set(agent.lines.filter(line => line.startsWith(`${word} `) && also(line)).map(line => /mailbox=(\S+)/.exec(line)?.[1])).size;
	await agent.line(() => mailboxes('watch', line => line.includes('state=idle')) >= count && mailboxes('tick', () => true) >= count);
}

/** The resident memory of a Node that only waits: what any Node process holds before it does anything. */
async function idleNodeMib(): Promise<number> {
	const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {stdio: 'ignore'});
	try {
		await new Promise(resolve => {
			setTimeout(resolve, 500);
		});
		return await residentMib(child.pid!);
	} finally {
		child.kill();
	}
}

async function teamAgentMib(sandbox: Sandbox, url: string, dir: string): Promise<number> {
	const db = new pg.Pool({connectionString: url});
	try {
		await migrate(db);
		for (const member of sandbox.team) {
			const {url: calendarUrl} = await organizerCalendar(sandbox, member);
			await db.query('INSERT INTO pmi_agent_accounts (email, config) VALUES ($1, $2)', [member.email, JSON.stringify(agentConfig(sandbox, member, {calendarUrl}))]);
		}
	} finally {
		await db.end();
	}

	const agent = await startBuiltAgent(await writeConfig(path.join(dir, 'team.json'), {state: url}));
	try {
		await settled(agent, teamSize);
		return await residentMib(agent.child.pid!);
	} finally {
		await stopAgent(agent);
	}
}

export async function run(): Promise<void> {
	await buildRelay();
	const dir = await mkdtemp(path.join(os.tmpdir(), 'agent-bench-'));
	const [sandbox, postgres] = await Promise.all([
		startSandbox({services: ['imap', 'smtp', 'caldav'], teamMailboxes: teamSize}),
		startPostgres(),
	]);
	try {
		const organizer = sandbox.team[0]!;
		const {url: calendarUrl} = await organizerCalendar(sandbox, organizer);
		const one = await startBuiltAgent(await writeConfig(path.join(dir, 'one.json'), agentConfig(sandbox, organizer, {calendarUrl, state: path.join(dir, 'one.sqlite')})));
		let oneMib: number;
		try {
			await settled(one, 1);
			oneMib = await residentMib(one.child.pid!);
		} finally {
			await stopAgent(one);
		}

		const teamMib = await teamAgentMib(sandbox, postgres.url, dir);
		const floor = await idleNodeMib();
		const row = (label: string, mib: number): string => `${label.padEnd(44)} ${`${mib.toFixed(1)} MiB`.padStart(10)}`;
		console.log([
			`${'resident memory (VmRSS), on IDLE after a tick'.padEnd(44)} ${'RSS'.padStart(10)}`,
			row('agent, 1 mailbox (SQLite)', oneMib),
			row(`agent, ${teamSize} mailboxes (PostgreSQL, one process)`, teamMib),
			row('an idle Node process (the floor)', floor),
			`per extra mailbox: ${((teamMib - oneMib) / (teamSize - 1)).toFixed(2)} MiB`,
		].join('\n'));
	} finally {
		await sandbox.stop();
		await postgres.stop();
		await rm(dir, {recursive: true, force: true});
	}
}
