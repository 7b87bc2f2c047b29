/**
 * What a calendar-app scheduling tick costs (issue 18): 5 calendars × 2,000 meetings on the sandbox's Radicale,
 * a tick with nothing changed and a tick with 10 meetings moved in another app, in CalDAV requests and bytes, for
 * lib/scheduling's two ways of watching (WebDAV sync, RFC 6578; the ctag and ETags for servers without it) beside
 * the naive way: listing every event and reading every one again to diff.
 *
 * Set-up (not measured): each calendar is written in one PUT of the whole collection (Radicale takes a VCALENDAR
 * with many VEVENTs there and stores one object per UID), so seeding 10,000 events takes seconds. Mail is not
 * measured: the relay is a counter that accepts every mail. Storage is in memory. Bytes are request and response
 * bodies, counted by a fetch wrapper on the tick's CalDAV client.
 */
import {performance} from 'node:perf_hooks';
import {createCaldavClient, discoverCalendars, type CaldavClient} from '../lib/caldav/index.ts';
import type {RelayAccount} from '../lib/relay-client/index.ts';
import {runScheduling, type SchedulingDeps, type SchedulingResult} from '../lib/scheduling/index.ts';
import {memorySchedulingStore} from '../tests/helpers/scheduling-memory-store.ts';
import {startSandbox} from '../tests/sandbox/index.ts';
import {inParallel} from './tracked-events.ts';

export const name = 'calendar-app scheduling: a tick over 5 calendars × 2,000 meetings, nothing changed and 10 changed (real Radicale)';

const calendarCount = 5;
const eventsPerCalendar = 2000;
const changedCount = 10;

type Counts = {requests: number; methods: Record<string, number>; sent: number; received: number};

function emptyCounts(): Counts {
	return {requests: 0, methods: {}, sent: 0, received: 0};
}

function bodyLength(body: unknown): number {
	if (typeof body === 'string') {
		return Buffer.byteLength(body);
	}

	return body instanceof ArrayBuffer || ArrayBuffer.isView(body) ? body.byteLength : 0;
}

/** A fetch that adds every request and its answer's body to `counts.current`. */
function countingFetch(counts: {current: Counts}): typeof fetch {
	return async (input, init) => {
		const counted = counts.current;
		const method = init?.method ?? 'GET';
		counted.requests++;
		counted.methods[method] = (counted.methods[method] ?? 0) + 1;
		counted.sent += bodyLength(init?.body);
		const response = await fetch(input, init);
		counted.received += (await response.clone().arrayBuffer()).byteLength;
		return response;
	};
}

function meeting(uid: string, organizer: string, index: number, hour: number, sequence: number): string {
	const day = String(1 + (index % 28)).padStart(2, '0');
	const month = String(1 + (Math.floor(index / 28) % 12)).padStart(2, '0');
	return [
		'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261201T090000Z', `DTSTART:2027${month}${day}T${String(hour).padStart(2, '0')}0000Z`,
		`DTEND:2027${month}${day}T${String(hour + 1).padStart(2, '0')}0000Z`, `SUMMARY:Meeting ${index}`, `SEQUENCE:${sequence}`,
		`DESCRIPTION:Agenda for meeting ${index}: the figures, the plan, the next steps.`, `ORGANIZER;CN=Organizer:mailto:${organizer}`,
		`ATTENDEE;CN=Organizer;PARTSTAT=ACCEPTED:mailto:${organizer}`,
		`ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:guest${index % 50}@example.org`,
		`ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:guest${(index + 1) % 50}@example.org`,
		'END:VEVENT',
	].join('\r\n');
}

function calendarOf(events: readonly string[]): string {
	return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Purelymail Invites//bench//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
}

/** One PUT of the whole collection: Radicale makes it a calendar holding one object per UID. */
async function seedCalendar(url: string, user: {email: string; password: string}, body: string): Promise<void> {
	const response = await fetch(url, {
		method: 'PUT',
		headers: {authorization: `Basic ${Buffer.from(`${user.email}:${user.password}`).toString('base64')}`, 'content-type': 'text/calendar; charset=utf-8'},
		body,
	});
	if (!response.ok) {
		throw new Error(`seeding ${url} answered ${response.status}: ${await response.text()}`);
	}
}

/** The naive way: every event listed, then every one read again (calendar-multiget, 100 at a time) to diff. */
async function naiveTick(caldav: CaldavClient, calendars: readonly string[]): Promise<number> {
	let read = 0;
	for (const calendarUrl of calendars) {
		const listed = await caldav.listEvents(calendarUrl);
		for (let index = 0; index < listed.length; index += 100) {
			read += (await caldav.readEvents(calendarUrl, listed.slice(index, index + 100).map(event => event.href))).length;
		}
	}

	return read;
}

