/**
 * How long an answer takes from delivery to the organizer's CalDAV event (issue 16): an attendee's REPLY is
 * submitted to the sandbox's SMTP server, which hands it to Dovecot over LMTP before it says 250 (that moment is
 * "delivered"), and the clock stops when the reply loop's CalDAV write of the new PARTSTAT to Radicale returns.
 * Ten answers each way, each to its own event; medians.
 *
 * - native messaging: the relay the browser starts (`relay/main.ts native`, a child process spoken to over stdio as
 *   Chrome does) keeps IMAP IDLE (RFC 2177) on INBOX; its `new-mail` event runs a tick at once, through the
 *   extension's own createNativeRelay (lib/background/native-relay.ts).
 * - the always-on agent (issue 17): the built package's `agent` command in its own process, no browser, on IMAP
 *   IDLE; twenty answers, each timed until Radicale serves the new PARTSTAT (bench/agent-run.ts).
 * - polling (the naive way): the HTTP relay, and a tick every shortest poll period the options allow (the alarm's
 *   period, pollPeriod of the range's minimum). The ten answers are delivered at evenly spread moments of one
 *   period, (i + 0.5) / 10 of the way through it, as mail arrives at any moment between two alarms.
 *
 * The tick is runTick with the real relay client, CalDAV client and Radicale; storage is in memory.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import {createNativeRelay, type PortLike} from '../lib/background/native-relay.ts';
import {pollPeriod} from '../lib/background/schedule.ts';
import {createCaldavClient, discoverCalendars, type CaldavClient} from '../lib/caldav/index.ts';
import type {TrackedEvent} from '../lib/model.ts';
import {createRelayClient, type RelayAccount} from '../lib/relay-client/index.ts';
import {caldavCalendarPort, runTick, singleFlight, type CalendarPort, type RelayPort, type SingleFlight} from '../lib/reply-loop/index.ts';
import {pollMinutesRange} from '../lib/ui/options-form.ts';
import {startRelay} from '../relay/server.ts';
import {readEvent} from '../tests/e2e/harness/calendar-event.ts';
import {spawnedChannel} from '../tests/helpers/native-channel.ts';
import {memoryStore} from '../tests/helpers/reply-loop-fakes.ts';
import {startSandbox} from '../tests/sandbox/index.ts';
import {repoRoot} from '../tests/sandbox/paths.ts';
import type {SandboxAccount} from '../tests/sandbox/types.ts';
import {agentAnswerLatencies, buildRelay} from './agent-run.ts';
import {putTrackedEvents, replyMail} from './tracked-events.ts';
import {median} from './stats.ts';

export const name = 'answer latency: delivery → CalDAV PARTSTAT, native messaging (IMAP IDLE push) and the always-on agent vs polling at the shortest period';

const samples = 10;
const agentSamples = 20;

type Timings = {delivered: number[]; written: number[]};

/** A CalendarPort that notes when each event's write returned. */
function timedCalendar(port: CalendarPort, writtenAt: Map<string, number>, onWrite: () => void): CalendarPort {
	return {
		...port,
		async update(href, decide, signal) {
			const result = await port.update(href, decide, signal);
			if (result.written) {
				writtenAt.set(href, performance.now());
				onWrite();
			}

			return result;
		},
	};
}

type Run = {
	events: TrackedEvent[];
	/** Resolves once each event has been written. */
	allWritten(): Promise<void>;
	/** Resolves once `href` has been written. */
	written(href: string): Promise<number>;
	tick: SingleFlight<void>;
};

function prepareRun(events: TrackedEvent[], relay: RelayPort, caldav: CaldavClient, calendarUrl: string, account: RelayAccount, me: string): Run {
	const writtenAt = new Map<string, number>();
	let waiters: Array<() => void> = [];
	const calendar = timedCalendar(caldavCalendarPort(caldav, calendarUrl), writtenAt, () => {
		for (const waiter of waiters) {
			waiter();
		}
	});
	const store = memoryStore(events);
	const until = async (done: () => boolean): Promise<void> => new Promise(resolve => {
		const check = (): void => {
			if (done()) {
				waiters = waiters.filter(waiter => waiter !== check);
				resolve();
			}
		};

		waiters.push(check);
		check();
	});
	// As the background's checker: one tick at a time (lib/background/check-replies.ts).
	const tick = singleFlight(async () => {
		const result = await runTick({relay, calendar, store, account, me: [me]});
		if (result.error) {
			console.error(`a tick failed: ${result.error.message}`);
		}
	});
	return {
		events,
		tick,
		async allWritten() {
			await until(() => events.every(event => writtenAt.has(event.href)));
		},
		async written(href) {
			await until(() => writtenAt.has(href));
			return writtenAt.get(href)!;
		},
	};
}

