/**
 * The always-on agent (issue 17) against the sandbox (Dovecot, the AUTH SMTP server, Radicale), as a user runs it:
 * a config file and `relay/main.ts agent` in a child process, no browser anywhere. Events are made straight on
 * Radicale (as another calendar app would), so the agent must find them in the calendar itself.
 */
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import Database from 'better-sqlite3';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {fakeBrowser} from 'wxt/testing';
import {agentRequestsProperty, agentServes, readAgentMarker, readAgentRequests, requestsText, type AgentMarker, type AgentRequest} from '../../../lib/agent/index.ts';
import {writeCollectionProperty} from '../../../lib/caldav/collection-property.ts';
import {agentServing} from '../../../lib/background/agent-hand-over.ts';
import {applyAnyway, dismissOutcome} from '../../../lib/background/apply-anyway.ts';
import type {Context} from '../../../lib/background/context.ts';
import {answerCounter} from '../../../lib/background/counter-actions.ts';
import {invitationsState} from '../../../lib/background/invitations-state.ts';
import {answerThroughAgent} from '../../../lib/background/agent-requests.ts';
import {popupState} from '../../../lib/background/popup-state.ts';
import type {PopupState} from '../../../lib/messaging.ts';
import {agentMarkerItem, defaultSettings} from '../../../lib/storage.ts';
import {agentConfig, createMeeting, deliverReply, googleReply, organizerCalendar, startAgent, storedAnswers, writeConfig} from '../../helpers/agent.ts';
import {startCuttingProxy} from '../../helpers/cutting-proxy.ts';
import {googleInvitation, newUid} from '../flow/invitation-helpers.ts';
import {expectCalendarMail, listMessages, partstats, sendAs, waitForMessages, type Flow} from '../flow/helpers.ts';
import {eventHref} from '../../../lib/caldav/index.ts';
import {startSandbox, type RunningSandbox} from '../../sandbox/index.ts';
import {repoRoot} from '../../sandbox/paths.ts';

const run = promisify(execFile);

let sandbox: RunningSandbox;
let dir: string;

beforeAll(async () => {
	sandbox = await startSandbox({services: ['imap', 'smtp', 'caldav'], teamMailboxes: 8});
	dir = await mkdtemp(path.join(os.tmpdir(), 'agent-test-'));
});

afterAll(async () => {
	await sandbox?.stop();
	if (dir) {
		await rm(dir, {recursive: true, force: true});
	}
});

function attendees(): {alex: NonNullable<RunningSandbox['accounts'][number]>; sam: NonNullable<RunningSandbox['accounts'][number]>} {
	const [, alex, sam] = sandbox.accounts;
	return {alex: alex!, sam: sam!};
}

/** The outcomes the agent stored, per message key. */
function storedOutcomes(file: string): Array<{key: string; kind: string}> {
	const db = new Database(file, {readonly: true});
	try {
		return db.prepare<[], {key: string; kind: string}>('SELECT key, kind FROM outcomes').all();
	} finally {
		db.close();
	}
}

