/**
 * What one tick of the reply loop costs on the real path (issue 6): 1,000 replies over 100 events, fetched through
 * the relay (in this process) from the sandbox's Dovecot and applied to the sandbox's Radicale, in one tick.
 * Target: at most 100 CalDAV writes, one per event, however many replies each event got.
 *
 * Set-up (not measured): 100 events of 10 attendees each are PUT straight to Radicale (buildInvite's CalDAV copy,
 * no mail sent), and 1,000 replies, one per attendee, are APPENDed to the organizer's INBOX over a few imapflow
 * connections, interleaved so that consecutive mails are about different events.
 * Storage is in memory (`#imports` storage needs the extension or vitest's fake browser); everything else is real.
 * CalDAV requests are counted by a fetch wrapper on the loop's client; the relay's share of the tick is timed on
 * its port.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import ICAL from 'ical.js';
import {ImapFlow} from 'imapflow';
import {createCaldavClient, discoverCalendars, type CaldavClient} from '../lib/caldav/index.ts';
import {createRelayClient, type RelayAccount} from '../lib/relay-client/index.ts';
import {caldavCalendarPort, runTick, type RelayPort} from '../lib/reply-loop/index.ts';
import {startRelay} from '../relay/server.ts';
import {memoryStore} from '../tests/helpers/reply-loop-fakes.ts';
import {startSandbox} from '../tests/sandbox/index.ts';
import {inParallel, putTrackedEvents, replyMail} from './tracked-events.ts';

export const name = 'reply loop: 1,000 replies over 100 events in one tick (real relay, Dovecot and Radicale)';

const eventCount = 100;
const attendeesPerEvent = 10;
const appendConnections = 4;
const partstats = ['ACCEPTED', 'DECLINED', 'TENTATIVE'] as const;

type Endpoint = {host: string; port: number};

async function connect(endpoint: Endpoint, user: string, pass: string): Promise<ImapFlow> {
	const client = new ImapFlow({host: endpoint.host, port: endpoint.port, secure: false, doSTARTTLS: false, auth: {user, pass}, logger: false, disableAutoIdle: true});
	client.on('error', () => undefined);
	await client.connect();
	return client;
}

function attendee(event: number, index: number): string {
	return `guest${String(index).padStart(2, '0')}.e${event}@example.org`;
}

/** The reply of attendee `index` of event `event`. */
function attendeeReply(uid: string, organizer: string, event: number, index: number): Buffer {
	return replyMail({uid, organizer, attendee: attendee(event, index), partstat: partstats[(event + index) % partstats.length]!, dtstamp: '20261120T100000Z'}, `${event}-${index}`);
}

type Counts = {GET: number; PUT: number; other: number; failed: number};

function countingFetch(counts: Counts): typeof fetch {
	return async (input, init) => {
		const method = init?.method ?? 'GET';
		if (method === 'GET' || method === 'PUT') {
			counts[method]++;
		} else {
			counts.other++;
		}

		const response = await fetch(input, init);
		if (!response.ok) {
			counts.failed++;
		}

		return response;
	};
}