/** A runtime.Port over a child process's stdio: what Chrome's connectNative hands the extension. */
function portOverChild(command: string, args: string[]): PortLike {
	const channel = spawnedChannel(command, args);
	return {
		postMessage(message) {
			channel.post(message as Parameters<typeof channel.post>[0]);
		},
		disconnect() {
			channel.close();
		},
		onMessage: {addListener: listener => channel.onMessage(listener)},
		onDisconnect: {addListener: listener => channel.onClose(() => listener(undefined))},
	};
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export async function run(): Promise<void> {
	await buildRelay();
	// The agent serves a mailbox of its own (team01): it finds every event of its organizer in the calendar.
	const sandbox = await startSandbox({services: ['imap', 'smtp', 'caldav'], teamMailboxes: 1});
	const configDir = await mkdtemp(path.join(os.tmpdir(), 'bench-answer-latency-'));
	const [organizer, alex] = sandbox.accounts as [SandboxAccount, SandboxAccount];
	const submission = nodemailer.createTransport({
		host: sandbox.smtp.host, port: sandbox.smtp.port, secure: false, ignoreTLS: true, auth: {user: alex.email, pass: alex.password},
	});
	/** Submits Alex's acceptance of `event`; resolves once Dovecot has it (the sandbox's SMTP answers after LMTP). */
	const deliver = async (event: TrackedEvent): Promise<number> => {
		const raw = replyMail({uid: event.uid, organizer: organizer.email, attendee: alex.email, partstat: 'ACCEPTED', dtstamp: '20261120T100000Z'}, event.uid);
		await submission.sendMail({envelope: {from: alex.email, to: [organizer.email]}, raw});
		return performance.now();
	};

	const relay = await startRelay({port: 0, configDir, log: () => undefined});
	try {
		const {calendars} = await discoverCalendars({serverUrl: sandbox.caldav.url, username: organizer.email, password: organizer.password});
		const calendarUrl = calendars[0]!.url;
		const caldav = createCaldavClient({username: organizer.email, password: organizer.password});
		const account: RelayAccount = {
			user: organizer.email, password: organizer.password,
			imap: {host: sandbox.imap.host, port: sandbox.imap.port, secure: false},
		};
		const put = async (uidPrefix: string): Promise<TrackedEvent[]> => putTrackedEvents({
			caldav, calendarUrl, organizer: {email: organizer.email, name: organizer.name}, count: samples,
			attendees: () => [alex.email], uidPrefix, now: new Date('2026-11-20T09:00:00Z'),
		});

		const nativeEvents = await put('bench-latency-native');
		const pollEvents = await put('bench-latency-poll');

		// Native messaging: the host over stdio, its IDLE push running each tick.
		const native: Timings = {delivered: [], written: []};
		{
			// The run needs the relay's client, and the relay's new-mail callback needs the run.
			const started: {run?: Run} = {};
			const relayMain = path.join(repoRoot, 'relay/main.ts');
			// This very Node with tsx's flags, as install-native's launcher runs a checkout.
			const nativeRelay = createNativeRelay({
				connectNative: () => portOverChild(process.execPath, [...process.execArgv, relayMain, 'native']),
				lastError: () => undefined,
				hasPermission: async () => true,
			}, () => {
				// As the background does: a tick that starts after the new mail.
				void started.run?.tick.fresh();
			});
			const nativeRun = prepareRun(nativeEvents, nativeRelay.client, caldav, calendarUrl, account, organizer.email);
			started.run = nativeRun;
			// The host says when IDLE is on; that start runs a first tick too (mail may have come while nobody watched).
			const watching = new Promise<void>(resolve => {
				nativeRelay.client.onEvent(event => {
					if (event.event === 'watch' && event.watching) {
						resolve();
					}
				});
			});
			await nativeRelay.ensureWatch(account);
			await watching;
			await nativeRun.tick();
			for (const event of nativeRun.events) {
				const delivered = await deliver(event);
				native.delivered.push(delivered);
				native.written.push(await nativeRun.written(event.href));
			}

			await nativeRelay.stopWatch();
			nativeRelay.client.close();
		}

		const agent = await agentAnswerLatencies(sandbox, sandbox.team[0]!, alex, {count: agentSamples, dir: configDir});

		// Polling: the HTTP relay and a tick every period; the answers arrive spread over one period.
		const periodMs = pollPeriod(pollMinutesRange.min) * 60_000;
		const polled: Timings = {delivered: [], written: []};
		{
			const pollRun = prepareRun(pollEvents, createRelayClient({url: relay.url, token: relay.token}), caldav, calendarUrl, account, organizer.email);
			await pollRun.tick();
			const periodStart = performance.now();
			const alarm = setInterval(() => {
				void pollRun.tick();
			}, periodMs);
			try {
				for (const [index, event] of pollRun.events.entries()) {
					const due = periodStart + ((index + 0.5) / samples * periodMs);
					await new Promise(resolve => setTimeout(resolve, Math.max(0, due - performance.now())));
					polled.delivered.push(await deliver(event));
				}

				await pollRun.allWritten();
				for (const event of pollRun.events) {
					polled.written.push(await pollRun.written(event.href));
				}
			} finally {
				clearInterval(alarm);
			}
		}

		// Every answer is on Radicale.
		let accepted = 0;
		for (const event of [...nativeEvents, ...pollEvents]) {
			const {ics} = await caldav.readEvent(event.href);
			if (readEvent(ics).attendees.get(alex.email)?.partstat === 'ACCEPTED') {
				accepted++;
			}
		}

		const latencies = (timings: Timings): number[] => timings.written.map((written, index) => written - timings.delivered[index]!);
		const row = (label: string, values: number[]): string =>
			`${label.padEnd(52)} ${seconds(median(values)).padStart(9)} ${seconds(Math.min(...values)).padStart(9)} ${seconds(Math.max(...values)).padStart(9)}`;
		console.log([
			`${'delivery → CalDAV PARTSTAT'.padEnd(52)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)}`,
			row(`native messaging (IMAP IDLE push), ${samples} answers`, latencies(native)),
			row(`agent, no browser (IMAP IDLE), ${agentSamples} answers`, agent),
			row(`polling every ${pollPeriod(pollMinutesRange.min)} min (HTTP relay, naive), ${samples} answers`, latencies(polled)),
			`answers on Radicale afterwards: ${accepted} of ${2 * samples} ACCEPTED`,
		].join('\n'));
	} finally {
		submission.close();
		await relay.close();
		await sandbox.stop();
		await rm(configDir, {recursive: true, force: true});
	}
}