describe('one mailbox, SQLite state', () => {
	test('`npm run -s relay -- agent --once` applies a reply that came while no browser ran, and exits 0', async () => {
		const organizer = sandbox.team[0]!;
		const {alex} = attendees();
		const calendar = await organizerCalendar(sandbox, organizer);
		const meeting = await createMeeting(calendar, organizer, [alex], 'Made in another app');
		await deliverReply(sandbox, alex, organizer, await googleReply({uid: meeting.uid, organizer: organizer.email, attendee: alex.email, partstat: 'ACCEPTED'}));
		// No calendarUrl: the agent finds the first calendar itself, as the extension does.
		const file = await writeConfig(path.join(dir, 'once.json'), agentConfig(sandbox, organizer));

		const {stdout} = await run('npm', ['run', '-s', 'relay', '--', 'agent', '--config', file, '--once'], {cwd: repoRoot});

		expect((await storedAnswers(calendar.client, meeting.href))[alex.email]?.partstat).toBe('ACCEPTED');
		const lines = stdout.trim().split('\n');
		expect(lines).toEqual([
			expect.stringMatching(new RegExp(`^tick mailbox=${organizer.email} reason=once events=1 messages=1 applied=1 `)),
			`applied mailbox=${organizer.email} event=${meeting.uid} summary="Made in another app" attendee=${alex.email} partstat=ACCEPTED`,
		]);
		expect(stdout).not.toContain(organizer.password);
		// The state went beside the config, named after it.
		expect(storedOutcomes(path.join(dir, 'once.sqlite'))).toEqual([{key: expect.stringMatching(/^INBOX\//), kind: 'applied'}]);
	});

	test('--once exits 1 when the tick fails (the IMAP server is not there)', async () => {
		const organizer = sandbox.team[0]!;
		const closed = await startCuttingProxy(sandbox.imap);
		closed.down();
		const file = await writeConfig(path.join(dir, 'unreachable.json'), agentConfig(sandbox, organizer, {imap: closed}));
		const agent = startAgent(['--config', file, '--once']);
		expect(await agent.exited).toBe(1);
		expect(agent.lines).toEqual([expect.stringMatching(/^tick .* error="relay: /)]);
		await closed.close();
	});

	test('a config file other users can read (0644) is refused with the reason, and nothing is started', async () => {
		const organizer = sandbox.team[0]!;
		const file = await writeConfig(path.join(dir, 'open.json'), agentConfig(sandbox, organizer), 0o644);
		const agent = startAgent(['--config', file, '--once']);
		expect(await agent.exited).toBe(2);
		expect(agent.errors).toEqual([`agent: ${file} has mode 0644: other users can read (or change) it, and it holds a password. Run: chmod 600 ${file}`]);
		expect(existsSync(path.join(dir, 'open.sqlite'))).toBe(false);
	});

	test('SIGTERM in the middle of a tick, then a restart: every reply is applied exactly once', async () => {
		const organizer = sandbox.team[1]!;
		const {alex, sam} = attendees();
		const calendar = await organizerCalendar(sandbox, organizer);
		const meetings = [];
		for (let index = 0; index < 8; index++) {
			meetings.push(await createMeeting(calendar, organizer, [alex, sam], `Meeting ${index}`));
		}

		for (const meeting of meetings) {
			await deliverReply(sandbox, alex, organizer, await googleReply({uid: meeting.uid, organizer: organizer.email, attendee: alex.email, partstat: 'ACCEPTED'}));
			await deliverReply(sandbox, sam, organizer, await googleReply({uid: meeting.uid, organizer: organizer.email, attendee: sam.email, partstat: 'DECLINED'}));
		}

		const file = await writeConfig(path.join(dir, 'sigterm.json'), agentConfig(sandbox, organizer, {calendarUrl: calendar.url}));
		const first = startAgent(['--config', file]);
		await first.line(line => line.startsWith('agent state=started'));
		first.child.kill('SIGTERM');
		expect({code: await first.exited, errors: first.errors}).toEqual({code: 0, errors: []});
		// The signal came while the first tick ran: the agent said it was stopping before that tick's line.
		const stopping = first.lines.findIndex(line => line.startsWith('agent state=stopping'));
		const firstTick = first.lines.findIndex(line => line.startsWith('tick '));
		expect(stopping).toBeGreaterThan(-1);
		expect(firstTick).toBeGreaterThan(stopping);
		expect(first.lines.at(-1)).toBe('agent state=stopped');

		const second = startAgent(['--config', file, '--once']);
		expect({code: await second.exited, errors: second.errors}).toEqual({code: 0, errors: []});

		for (const meeting of meetings) {
			const answers = await storedAnswers(calendar.client, meeting.href);
			expect(answers[alex.email]?.partstat).toBe('ACCEPTED');
			expect(answers[sam.email]?.partstat).toBe('DECLINED');
		}

		// Exactly once: one outcome per mail, and no answer announced as applied twice across both runs.
		const outcomes = storedOutcomes(path.join(dir, 'sigterm.sqlite'));
		expect(outcomes).toHaveLength(16);
		expect(new Set(outcomes.map(outcome => outcome.key)).size).toBe(16);
		const applied = [...first.lines, ...second.lines].filter(line => line.startsWith('applied '));
		expect(new Set(applied).size).toBe(applied.length);
		expect(outcomes.filter(outcome => outcome.kind === 'applied').length).toBe(applied.length);
		expect(outcomes.every(outcome => outcome.kind === 'applied' || outcome.kind === 'unchanged')).toBe(true);
	});

	test('IMAP dropped for 30 s: the agent comes back by itself and applies what arrived meanwhile', async () => {
		const organizer = sandbox.team[2]!;
		const {alex, sam} = attendees();
		const calendar = await organizerCalendar(sandbox, organizer);
		const meeting = await createMeeting(calendar, organizer, [alex, sam], 'Through an outage');
		const proxy = await startCuttingProxy(sandbox.imap);
		const file = await writeConfig(path.join(dir, 'outage.json'), agentConfig(sandbox, organizer, {calendarUrl: calendar.url, imap: proxy}));
		// The safety-net tick far away: only IDLE and the reconnect bring the replies in.
		const agent = startAgent(['--config', file, '--tick-seconds', '3600']);
		try {
			await agent.line(line => line.startsWith('watch ') && line.includes('state=idle'));
			await deliverReply(sandbox, alex, organizer, await googleReply({uid: meeting.uid, organizer: organizer.email, attendee: alex.email, partstat: 'ACCEPTED'}));
			await agent.line(line => line.startsWith('applied ') && line.includes(alex.email));

			proxy.down();
			await agent.line(line => line.startsWith('watch ') && line.includes('state=down'));
			// Mail keeps arriving (SMTP delivers to Dovecot directly); only the agent's IMAP is cut.
			await deliverReply(sandbox, sam, organizer, await googleReply({uid: meeting.uid, organizer: organizer.email, attendee: sam.email, partstat: 'TENTATIVE'}));
			await new Promise(resolve => {
				setTimeout(resolve, 30_000);
			});
			expect(agent.lines.some(line => line.startsWith('applied ') && line.includes(sam.email))).toBe(false);
			proxy.up();

			await agent.line(line => line.startsWith('applied ') && line.includes(sam.email));
			const answers = await storedAnswers(calendar.client, meeting.href);
			expect(answers[alex.email]?.partstat).toBe('ACCEPTED');
			expect(answers[sam.email]?.partstat).toBe('TENTATIVE');
			expect(agent.child.exitCode).toBeNull();
		} finally {
			agent.child.kill('SIGTERM');
			await agent.exited;
			await proxy.close();
		}
	});

	test('the agent keeps its marker on the calendar, which the extension reads: serving while it runs, stopped after SIGTERM', async () => {
		const organizer = sandbox.team[3]!;
		const {alex} = attendees();
		const calendar = await organizerCalendar(sandbox, organizer);
		const meeting = await createMeeting(calendar, organizer, [alex], 'Seen by the extension');
		const login = {username: organizer.email, password: organizer.password};
		expect(await readAgentMarker(login, calendar.url)).toBeUndefined();
		const file = await writeConfig(path.join(dir, 'marker.json'), agentConfig(sandbox, organizer, {calendarUrl: calendar.url}));
		const agent = startAgent(['--config', file]);
		try {
			await agent.line(line => line.startsWith('watch ') && line.includes('state=idle'));
			await agent.line(line => line.startsWith('tick '));
			await deliverReply(sandbox, alex, organizer, await googleReply({uid: meeting.uid, organizer: organizer.email, attendee: alex.email, partstat: 'TENTATIVE'}));
			await agent.line(line => line.startsWith('applied ') && line.includes(alex.email));
			// Written after the tick that applied it; read as the extension reads it (lib/agent readAgentMarker).
			let marker = await readAgentMarker(login, calendar.url);
			while (marker?.answers[0]?.attendee !== alex.email) {
				await new Promise(resolve => {
					setTimeout(resolve, 100);
				});
				marker = await readAgentMarker(login, calendar.url);
			}

			expect(agentServes(marker, new Date())).toBe(true);
			expect(marker).toMatchObject({state: 'running', host: os.hostname(), tickSeconds: 300, watch: 'idle'});
			expect(marker.answers[0]).toMatchObject({attendee: alex.email, partstat: 'TENTATIVE', summary: 'Seen by the extension'});
			expect(JSON.stringify(marker)).not.toContain(organizer.password);
		} finally {
			agent.child.kill('SIGTERM');
			await agent.exited;
		}

		const stopped = await readAgentMarker(login, calendar.url);
		expect(stopped?.state).toBe('stopped');
		expect(agentServes(stopped, new Date())).toBe(false);
		expect(agent.lines.filter(line => line.startsWith('marker '))).toEqual([]);
	});
});

/** One mailbox's rows of an agent table, by UID. */
function storedRows<T>(file: string, table: 'invitation_copies' | 'received_invitations'): Record<string, T> {
	const db = new Database(file, {readonly: true});
	try {
		return Object.fromEntries(db.prepare<[], {uid: string; data: string}>(`SELECT uid, data FROM ${table}`).all().map(row => [row.uid, JSON.parse(row.data) as T]));
	} finally {
		db.close();
	}
}

describe('incoming invitations (issue 14), run by the agent', () => {
	test('`agent --once` adds a contact\'s invitation to the calendar, lists a stranger\'s, and files the processed mail, as the extension does', async () => {
		const user = sandbox.team[4]!;
		const {alex, sam} = attendees();
		// Alex is in the user's CardDAV address book; Sam is a stranger.
		await sandbox.caldavControl!.addContact(user, {name: alex.name, email: alex.email});
		const calendar = await organizerCalendar(sandbox, user);
		const toUser = {sandbox, organizer: user};
		const fromAlex = newUid();
		const fromSam = newUid();
		const alexMail = await googleInvitation(toUser, {organizer: alex, uid: fromAlex, summary: 'Planning with Alex'});
		await sendAs(toUser, alex, alexMail.raw);
		const samMail = await googleInvitation(toUser, {organizer: sam, uid: fromSam, summary: 'Sales pitch'});
		await sendAs(toUser, sam, samMail.raw);
		await waitForMessages(sandbox.imap, user, 'INBOX', [alexMail.messageId, samMail.messageId]);
		// The options page's config file, with filing on (the extension's option, in the file's "invitations").
		const config = {...agentConfig(sandbox, user, {calendarUrl: calendar.url}), invitations: {filingFolder: 'Invitations'}};
		const file = await writeConfig(path.join(dir, 'invitations.json'), config);

		const agent = startAgent(['--config', file, '--once']);
		expect({code: await agent.exited, errors: agent.errors}).toEqual({code: 0, errors: []});
		expect(agent.lines).toEqual([expect.stringMatching(new RegExp(`^tick mailbox=${user.email} reason=once events=0 messages=2 applied=1 unchanged=0 review=0 parked=0 skipped=1 writes=1 filed=1 `))]);

		// The contact's invitation is in the calendar, not answered; the stranger's is not.
		const copy = await calendar.client.readEvent(eventHref(calendar.url, fromAlex));
		expect(partstats(copy.ics).master![user.email]).toBe('NEEDS-ACTION');
		await expect(calendar.client.readEvent(eventHref(calendar.url, fromSam))).rejects.toThrow();
		// The records the extension keeps in its storage are in the agent's database, in the same shape.
		const state = path.join(dir, 'invitations.sqlite');
		expect(storedRows(state, 'invitation_copies')).toEqual({[fromAlex]: expect.objectContaining({href: eventHref(calendar.url, fromAlex), etag: copy.etag, partstat: 'NEEDS-ACTION', organizer: alex.email})});
		const received = storedRows<{listed: boolean; mail: {folder: string; messageId: string}}>(state, 'received_invitations');
		expect(received[fromSam]).toMatchObject({listed: true, mail: {folder: 'INBOX', messageId: samMail.messageId}});
		// Filed: the added invitation's mail moved to the folder (and is remembered there); the listed one stays.
		expect(received[fromAlex]).toMatchObject({listed: false, mail: {folder: 'Invitations', messageId: alexMail.messageId}});
		expect((await listMessages(sandbox.imap, user, 'Invitations')).map(message => message.messageId)).toEqual([alexMail.messageId]);
		expect((await listMessages(sandbox.imap, user, 'INBOX')).map(message => message.messageId)).toEqual([samMail.messageId]);

		// A second run finds nothing new and leaves all of it as it is.
		const again = startAgent(['--config', file, '--once']);
		expect(await again.exited).toBe(0);
		expect(again.lines).toEqual([expect.stringMatching(/ messages=0 applied=0 .* writes=0 /)]);
	});
});

/** The extension of the same account (its storage is wxt's fake browser here; the relay it does not use). */
function extensionContext(account: NonNullable<RunningSandbox['accounts'][number]>, calendarUrl: string): Context {
	return {
		settings: {...defaultSettings, calendarUrl, servers: {...defaultSettings.servers, caldavUrl: sandbox.caldav.url}},
		account: {email: account.email, name: account.name, password: account.password, aliases: []},
	} as unknown as Context;
}

/** The agent's marker as the extension reads it, once it says what `wanted` looks for. */
async function markerOn(login: {username: string; password: string}, calendarUrl: string, wanted: (marker: AgentMarker) => boolean): Promise<AgentMarker> {
	for (;;) {
		const marker = await readAgentMarker(login, calendarUrl);
		if (marker && wanted(marker)) {
			return marker;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 200);
		});
	}
}

describe('"apply anyway" and "dismiss" reach the agent (through the calendar server)', () => {
	test('a reply the agent sent to review shows in the popup; "apply anyway" is applied by the agent once; "dismiss" is gone from both', async () => {
		fakeBrowser.reset();
		const organizer = sandbox.team[5]!;
		const {alex, sam} = attendees();
		const calendar = await organizerCalendar(sandbox, organizer);
		const toApply = await createMeeting(calendar, organizer, [alex, sam], 'Vouched for');
		const toDismiss = await createMeeting(calendar, organizer, [alex, sam], 'Put away');
		// Sam, invited too, mails REPLYs in which Alex answers: sent by someone else, so they go to review (RFC 6047 §3).
		await deliverReply(sandbox, sam, organizer, await googleReply({uid: toApply.uid, organizer: organizer.email, attendee: alex.email, partstat: 'DECLINED'}));
		await deliverReply(sandbox, sam, organizer, await googleReply({uid: toDismiss.uid, organizer: organizer.email, attendee: alex.email, partstat: 'DECLINED'}));
		const file = await writeConfig(path.join(dir, 'requests.json'), agentConfig(sandbox, organizer, {calendarUrl: calendar.url}));
		const agent = startAgent(['--config', file, '--tick-seconds', '3']);
		const login = {username: organizer.email, password: organizer.password};
		const context = extensionContext(organizer, calendar.url);
		const markerWith = async (wanted: (marker: AgentMarker) => boolean): Promise<AgentMarker> => markerOn(login, calendar.url, wanted);

		const shown = async (): Promise<PopupState> => popupState({configured: true, events: {}, outcomes: [], status: {lastCheck: null, lastError: null, unseenAnswers: 0}, agent: await agentMarkerItem.getValue(), now: new Date()});
		try {
			await agent.line(line => line.startsWith('tick ') && line.includes('review=2'));
			await markerWith(marker => marker.review.length === 2);
			// The extension reads the marker before its tick, and its popup lists the agent's reviews.
			expect(await agentServing(context)).toBeDefined();
			const review = (await shown()).review;
			expect(review.map(item => [item.eventUid, item.outcome, item.check, item.from])).toEqual(expect.arrayContaining([
				[toApply.uid, 'review', 'sender', sam.email], [toDismiss.uid, 'review', 'sender', sam.email],
			]));
			expect(review).toHaveLength(2);
			const keyOf = (uid: string): string => review.find(item => item.eventUid === uid)!.key;

			// The user clicks in the popup: both requests go to the agent, and leave the popup at once.
			expect(await applyAnyway(keyOf(toApply.uid), context)).toMatchObject({ok: true, reason: expect.stringContaining('The agent on')});
			await dismissOutcome(keyOf(toDismiss.uid), context);
			expect((await shown()).review).toEqual([]);
			expect(await readAgentRequests(login, calendar.url)).toEqual([
				{id: expect.any(String), action: 'apply', key: keyOf(toApply.uid), check: 'sender'},
				{id: expect.any(String), action: 'dismiss', key: keyOf(toDismiss.uid)},
			]);

			// The agent performs them on its next tick and lists them as handled in its marker.
			await agent.line(line => line.startsWith('request ') && line.includes('result=applied'));
			await agent.line(line => line.startsWith('request ') && line.includes('result=dismissed'));
			const handled = await markerWith(marker => marker.handled.length === 2);
			expect(handled.review).toEqual([]);
			expect((await storedAnswers(calendar.client, toApply.href))[alex.email]?.partstat).toBe('DECLINED');
			expect((await storedAnswers(calendar.client, toDismiss.href))[alex.email]?.partstat).toBe('NEEDS-ACTION');

			// The extension's next read drops the handled requests from the server; the popup stays empty.
			await agentServing(context);
			expect(await readAgentRequests(login, calendar.url)).toEqual([]);
			expect((await shown()).review).toEqual([]);
			// More ticks: nothing is performed again.
			const ticks = agent.lines.filter(line => line.startsWith('tick ')).length;
			await agent.line(line => line.startsWith('tick ') && agent.lines.filter(candidate => candidate.startsWith('tick ')).length > ticks + 1);
		} finally {
			agent.child.kill('SIGTERM');
			await agent.exited;
		}

		expect(agent.lines.filter(line => line.startsWith('request '))).toHaveLength(2);
		const outcomes = storedOutcomes(path.join(dir, 'requests.sqlite'));
		expect(outcomes.map(outcome => outcome.kind).sort()).toEqual(['applied', 'review']);
	});
});

describe('invitations and proposals reach the popup; the user\'s actions reach the agent between ticks', () => {
	test('a stranger\'s invitation and a COUNTER processed by `agent --once` show in the popup; "Accept proposal" and Accept on the invitation are sent by the running agent once, without a full tick', async () => {
		fakeBrowser.reset();
		const user = sandbox.team[6]!;
		const {alex, sam} = attendees();
		const calendar = await organizerCalendar(sandbox, user);
		const login = {username: user.email, password: user.password};
		// Sam, a stranger, invites the user; Alex proposes a new time for the user's own meeting (RFC 5546 §3.2.7).
		const fromSam = newUid();
		const samMail = await googleInvitation({organizer: user}, {organizer: sam, uid: fromSam, summary: 'Sales pitch'});
		await sendAs({sandbox, organizer: user}, sam, samMail.raw);
		const meeting = await createMeeting(calendar, user, [alex], 'Budget with a new time');
		const counter = [
			'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN', 'METHOD:COUNTER', 'BEGIN:VEVENT', `UID:${meeting.uid}`,
			'DTSTAMP:20261120T100000Z', `ORGANIZER:mailto:${user.email}`, 'SEQUENCE:0', `ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:${alex.email}`,
			'DTSTART:20270305T130000Z', 'DTEND:20270305T140000Z', 'COMMENT:Friday works better', 'END:VEVENT', 'END:VCALENDAR', '',
		].join('\r\n');
		const counterId = await deliverReply(sandbox, alex, user, counter, 'New time proposed', 'COUNTER');
		await waitForMessages(sandbox.imap, user, 'INBOX', [samMail.messageId, counterId]);
		const file = await writeConfig(path.join(dir, 'popup.json'), agentConfig(sandbox, user, {calendarUrl: calendar.url}));
		const once = startAgent(['--config', file, '--once']);
		expect({code: await once.exited, errors: once.errors}).toEqual({code: 0, errors: []});
		expect(once.lines).toEqual([expect.stringMatching(/ messages=2 .*review=1 /)]);

		// The running agent, with a full tick once an hour: after its first tick, only its request checks run.
		const agent = startAgent(['--config', file, '--tick-seconds', '3600']);
		const context = extensionContext(user, calendar.url);
		const markerWith = async (wanted: (marker: AgentMarker) => boolean): Promise<AgentMarker> => markerOn(login, calendar.url, wanted);

		let popupKey = '';
		let sentBefore: Array<string | undefined> = [];
		try {
			// Its first ticks: at start, and when IMAP IDLE came on. The next full tick is an hour away.
			await agent.line(line => line.startsWith('tick ') && line.includes('reason=start'));
			await agent.line(line => line.startsWith('tick ') && line.includes('reason=watch'));
			await markerWith(marker => marker.review.length === 1 && marker.invitations.length === 1);
			// What the extension computes for its popup, from the marker it reads before its own tick.
			expect(await agentServing(context)).toBeDefined();
			const invitations = await invitationsState(context.settings, context.account, {shown: true});
			expect(invitations.views).toEqual([expect.objectContaining({uid: fromSam, summary: 'Sales pitch', organizer: expect.objectContaining({email: sam.email}), partstat: 'NEEDS-ACTION', listed: true})]);
			expect(invitations.views[0]!.webmailUrl).toContain('_action=show');
			expect(invitations.waiting).toBe(1);
			const state = popupState({configured: true, events: {}, outcomes: [], status: {lastCheck: null, lastError: null, unseenAnswers: 0}, agent: await agentMarkerItem.getValue(), now: new Date()});
			expect(state.review).toEqual([expect.objectContaining({eventUid: meeting.uid, from: alex.email, proposal: expect.objectContaining({attendee: alex.email, start: '2027-03-05T13:00:00Z', comment: 'Friday works better'})})]);
			const key = state.review[0]!.key;
			popupKey = key;

			// "Accept proposal" in the popup: a request to the agent, performed at its next check, not its next tick.
			sentBefore = (await listMessages(sandbox.imap, user, 'Sent')).map(message => message.messageId);
			const ticks = agent.lines.filter(line => line.startsWith('tick ')).length;
			expect(await answerCounter(key, 'accept', context)).toMatchObject({ok: true, uid: meeting.uid, handedOver: expect.stringContaining('The agent on')});
			expect(await readAgentRequests(login, calendar.url)).toEqual([{id: expect.any(String), action: 'accept-counter', key}]);
			await agent.line(line => line.startsWith('request ') && line.includes('result=answered'));
			const handled = await markerWith(marker => marker.handled.length === 1);
			expect(handled.review).toEqual([]);
			expect(agent.lines.filter(line => line.startsWith('tick '))).toHaveLength(ticks);

			// The event moved on Radicale, and everyone got the update: one REQUEST, with the new time, in Alex's INBOX.
			const stored = await calendar.client.readEvent(meeting.href);
			expect(stored.ics).toContain('DTSTART;TZID=Europe/Berlin:20270305T140000');
			expect(stored.ics).toContain('SEQUENCE:1');
			const sent = (await listMessages(sandbox.imap, user, 'Sent')).map(message => message.messageId).filter(id => !sentBefore.includes(id));
			expect(sent).toHaveLength(1);
			const update = await expectCalendarMail({sandbox} as unknown as Flow, alex, 'INBOX', sent[0]!, 'REQUEST', meeting.uid);
			expect(update.replaceAll(/\r\n[ \t]/g, '')).toContain('DTSTART;TZID=Europe/Berlin:20270305T140000');

			// Accept on Sam's invitation in the popup (it has no REQUEST of its own here): the agent answers, once.
			const samBefore = (await listMessages(sandbox.imap, sam, 'INBOX')).map(message => message.messageId);
			expect(await answerThroughAgent(fromSam, 'ACCEPTED', context)).toMatchObject({ok: true, uid: fromSam, handedOver: expect.stringContaining('The agent on')});
			expect((await invitationsState(context.settings, context.account, {shown: true})).views).toEqual([]);
			await agent.line(line => line.startsWith('request ') && line.includes('action=answer') && line.includes('result=answered'));
			const answered = await markerWith(marker => marker.handled.length === 2);
			expect(answered.invitations).toEqual([]);
			expect(agent.lines.filter(line => line.startsWith('tick '))).toHaveLength(ticks);
			const copy = await calendar.client.readEvent(eventHref(calendar.url, fromSam));
			expect(partstats(copy.ics).master![user.email]).toBe('ACCEPTED');
			const toSam = (await listMessages(sandbox.imap, user, 'Sent')).map(message => message.messageId).filter(id => !sentBefore.includes(id) && id !== sent[0]);
			expect(toSam).toHaveLength(1);
			const reply = await expectCalendarMail({sandbox} as unknown as Flow, sam, 'INBOX', toSam[0]!, 'REPLY', fromSam);
			expect(reply).toMatch(/PARTSTAT=ACCEPTED/);
			expect((await listMessages(sandbox.imap, sam, 'INBOX')).filter(message => !samBefore.includes(message.messageId))).toHaveLength(1);

			// The extension prunes the handled requests from the server.
			await agentServing(context);
			expect(await readAgentRequests(login, calendar.url)).toEqual([]);
		} finally {
			agent.child.kill('SIGTERM');
			await agent.exited;
		}

		expect(agent.lines.filter(line => line.startsWith('request '))).toHaveLength(2);
		// The same requests read again by a restarted agent (as if the extension had not pruned them): nothing more is sent.
		const requests: AgentRequest[] = [{id: 'again', action: 'accept-counter', key: popupKey}, {id: 'again-answer', action: 'answer', key: fromSam, answer: 'ACCEPTED'}];
		await writeCollectionProperty(login, calendar.url, agentRequestsProperty, requestsText(requests));
		const restarted = startAgent(['--config', file, '--tick-seconds', '3600']);
		try {
			await restarted.line(line => line.startsWith('request ') && line.includes('action=accept-counter') && line.includes('result=nothing'));
			await restarted.line(line => line.startsWith('request ') && line.includes('action=answer') && line.includes('result=nothing'));
		} finally {
			restarted.child.kill('SIGTERM');
			await restarted.exited;
		}

		expect((await listMessages(sandbox.imap, user, 'Sent')).filter(message => !sentBefore.includes(message.messageId))).toHaveLength(2);
	});
});
