/**
 * The agent as a user runs it, for the agent's integration tests and the bench: a config file, the command in a
 * child process (`node --import tsx relay/main.ts agent …`, or the built package's `relay/dist/main.js`: one
 * process either way, so SIGTERM and SIGKILL reach the agent itself), its log lines as they come, and the sandbox side (an organizer's event on Radicale, an attendee's
 * REPLY delivered through the AUTH SMTP server).
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {chmod, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {createInterface} from 'node:readline';
import ICAL from 'ical.js';
import nodemailer from 'nodemailer';
import {createCaldavClient, discoverCalendars, type CaldavClient} from '../../lib/caldav/index.ts';
import {composeInviteMail} from '../../lib/imip/index.ts';
import {buildInvite} from '../../lib/itip/index.ts';
import type {Sandbox, SandboxAccount} from '../sandbox/index.ts';
import {repoRoot} from '../sandbox/paths.ts';

export const fixtureSamples = '/work/shared/fixtures/itip/samples';

/** The agent's config for `organizer`, as the options page shows it; `imap` may point at a proxy. */
export function agentConfig(sandbox: Pick<Sandbox, 'imap' | 'smtp' | 'caldav'>, organizer: SandboxAccount, options: {calendarUrl?: string; state?: string; imap?: {host: string; port: number}} = {}): Record<string, unknown> {
	const imap = options.imap ?? sandbox.imap;
	return {
		account: {email: organizer.email, name: organizer.name, password: organizer.password, aliases: []},
		servers: {
			caldavUrl: sandbox.caldav.url,
			imap: {host: imap.host, port: imap.port, secure: false},
			smtp: {host: sandbox.smtp.host, port: sandbox.smtp.port, secure: false},
		},
		...(options.calendarUrl ? {calendarUrl: options.calendarUrl} : {}),
		...(options.state ? {state: options.state} : {}),
	};
}

export async function writeConfig(file: string, config: Record<string, unknown>, mode = 0o600): Promise<string> {
	await writeFile(file, JSON.stringify(config, null, 2), {mode});
	await chmod(file, mode);
	return file;
}

export type AgentProcess = {
	child: ChildProcess;
	lines: string[];
	/** When each of `lines` came (Date.now()). */
	times: number[];
	errors: string[];
	/** Resolves to the first line (already printed or to come) that `match` accepts. */
	line(match: (line: string) => boolean): Promise<string>;
	exited: Promise<number | null>;
};

/**
 * Starts `relay/main.ts agent ARGS` in one Node process; with `built`, the package's bundle (`relay/dist/main.js`,
 * made by `node relay/build.mjs`) as `npm install -g` installs it, which is what the bench measures.
 */
