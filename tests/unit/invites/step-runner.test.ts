/**
 * Issue 11 item 4: one step runner for the invite flows. The same outcome means the same in every flow: every
 * recipient refused is a failed mail step (recorded "not sent" where the flow records delivery), some refused is a
 * send naming them; a 5xx on the calendar is retried by the CalDAV client for every flow, resend's read included.
 * The calendar and the relay are in-memory fakes (what is tested is the runner, not CalDAV or SMTP).
 */
import {beforeEach, describe, expect, test} from 'vitest';
import {CaldavConflict, CaldavUnavailable, type CaldavClient, type CalendarEvent, type Decision} from '../../../lib/caldav/index.ts';
import {
	cancelInvite, cancelOccurrence, createInvite, declineCounter, mailOutcome, resendInvite, updateInvite, updateOccurrence, type EventsStore, type InviteDeps,
} from '../../../lib/invites/index.ts';
import type {SendInviteResult} from '../../../lib/messaging.ts';
import type {TrackedEvent} from '../../../lib/model.ts';
import type {SendRequest, SendResponse} from '../../../lib/relay-client/types.ts';
import {defaultSettings} from '../../../lib/storage.ts';

const calendarUrl = 'https://cal.example/me/home/';
const attendees = ['ann@example.org', 'bob@example.org'];

type FakeCaldav = Pick<CaldavClient, 'createEvent' | 'readEvent' | 'updateWithRetry'> & {
	objects: Map<string, CalendarEvent>;
	/** Calls of each kind that fail with a 503 before the next one works. */
	unavailable: {create: number; read: number; update: number};
	calls: {create: number; read: number; update: number};
};

function fakeCaldav(): FakeCaldav {
	let version = 0;
	const objects = new Map<string, CalendarEvent>();
	const unavailable = {create: 0, read: 0, update: 0};
	const calls = {create: 0, read: 0, update: 0};
	const down = (kind: keyof typeof unavailable, method: string, url: string): void => {
		calls[kind]++;
		if (unavailable[kind] > 0) {
			unavailable[kind]--;
			throw new CaldavUnavailable(`${method} ${url}: 503`, {method, url, status: 503});
		}
	};

	const read = (href: string): CalendarEvent => {
		const found = objects.get(href);
		if (!found) {
			throw new Error(`no event at ${href}`);
		}

		return found;
	};

	return {
		objects, unavailable, calls,
		async createEvent(url, uid, ics) {
			down('create', 'PUT', url);
			const href = `${url}${uid}.ics`;
			if (objects.has(href)) {
				throw new CaldavConflict(`PUT ${href}: 412`, {method: 'PUT', url: href, status: 412});
			}

			objects.set(href, {href, etag: `"v${++version}"`, ics});
			return {href, etag: `"v${version}"`};
		},
		async readEvent(href) {
			down('read', 'GET', href);
			return read(href);
		},
		async updateWithRetry(href, decide) {
			down('update', 'GET', href);
			const current = read(href);
			const decision = await decide(current.ics, current.etag) as Decision;
			if ('unchanged' in decision) {
				return {status: 'unchanged', href, etag: current.etag, ics: current.ics, attempts: 1};
			}

			objects.set(href, {href, etag: `"v${++version}"`, ics: decision.ics});
			return {status: 'updated', href, etag: `"v${version}"`, ics: decision.ics, attempts: 1};
		},
	};
}

/** A relay whose SMTP server refuses the addresses in `refuse`, and records what it was asked to send. */
function fakeRelay(refuse: (address: string) => boolean): InviteDeps['relay'] & {sent: SendRequest[]} {
	const sent: SendRequest[] = [];
	return {
		sent,
		async send(request): Promise<SendResponse> {
			sent.push(request);
			const to = request.envelope.to;
			return {
				messageId: `<m${sent.length}@example.org>`,
				accepted: to.filter(address => !refuse(address)),
				rejected: to.filter(address => refuse(address)).map(address => ({address, reason: '550 mailbox unavailable'})),
			};
		},
	};
}

function memoryEvents(): EventsStore & {records: Map<string, TrackedEvent>} {
	const records = new Map<string, TrackedEvent>();
	return {
		records,
		async get(uid) {
			return records.get(uid);
		},
		async update(uid, change) {
			const next = change(records.get(uid));
			if (next) {
				records.set(uid, next);
			}

			return next;
		},
	};
}

type World = {caldav: FakeCaldav; relay: ReturnType<typeof fakeRelay>; events: ReturnType<typeof memoryEvents>; deps: InviteDeps; refusing: Set<string>};

function world(): World {
	const caldav = fakeCaldav();
	const refusing = new Set<string>();
	const relay = fakeRelay(address => refusing.has(address));
	const events = memoryEvents();
	const deps: InviteDeps = {
		caldav, relay, events,
		account: {email: 'org@example.com', name: 'Org', password: 'x', aliases: []},
		settings: {...defaultSettings, calendarUrl},
		now: () => new Date('2026-11-20T09:00:00Z'),
	};
	return {caldav, relay, events, deps, refusing};
}

/** A weekly event created through the runner itself, with every mail delivered. */
async function created(w: World): Promise<string> {
	const result = await createInvite({
		attendees: attendees.map(email => ({email})), summary: 'Weekly', start: '2026-12-01T10:00', end: '2026-12-01T11:00', timeZone: 'Europe/Berlin',
		repeat: {freq: 'weekly', count: 4},
	}, w.deps);
	if (!result.ok) {
		throw new Error(`create failed: ${result.error.message}`);
	}

	return result.uid;
}

