/**
 * The always-on agent (issue 17) as the benchmarks run it: the built package (`relay/dist/main.js`, made here by
 * `node relay/build.mjs`) in a process of its own, with one organizer's config, against the sandbox.
 */
import {execFile} from 'node:child_process';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {promisify} from 'node:util';
import {agentConfig, createMeeting, deliverReply, organizerCalendar, startAgent, storedAnswers, writeConfig, type AgentProcess} from '../tests/helpers/agent.ts';
import {makeReply} from '../tests/helpers/make-reply.ts';
import type {Sandbox, SandboxAccount} from '../tests/sandbox/index.ts';
import {repoRoot} from '../tests/sandbox/paths.ts';

/** Builds relay/dist/main.js, the file `npm install -g purelymail-invites-relay` installs. */
export async function buildRelay(): Promise<void> {
	await promisify(execFile)(process.execPath, [path.join(repoRoot, 'relay/build.mjs')]);
}

/** The built agent with `configFile`, once it has said it is up (`agent state=started`). */
export async function startBuiltAgent(configFile: string): Promise<AgentProcess> {
	const agent = startAgent(['--config', configFile], {}, {built: true});
	await agent.line(line => line.startsWith('agent ') && line.includes('state=started'));
	return agent;
}

export async function stopAgent(agent: AgentProcess): Promise<void> {
	agent.child.kill('SIGTERM');
	await agent.exited;
}

/** The process's resident memory (VmRSS, Linux), in MiB. */
export async function residentMib(pid: number): Promise<number> {
	const status = await readFile(`/proc/${pid}/status`, 'utf8');
	const kib = /VmRSS:\s+(\d+)/.exec(status)?.[1];
	if (!kib) {
		throw new Error(`no VmRSS for process ${pid}`);
	}

	return Number(kib) / 1024;
}

const pause = async (ms: number): Promise<void> => new Promise(resolve => {
	setTimeout(resolve, ms);
});

/**
 * Delivery → PARTSTAT with the agent on IMAP IDLE: `count` replies from `attendee` to one event `organizer` made on
 * Radicale, one after the other, each timed from the moment the sandbox's SMTP server said 250 (it hands the mail
 * to Dovecot before that) until Radicale serves the event with that reply's answer (read every 20 ms). The agent
 * runs in its own process with its own SQLite file in `dir`, from its first tick on; it is stopped afterwards.
 * @returns each reply's delay in ms, in order
 */
export async function agentAnswerLatencies(sandbox: Sandbox, organizer: SandboxAccount, attendee: SandboxAccount, options: {count: number; dir: string}): Promise<number[]> {
	const calendar = await organizerCalendar(sandbox, organizer);
	const meeting = await createMeeting(calendar, organizer, [attendee], 'Agent latency');
	const config = await writeConfig(path.join(options.dir, 'agent-latency.json'), agentConfig(sandbox, organizer, {calendarUrl: calendar.url, state: path.join(options.dir, 'agent-latency.sqlite')}));
	const agent = await startBuiltAgent(config);
	try {
		await agent.line(line => line.startsWith('watch ') && line.includes('state=idle'));
		await agent.line(line => line.startsWith('tick '));
		const delays: number[] = [];
		for (let index = 0; index < options.count; index++) {
			const comment = `reply ${index}`;
			await deliverReply(sandbox, attendee, organizer, makeReply({
				uid: meeting.uid, organizer: organizer.email, attendee: attendee.email, partstat: index % 2 === 0 ? 'ACCEPTED' : 'DECLINED',
				// A second later each time: a newer answer (RFC 5546 §2.1.5).
				dtstamp: new Date(Date.UTC(2026, 10, 20, 10, 0, index)).toISOString().replaceAll(/[-:]|\.\d+/g, ''),
				comment,
			}));
			const delivered = performance.now();
			while ((await storedAnswers(calendar.client, meeting.href))[attendee.email]?.comment !== comment) {
				await pause(20);
			}

			delays.push(performance.now() - delivered);
		}

		return delays;
	} finally {
		await stopAgent(agent);
	}
}