export function startAgent(args: string[], env: NodeJS.ProcessEnv = {}, how: {built?: boolean} = {}): AgentProcess {
	const entry = how.built ? [path.join(repoRoot, 'relay/dist/main.js')] : ['--import', 'tsx', path.join(repoRoot, 'relay/main.ts')];
	const child = spawn(process.execPath, [...entry, 'agent', ...args], {
		cwd: repoRoot,
		env: {...process.env, ...env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const lines: string[] = [];
	const times: number[] = [];
	const errors: string[] = [];
	const waiters: Array<{match: (line: string) => boolean; resolve: (line: string) => void}> = [];
	createInterface({input: child.stdout!}).on('line', line => {
		lines.push(line);
		times.push(Date.now());
		for (const waiter of [...waiters]) {
			if (waiter.match(line)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(line);
			}
		}
	});
	createInterface({input: child.stderr!}).on('line', line => {
		errors.push(line);
	});
	const exited = new Promise<number | null>(resolve => {
		child.once('exit', code => {
			resolve(code);
		});
	});
	return {
		child,
		lines,
		times,
		errors,
		exited,
		async line(match) {
			const found = lines.find(line => match(line));
			if (found) {
				return found;
			}

			return Promise.race([
				new Promise<string>(resolve => {
					waiters.push({match, resolve});
				}),
				exited.then(code => {
					throw new Error(`the agent exited (${String(code)}) before the line; stdout:\n${lines.join('\n')}\nstderr:\n${errors.join('\n')}`);
				}),
			]);
		},
	};
}

/** The organizer's first calendar and a client on it. */
export async function organizerCalendar(sandbox: Pick<Sandbox, 'caldav'>, organizer: SandboxAccount): Promise<{url: string; client: CaldavClient}> {
	const discovery = await discoverCalendars({serverUrl: sandbox.caldav.url, username: organizer.email, password: organizer.password});
	const url = discovery.calendars[0]?.url;
	if (!url) {
		throw new Error(`no calendar for ${organizer.email}`);
	}

	return {url, client: createCaldavClient({username: organizer.email, password: organizer.password})};
}

/**
 * An event `organizer` made in some calendar app (written straight to Radicale, not through the extension), with
 * these attendees.
 */
export async function createMeeting(calendar: {url: string; client: CaldavClient}, organizer: SandboxAccount, attendees: readonly SandboxAccount[], summary: string): Promise<{uid: string; href: string}> {
	const built = buildInvite({
		organizer: {email: organizer.email, name: organizer.name},
		attendees: attendees.map(attendee => ({email: attendee.email, name: attendee.name})),
		summary,
		start: '2027-03-04T10:00',
		end: '2027-03-04T11:00',
		timeZone: 'Europe/Berlin',
	});
	const written = await calendar.client.createEvent(calendar.url, built.uid, built.caldav);
	return {uid: built.uid, href: written.href};
}

/** Google Calendar's real REPLY (shared fixture), rewritten in memory to this event, organizer and attendee. */
export async function googleReply(options: {uid: string; organizer: string; attendee: string; partstat: string; dtstamp?: string}): Promise<string> {
	const text = await readFile(path.join(fixtureSamples, 'google-REPLY-declined.ics'), 'utf8');
	return text
		.replaceAll('cccc@nylas.com', options.uid)
		.replaceAll('test2@example.com', options.organizer)
		.replace('PARTSTAT=DECLINED;CN=Karim \r\n Hamidou', `PARTSTAT=${options.partstat};CN=Attendee`)
		.replace(/PARTSTAT=DECLINED;CN=Karim \n Hamidou/, `PARTSTAT=${options.partstat};CN=Attendee`)
		.replaceAll('karim@example.com', options.attendee)
		.replace('DTSTAMP:20150331T124344Z', `DTSTAMP:${options.dtstamp ?? '20261120T100000Z'}`);
}

/** Sends a REPLY (or COUNTER) mail from `attendee` to `organizer` through the sandbox's AUTH SMTP server (delivered to Dovecot). */
export async function deliverReply(sandbox: Pick<Sandbox, 'smtp'>, attendee: SandboxAccount, organizer: SandboxAccount, calendar: string, subject = 'Accepted', method: 'REPLY' | 'COUNTER' = 'REPLY'): Promise<string> {
	const raw = composeInviteMail({
		from: {email: attendee.email, name: attendee.name},
		to: [{email: organizer.email, name: organizer.name}],
		subject,
		text: subject,
		calendar,
		method,
	});
	const transport = nodemailer.createTransport({host: sandbox.smtp.host, port: sandbox.smtp.port, secure: false, ignoreTLS: true, auth: {user: attendee.email, pass: attendee.password}});
	try {
		const info = await transport.sendMail({envelope: {from: attendee.email, to: [organizer.email]}, raw});
		if (info.accepted.length !== 1) {
			throw new Error(`SMTP did not accept the reply: ${JSON.stringify(info)}`);
		}

		return /^Message-ID:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? '';
	} finally {
		transport.close();
	}
}

/** Each ATTENDEE's PARTSTAT and COMMENT in the stored event, by address. */
export async function storedAnswers(client: CaldavClient, href: string): Promise<Record<string, {partstat: string; comment: string | undefined}>> {
	const {ics} = await client.readEvent(href);
	const master = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
	const answers: Record<string, {partstat: string; comment: string | undefined}> = {};
	for (const attendee of master.getAllProperties('attendee')) {
		const address = String(attendee.getFirstValue()).replace(/^mailto:/i, '').toLowerCase();
		const comment = attendee.getParameter('x-pmi-comment');
		answers[address] = {partstat: String(attendee.getParameter('partstat')), comment: typeof comment === 'string' ? comment : undefined};
	}

	return answers;
}