/** Every flow that mails, run on an event `created` made (create itself makes its own). */
const flows: Array<[string, (w: World, uid: string) => Promise<SendInviteResult>, {records: boolean}]> = [
	['create', async w => createInvite({attendees: attendees.map(email => ({email})), summary: 'Another', start: '2026-12-02T10:00', end: '2026-12-02T11:00', timeZone: 'Europe/Berlin'}, w.deps), {records: true}],
	['resend', async (w, uid) => resendInvite(uid, w.deps), {records: true}],
	['update', async (w, uid) => updateInvite(uid, {start: '2026-12-01T12:00', end: '2026-12-01T13:00'}, w.deps), {records: true}],
	['cancel', async (w, uid) => cancelInvite(uid, w.deps), {records: true}],
	['cancel one occurrence', async (w, uid) => cancelOccurrence(uid, '2026-12-08T10:00', w.deps), {records: true}],
	['change one occurrence', async (w, uid) => updateOccurrence(uid, {recurrenceId: '2026-12-08T10:00', start: '2026-12-08T15:00', end: '2026-12-08T16:00'}, w.deps), {records: true}],
	['decline a COUNTER', async (w, uid) => declineCounter(uid, counterFrom(w, uid), 'ann@example.org', w.deps), {records: false}],
];

/** Ann's COUNTER for the event (RFC 5546 §3.2.7), as the reply loop hands it to declineCounter. */
function counterFrom(_w: World, uid: string): string {
	return [
		'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'METHOD:COUNTER', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261121T090000Z', 'SEQUENCE:0',
		'DTSTART:20261201T150000Z', 'DTEND:20261201T160000Z', 'ORGANIZER:mailto:org@example.com', 'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:ann@example.org',
		'END:VEVENT', 'END:VCALENDAR', '',
	].join('\r\n');
}

/** The event the flow is about: create's own, else the one `created` made. */
function flowUid(name: string, result: SendInviteResult, uid: string): string {
	return name === 'create' ? result.uid! : uid;
}

describe('one outcome rule for every invite flow', () => {
	let w: World;
	let uid: string;
	beforeEach(async () => {
		w = world();
		uid = await created(w);
	});

	test.each(flows)('%s: every recipient refused is a failed mail step', async (name, run, {records}) => {
		for (const address of attendees) {
			w.refusing.add(address);
		}

		const before = w.relay.sent.length;
		const result = await run(w, uid);
		expect(w.relay.sent.length).toBeGreaterThan(before);
		expect(result.ok).toBe(false);
		if (result.ok) {
			return;
		}

		expect(result.error.code).toBe('rejected');
		expect(result.error.message).toContain('550 mailbox unavailable');
		expect(result.steps.at(-1)).toMatchObject({step: 'mail', state: 'failed'});
		const delivery = w.events.records.get(flowUid(name, result, uid))?.delivery;
		if (records) {
			expect(delivery).toMatchObject({state: 'not-sent', error: result.error.message});
		} else {
			// DECLINECOUNTER goes to the proposer alone: the invitation's delivery stays as it was.
			expect(delivery).toMatchObject({state: 'sent', rejected: []});
		}
	});

	test.each(flows)('%s: some refused is a send that names them', async (name, run, {records}) => {
		// Bob only: a DECLINECOUNTER goes to Ann alone, so for it nobody is refused; the others name Bob.
		w.refusing.add('bob@example.org');
		const result = await run(w, uid);
		if (!result.ok) {
			throw new Error(`${name} failed: ${result.error.message}`);
		}

		const asked = w.relay.sent.at(-1)!.envelope.to;
		const refused = asked.filter(address => w.refusing.has(address));
		expect(result.rejected.map(item => item.address)).toEqual(refused);
		expect(result.accepted).toEqual(asked.filter(address => !w.refusing.has(address)));
		expect(result.steps.at(-1)).toMatchObject({step: 'mail', state: 'done'});
		for (const address of refused) {
			expect(result.steps.at(-1)!.detail).toContain(`${address} was refused`);
		}

		if (records) {
			expect(w.events.records.get(flowUid(name, result, uid))?.delivery).toMatchObject({state: 'sent', rejected: result.rejected});
		}
	});

	test.each(flows)('%s: a 503 from the calendar is retried by the CalDAV client, not failed', async (name, run) => {
		Object.assign(w.caldav.unavailable, {create: 1, read: 1, update: 1});
		const before = {...w.caldav.calls};
		const result = await run(w, uid);
		if (!result.ok) {
			throw new Error(`${name} failed: ${result.error.message}`);
		}

		const retried = (['create', 'read', 'update'] as const).filter(kind => w.caldav.calls[kind] - before[kind] >= 2);
		expect(retried.length).toBeGreaterThan(0);
	}, 30_000);
});

describe('mailOutcome', () => {
	test('nobody accepted is a failure naming each refusal; anyone accepted is a send', () => {
		const refused = [{address: 'a@example.org', reason: '550 no'}, {address: 'b@example.org', reason: '552 full'}];
		const failed = mailOutcome([], refused);
		expect(failed.ok).toBe(false);
		expect(failed.ok ? '' : failed.error.message).toMatch(/a@example\.org: 550 no; b@example\.org: 552 full/);
		expect(mailOutcome(['c@example.org'], refused)).toEqual({ok: true});
	});
});
