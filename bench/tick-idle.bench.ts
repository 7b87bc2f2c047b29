/**
 * What a reply-loop tick costs when nothing is new (issue 14: invitations and filing must add no round trip to it).
 * One tick as the background runs it, invitations included, through the HTTP relay (this process) to the sandbox's
 * Dovecot, on an INBOX of 1,000 plain mails plus Junk; once with filing off, once with a filing folder named.
 *
 * Counted per tick: HTTP requests from the loop to the relay (the challenge counts), IMAP commands from the relay to
 * Dovecot and bytes both ways (a TCP proxy between them), and the time; medians over the rounds, filing off and on
 * interleaved so drift hits them alike. Storage is in memory (`#imports` storage needs the extension or vitest's fake
 * browser); the calendar and the address books are never asked when nothing is new.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {ImapFlow} from 'imapflow';
import {createCaldavClient} from '../lib/caldav/index.ts';
import {invitationCalendarPort} from '../lib/invitations/calendar-port.ts';
import type {InvitationDeps} from '../lib/invitations/ports.ts';
import {defaultInvitationSettings} from '../lib/invitations/types.ts';
import {createRelayClient, type RelayAccount} from '../lib/relay-client/index.ts';
import {caldavCalendarPort, runTick} from '../lib/reply-loop/index.ts';
import {startRelay} from '../relay/server.ts';
import {startCountingProxy} from '../tests/helpers/counting-proxy.ts';
import {memoryStore} from '../tests/helpers/reply-loop-fakes.ts';
import {startSandbox} from '../tests/sandbox/index.ts';

export const name = 'reply-loop tick with nothing new: relay round trips and time, filing off and on';

const inboxSize = 1000;
const rounds = 40;
const appendConnections = 4;

function plainMail(index: number): Buffer {
	return Buffer.from([
		`From: Colleague ${index % 37} <colleague${index % 37}@example.com>`,
		'To: organizer@sandbox.test',
		`Subject: Update ${index}`,
		`Message-ID: <bench-idle-${index}@example.com>`,
		`Date: ${new Date().toUTCString()}`,
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=utf-8',
		'',
		`Message ${index}. Quarterly numbers, lunch plans and the usual.`,
		'',
	].join('\r\n'));
}

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function table(rows: string[][]): string {
	const widths = rows[0]!.map((_cell, column) => Math.max(...rows.map(row => row[column]!.length)));
	return rows.map(row => row.map((cell, column) => column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)).join('  ')).join('\n');
}

/** The invitation side of the loop with nothing to do: every port throws, so a call would show as a failed tick. */
function idleInvitations(calendarUrl: string, filingFolder: string | null): InvitationDeps {
	const unused = async (): Promise<never> => {
		throw new Error('asked on a tick with nothing new');
	};

	return {
		calendar: invitationCalendarPort(createCaldavClient({username: 'nobody', password: 'unused', fetch: unused}), calendarUrl),
		store: {load: unused, save: unused, relocate: unused},
		contacts: {isContact: unused},
		settings: {...defaultInvitationSettings, filingFolder},
	};
}

export async function run(): Promise<void> {
	const sandbox = await startSandbox({services: ['imap']});
	const proxy = await startCountingProxy(sandbox.imap);
	const configDir = await mkdtemp(path.join(os.tmpdir(), 'bench-tick-idle-'));
	const relay = await startRelay({port: 0, configDir, log: () => undefined, limits: {requestsPerMinute: 100_000}});
	try {
		const organizer = sandbox.accounts[0]!;
		const appenders = await Promise.all(Array.from({length: appendConnections}, async () => {
			const client = new ImapFlow({host: sandbox.imap.host, port: sandbox.imap.port, secure: false, doSTARTTLS: false, auth: {user: organizer.email, pass: organizer.password}, logger: false, disableAutoIdle: true});
			client.on('error', () => undefined);
			await client.connect();
			return client;
		}));
		let next = 0;
		await Promise.all(appenders.map(async client => {
			while (next < inboxSize) {
				await client.append('INBOX', plainMail(next++), ['\\Seen']);
			}

			await client.logout();
		}));

		let httpRequests = 0;
		const relayClient = createRelayClient({
			url: relay.url, token: relay.token, timeoutMs: 300_000,
			fetch: async (input, init) => {
				httpRequests++;
				return fetch(input, init);
			},
		});
		const account: RelayAccount = {user: organizer.email, password: organizer.password, imap: {host: proxy.host, port: proxy.port, secure: false}};
		const calendarUrl = 'http://127.0.0.1:9/nobody/calendar/';
		const store = memoryStore([]);
		const tick = async (filingFolder: string | null): Promise<{ms: number; http: number; imapCommands: number; imapBytes: number}> => {
			httpRequests = 0;
			proxy.reset();
			const started = performance.now();
			const result = await runTick({
				relay: relayClient, calendar: caldavCalendarPort(createCaldavClient({username: 'nobody', password: 'unused'}), calendarUrl), store,
				account, me: [organizer.email], invitations: idleInvitations(calendarUrl, filingFolder),
			});
			const ms = performance.now() - started;
			if (result.error) {
				throw new Error(`the tick failed: ${result.error.message}`);
			}

			const {fromServer, toServer, clientLines} = proxy.counts();
			return {ms, http: httpRequests, imapCommands: clientLines, imapBytes: fromServer + toServer};
		};

		// The first tick has no cursor: it reads the last 14 days' BODYSTRUCTUREs and leaves a warm session.
		const first = await tick(null);
		console.log(`INBOX of ${inboxSize.toLocaleString('en')} plain mails; first tick (no cursor, login): ${first.ms.toFixed(1)} ms, ${first.imapCommands} IMAP commands`);

		const runs = new Map<string, Array<Awaited<ReturnType<typeof tick>>>>([['filing off', []], ['filing on (folder "Invitations")', []]]);
		for (let round = 0; round < rounds; round++) {
			runs.get('filing off')!.push(await tick(null));
			runs.get('filing on (folder "Invitations")')!.push(await tick('Invitations'));
		}

		const rows = [['tick, nothing new', 'HTTP requests to the relay', 'IMAP commands', 'IMAP bytes', 'time (median)']];
		for (const [label, results] of runs) {
			rows.push([
				label,
				String(median(results.map(result => result.http))),
				String(median(results.map(result => result.imapCommands))),
				`${median(results.map(result => result.imapBytes))} B`,
				`${median(results.map(result => result.ms)).toFixed(2)} ms`,
			]);
		}

		console.log(table(rows));
	} finally {
		await relay.close();
		await proxy.close();
		await sandbox.stop();
		await rm(configDir, {recursive: true, force: true});
	}
}