const kilobytes = (bytes: number): string => `${(bytes / 1024).toLocaleString('en', {maximumFractionDigits: 1})} KB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function row(way: string, counts: Counts, ms: number, note: string): string {
	const methods = Object.entries(counts.methods).map(([method, count]) => `${count} ${method}`).join(', ');
	return `${way.padEnd(36)} ${String(counts.requests).padStart(5)} requests (${methods.padEnd(22)}) ${kilobytes(counts.sent).padStart(10)} sent ${kilobytes(counts.received).padStart(12)} received ${seconds(ms).padStart(8)}  ${note}`;
}

export async function run(): Promise<void> {
	const sandbox = await startSandbox({services: ['caldav']});
	try {
		const organizer = sandbox.accounts[0]!;
		const {homeUrl} = await discoverCalendars({serverUrl: sandbox.caldav.url, username: organizer.email, password: organizer.password});
		const home = homeUrl.endsWith('/') ? homeUrl : `${homeUrl}/`;
		const calendars = Array.from({length: calendarCount}, (_unused, index) => `${home}bench-${index + 1}/`);
		const seedStarted = performance.now();
		await inParallel(calendars, 2, async calendarUrl => {
			const index = calendars.indexOf(calendarUrl);
			const events = Array.from({length: eventsPerCalendar}, (_unused, event) => meeting(`bench-${index}-${event}@sandbox.test`, organizer.email, event, 10, 0));
			await seedCalendar(calendarUrl, organizer, calendarOf(events));
		});
		console.log(`set-up: ${calendarCount} calendars × ${eventsPerCalendar.toLocaleString('en')} meetings seeded in ${seconds(performance.now() - seedStarted)}`);

		const counts = {current: emptyCounts()};
		const caldav = createCaldavClient({username: organizer.email, password: organizer.password, fetch: countingFetch(counts)});
		// A server without WebDAV sync, as far as the watcher can tell: its PROPFIND answer loses the sync-token.
		const ctagOnly: CaldavClient = {...caldav, async collectionState(url, call) {
			const {ctag} = await caldav.collectionState(url, call);
			return ctag === undefined ? {} : {ctag};
		}};
		let mails = 0;
		const account: RelayAccount = {user: organizer.email, password: organizer.password, smtp: {host: '127.0.0.1', port: 1, secure: false}};
		const depsFor = (client: CaldavClient): SchedulingDeps => ({
			caldav: client, calendars, account, from: {email: organizer.email, name: 'Organizer'}, me: [organizer.email],
			store: memorySchedulingStore(),
			relay: {
				async send(request) {
					mails++;
					return {messageId: null, accepted: request.envelope.to, rejected: []};
				},
			},
		});
		const ways = [{name: 'WebDAV sync (RFC 6578)', deps: depsFor(caldav)}, {name: 'ctag, then ETags', deps: depsFor(ctagOnly)}];
		const measure = async <T>(work: () => Promise<T>): Promise<{counts: Counts; ms: number; value: T}> => {
			counts.current = emptyCounts();
			const started = performance.now();
			const value = await work();
			return {counts: counts.current, ms: performance.now() - started, value};
		};

		const describe = (result: SchedulingResult): string => `${result.changes} changes, ${result.sent.length} mails${result.error ? `, error: ${result.error.message}` : ''}`;
		const lines: string[] = [];
		for (const way of ways) {
			const baseline = await measure(async () => runScheduling(way.deps));
			lines.push(row(`${way.name}: first run`, baseline.counts, baseline.ms, `baseline of ${baseline.value.baselines} calendars, nothing sent`));
		}

		for (const way of ways) {
			const quiet = await measure(async () => runScheduling(way.deps));
			lines.push(row(`${way.name}: nothing`, quiet.counts, quiet.ms, describe(quiet.value)));
		}

		const naiveQuiet = await measure(async () => naiveTick(caldav, calendars));
		lines.push(row('naive (re-list all): nothing', naiveQuiet.counts, naiveQuiet.ms, `${naiveQuiet.value.toLocaleString('en')} events read`));

		// 10 meetings moved an hour in another app (SEQUENCE raised by the app), two per calendar.
		const setup = createCaldavClient({username: organizer.email, password: organizer.password});
		for (let change = 0; change < changedCount; change++) {
			const calendar = change % calendarCount;
			const event = 100 * change + 7;
			const uid = `bench-${calendar}-${event}@sandbox.test`;
			const found = await setup.findEventByUid(calendars[calendar]!, uid);
			if (!found) {
				throw new Error(`${uid} is not on the calendar`);
			}

			await setup.updateEvent(found.href, calendarOf([meeting(uid, organizer.email, event, 11, 1)]), found.etag);
		}

		for (const way of ways) {
			mails = 0;
			const changed = await measure(async () => runScheduling(way.deps));
			lines.push(row(`${way.name}: 10 changed`, changed.counts, changed.ms, `${describe(changed.value)} (${mails} handed to the relay)`));
		}

		const naiveChanged = await measure(async () => naiveTick(caldav, calendars));
		lines.push(row('naive (re-list all): 10 chg', naiveChanged.counts, naiveChanged.ms, `${naiveChanged.value.toLocaleString('en')} events read`));
		console.log(lines.join('\n'));
	} finally {
		await sandbox.stop();
	}
}