/** Attendees per PARTSTAT over every stored event (organizer left out). */
async function partstatTotals(caldav: CaldavClient, hrefs: readonly string[], organizer: string): Promise<Record<string, number>> {
	const totals: Record<string, number> = {};
	await inParallel(hrefs, 4, async href => {
		const {ics} = await caldav.readEvent(href);
		const event = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
		for (const property of event.getAllProperties('attendee')) {
			if (String(property.getFirstValue()).toLowerCase() !== `mailto:${organizer}`) {
				const partstat = String(property.getParameter('partstat'));
				totals[partstat] = (totals[partstat] ?? 0) + 1;
			}
		}
	});
	return totals;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export async function run(): Promise<void> {
	const sandbox = await startSandbox({services: ['imap', 'caldav']});
	const configDir = await mkdtemp(path.join(os.tmpdir(), 'bench-reply-loop-'));
	const relay = await startRelay({port: 0, configDir, log: () => undefined});
	try {
		const organizer = sandbox.accounts[0]!;
		const {calendars} = await discoverCalendars({serverUrl: sandbox.caldav.url, username: organizer.email, password: organizer.password});
		const calendarUrl = calendars[0]!.url;
		const setupClient = createCaldavClient({username: organizer.email, password: organizer.password});

		// 100 events of 10 attendees, straight to Radicale.
		const setupStarted = performance.now();
		const now = new Date('2026-11-20T09:00:00Z');
		const events = await putTrackedEvents({
			caldav: setupClient, calendarUrl, organizer: {email: organizer.email, name: organizer.name}, count: eventCount,
			attendees: index => Array.from({length: attendeesPerEvent}, (_unused, attendeeIndex) => attendee(index, attendeeIndex)),
			uidPrefix: 'bench-reply-loop', now,
		});
		const eventsMs = performance.now() - setupStarted;

		// 1,000 replies into the INBOX: attendee by attendee, event by event, so that mails about one event are spread out.
		const appendStarted = performance.now();
		const mails = Array.from({length: attendeesPerEvent}, (_unused, index) => index)
			.flatMap(index => events.map((event, eventIndex) => attendeeReply(event.uid, organizer.email, eventIndex, index)));
		const appenders = await Promise.all(Array.from({length: appendConnections}, async () => connect(sandbox.imap, organizer.email, organizer.password)));
		let nextMail = 0;
		await Promise.all(appenders.map(async client => {
			while (nextMail < mails.length) {
				const mail = mails[nextMail++]!;
				await client.append('INBOX', mail, []);
			}

			await client.logout();
		}));
		const appendMs = performance.now() - appendStarted;
		console.log(`set-up: ${eventCount} events PUT in ${seconds(eventsMs)}; ${mails.length.toLocaleString('en')} replies APPENDed over ${appendConnections} connections in ${seconds(appendMs)}`);

		// The tick: real relay client, real CalDAV client (counted), in-memory store.
		const counts: Counts = {GET: 0, PUT: 0, other: 0, failed: 0};
		const caldav = createCaldavClient({username: organizer.email, password: organizer.password, fetch: countingFetch(counts)});
		const relayClient = createRelayClient({url: relay.url, token: relay.token, timeoutMs: 300_000});
		let relayMs = 0;
		const timedRelay: RelayPort = {
			async replies(request, call) {
				const started = performance.now();
				try {
					return await relayClient.replies(request, call);
				} finally {
					relayMs += performance.now() - started;
				}
			},
		};
		const account: RelayAccount = {
			user: organizer.email, password: organizer.password,
			imap: {host: sandbox.imap.host, port: sandbox.imap.port, secure: false},
		};
		const store = memoryStore(events);
		const deps = {relay: timedRelay, calendar: caldavCalendarPort(caldav, calendarUrl), store, account, me: [organizer.email]};
		const started = performance.now();
		const result = await runTick(deps);
		const tickMs = performance.now() - started;
		if (result.error) {
			throw new Error(`the tick failed: ${result.error.message}`);
		}

		const byOutcome: Record<string, number> = {};
		for (const outcome of result.outcomes) {
			byOutcome[outcome.outcome] = (byOutcome[outcome.outcome] ?? 0) + 1;
		}

		const tickCounts = {...counts};
		const tickRelayMs = relayMs;
		const totals = await partstatTotals(setupClient, events.map(event => event.href), organizer.email);

		// A second tick with nothing new: what every minute costs afterwards.
		counts.GET = 0;
		counts.PUT = 0;
		counts.other = 0;
		const idleStarted = performance.now();
		const idle = await runTick(deps);
		const idleMs = performance.now() - idleStarted;

		console.log([
			`tick: ${result.messages.toLocaleString('en')} messages, outcomes ${JSON.stringify(byOutcome)}, ${result.answers.length.toLocaleString('en')} answers`,
			`  CalDAV: ${tickCounts.PUT} writes (PUT), ${tickCounts.GET} reads (GET), ${tickCounts.other} other, ${tickCounts.failed} failed`,
			`  time: ${seconds(tickMs)} in all; relay fetch ${seconds(tickRelayMs)}, the rest (parse, apply, CalDAV, store) ${seconds(tickMs - tickRelayMs)}`,
			`  Radicale afterwards: ${JSON.stringify(totals)} of ${eventCount * attendeesPerEvent} attendees`,
			`second tick, nothing new: ${idle.messages} messages, ${counts.PUT} writes, ${counts.GET} reads, ${seconds(idleMs)}`,
		].join('\n'));
		const answered = (totals.ACCEPTED ?? 0) + (totals.DECLINED ?? 0) + (totals.TENTATIVE ?? 0);
		const pass = tickCounts.PUT <= eventCount && answered === eventCount * attendeesPerEvent && byOutcome.applied === eventCount * attendeesPerEvent;
		console.log(`target: 1,000 replies over 100 events in one tick cost at most 100 CalDAV writes: ${tickCounts.PUT} writes, ${answered} answers on Radicale ${pass ? 'PASS' : 'FAIL'}`);
	} finally {
		await relay.close();
		await sandbox.stop();
		await rm(configDir, {recursive: true, force: true});
	}
}
