/**
 * Calendar-app scheduling under failure (issue 18, "Must show": each fault kind ends with exactly the right messages
 * sent once), on the real relay, SMTP, Dovecot and Radicale, the meetings written by python3-caldav. Every test
 * reads the attendees' INBOXes: the mails that must arrive arrive once, a re-sent mail is the same mail (same
 * SEQUENCE and DTSTAMP), and a further tick sends nothing.
 */
import {randomUUID} from 'node:crypto';
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {fakeBrowser} from 'wxt/testing';
import {parseAgentAccount} from '../../../lib/agent/index.ts';
import type {OutboxEntry, SchedulingDeps, SchedulingResult} from '../../../lib/scheduling/index.ts';
import {schedulingLogItem, schedulingStateItem} from '../../../lib/storage.ts';
import {calendarApp, type CalendarApp} from '../../helpers/calendar-app.ts';
import {ImapPool} from '../../../relay/imap-pool.ts';
import {openAgentDatabase} from '../../../relay/agent/sqlite-store.ts';
import {MailboxWorker} from '../../../relay/agent/worker.ts';
import {startFlow, type Flow} from '../flow/helpers.ts';
import {mailsAbout, meetingIcs, methods, schedule as scheduleWith, versionOf, vevent} from './helpers.ts';
import {agentConfigOf, agentRunner} from './runners.ts';

let flow: Flow;
let app: CalendarApp;

beforeAll(async () => {
	flow = await startFlow();
	app = calendarApp(flow.sandbox.caldav.url, flow.organizer);
});

afterAll(async () => {
	await flow?.stop();
});

beforeEach(() => {
	fakeBrowser.reset();
});

async function schedule(overrides: Partial<SchedulingDeps> = {}): Promise<SchedulingResult> {
	return scheduleWith(flow, overrides);
}

/** A meeting with Alex and Sam (or the attendees given) made in the app; returns its UID. */
async function newMeeting(label: string, attendees: readonly string[] = [flow.alex.email, flow.sam.email]): Promise<string> {
	const uid = `${label}-${randomUUID()}`;
	await app.create(meetingIcs(flow.organizer.email, uid, attendees, {summary: label}));
	return uid;
}

/** Another device moves the meeting two hours later without raising SEQUENCE; returns its href. */
async function moveWithoutSequence(uid: string): Promise<string> {
	const current = (await flow.otherDevice.findEventByUid(flow.calendarUrl, uid))!;
	const moved = current.ics.replace(/DTSTART([^:\r\n]*):20270115T100000Z/, 'DTSTART$1:20270115T120000Z').replace(/DTEND([^:\r\n]*):20270115T110000Z/, 'DTEND$1:20270115T130000Z');
	expect(moved).not.toBe(current.ics);
	// Written as another app writes: without our mailed stamp (our own client stamps its writes as already mailed).
	await flow.otherDevice.updateEvent(current.href, moved, current.etag, {mailed: false});
	return current.href;
}

async function inboxes(uid: string): Promise<{alex: string[]; sam: string[]}> {
	return {alex: methods(await mailsAbout(flow, flow.alex, uid)), sam: methods(await mailsAbout(flow, flow.sam, uid))};
}

/** A tick with nothing new: nothing sent, nothing waiting, no error. */
async function expectQuiet(): Promise<void> {
	const quiet = await schedule();
	expect({sent: quiet.sent, waiting: quiet.waiting, writes: quiet.writes, error: quiet.error}).toEqual({sent: [], waiting: 0, writes: 0, error: undefined});
	expect((await schedulingStateItem.getValue()).outbox).toEqual([]);
}

/** After the kill: the first mail of the outbox was accepted by SMTP (in both INBOXes), the other not yet sent. */
async function killedAndWaiting(outbox: readonly OutboxEntry[], first: string, second: string): Promise<{killedUid: string; otherUid: string}> {
	const [sentBeforeKill, waiting] = outbox;
	expect(waiting).toBeDefined();
	const killedUid = sentBeforeKill!.uid;
	const otherUid = killedUid === first ? second : first;
	expect([killedUid, otherUid].sort()).toEqual([first, second].sort());
	expect(await inboxes(killedUid)).toEqual({alex: ['REQUEST'], sam: ['REQUEST']});
	expect(await inboxes(otherUid)).toEqual({alex: [], sam: []});
	return {killedUid, otherUid};
}

/** The tick after the kill: the very same mail again (SEQUENCE, DTSTAMP, Message-ID), then the other one, once. */
async function expectSentAgainOnce(next: SchedulingResult, killedUid: string, otherUid: string): Promise<void> {
	expect(next.sent.map(record => record.uid)).toEqual([killedUid, otherUid]);
	for (const account of [flow.alex, flow.sam]) {
		const copies = await mailsAbout(flow, account, killedUid);
		expect(methods(copies)).toEqual(['REQUEST', 'REQUEST']);
		expect(versionOf(copies[1]!)).toBe(versionOf(copies[0]!));
		expect(copies[1]!.messageId).toBe(copies[0]!.messageId);
		expect(methods(await mailsAbout(flow, account, otherUid))).toEqual(['REQUEST']);
	}
}

function putsTo(href: string): string[] {
	return flow.exchanges.filter(exchange => exchange.method === 'PUT' && exchange.url === href).map(exchange => `PUT ${exchange.status}`);
}

describe('Radicale answers 412 to the SEQUENCE write-back', () => {
	test('nothing is sent that tick; the next one writes SEQUENCE+1 and sends the new time once', async () => {
		await schedule();
		const uid = await newMeeting('Write-back 412');
		expect((await schedule()).sent).toHaveLength(1);
		const href = await moveWithoutSequence(uid);
		flow.exchanges.length = 0;
		flow.sandbox.caldavControl!.injectFault({method: 'PUT', status: 412, pathIncludes: new URL(href).pathname});

		const conflicted = await schedule();
		expect({sent: conflicted.sent, writes: conflicted.writes, error: conflicted.error}).toEqual({sent: [], writes: 0, error: undefined});
		expect(putsTo(href)).toEqual(['PUT 412']);
		expect(await inboxes(uid)).toEqual({alex: ['REQUEST'], sam: ['REQUEST']});

		const next = await schedule();
		expect(next.writes).toBe(1);
		expect(next.sent.map(record => record.sentence)).toEqual(['Sent the new time of Write-back 412 to 2 people because it changed in another app']);
		expect(putsTo(href)).toEqual(['PUT 412', 'PUT 201']);
		expect(await inboxes(uid)).toEqual({alex: ['REQUEST', 'REQUEST'], sam: ['REQUEST', 'REQUEST']});
		const update = vevent((await mailsAbout(flow, flow.sam, uid))[1]!.calendar);
		expect(update.getFirstPropertyValue('sequence')).toBe(1);
		expect(update.getFirstPropertyValue('dtstart')?.toString()).toBe('2027-01-15T12:00:00Z');
		expect(vevent(await app.get(uid)).getFirstPropertyValue('sequence')).toBe(1);
		await expectQuiet();
	});
});

describe('Radicale answers 500', () => {
	test('on the write-back, on every try, mid-tick: the other meeting\'s invitation goes out, the new time on the next tick, each once', async () => {
		await schedule();
		const moved = await newMeeting('Moved while failing');
		expect((await schedule()).sent).toHaveLength(1);
		const created = await newMeeting('Made in the same tick');
		const href = await moveWithoutSequence(moved);
		// As many 500s as the tick's tries (backoff attempts: 2).
		flow.sandbox.caldavControl!.injectFault({method: 'PUT', status: 500, times: 2, pathIncludes: new URL(href).pathname});

		const failing = await schedule();
		expect(failing.error).toMatchObject({kind: 'calendar'});
		expect(failing.sent.map(record => record.uid)).toEqual([created]);
		expect(await inboxes(moved)).toEqual({alex: ['REQUEST'], sam: ['REQUEST']});

		const next = await schedule();
		expect(next.error).toBeUndefined();
		expect(next.sent.map(record => record.uid)).toEqual([moved]);
		expect(await inboxes(moved)).toEqual({alex: ['REQUEST', 'REQUEST'], sam: ['REQUEST', 'REQUEST']});
		expect(await inboxes(created)).toEqual({alex: ['REQUEST'], sam: ['REQUEST']});
		await expectQuiet();
	});

	test('after the write-back was stored (its answer lost): the new time goes out once, with the SEQUENCE written', async () => {
		await schedule();
		const uid = await newMeeting('Answer lost');
		expect((await schedule()).sent).toHaveLength(1);
		const href = await moveWithoutSequence(uid);
		flow.exchanges.length = 0;
		flow.sandbox.caldavControl!.injectFault({method: 'PUT', status: 500, afterForwarding: true, pathIncludes: new URL(href).pathname});

		const lost = await schedule();
		// The retry's If-Match no longer holds (our own write moved the ETag): nothing sent this tick.
		expect(putsTo(href)).toEqual(['PUT 500', 'PUT 412']);
		expect(lost.sent).toEqual([]);
		expect(vevent(await app.get(uid)).getFirstPropertyValue('sequence')).toBe(1);

		const next = await schedule();
		expect(next.writes).toBe(0);
		expect(next.sent).toHaveLength(1);
		expect(await inboxes(uid)).toEqual({alex: ['REQUEST', 'REQUEST'], sam: ['REQUEST', 'REQUEST']});
		expect(vevent((await mailsAbout(flow, flow.alex, uid))[1]!.calendar).getFirstPropertyValue('sequence')).toBe(1);
		await expectQuiet();
	});

	test('on the sync REPORT, on every try: the calendar is looked at again next tick and the invitation goes out once', async () => {
		await schedule();
		const uid = await newMeeting('Report failing');
		flow.sandbox.caldavControl!.injectFault({method: 'REPORT', status: 500, times: 2, pathIncludes: new URL(flow.calendarUrl).pathname});
		const failing = await schedule();
		expect(failing.error).toMatchObject({kind: 'calendar'});
		expect(failing.sent).toEqual([]);
		expect(await inboxes(uid)).toEqual({alex: [], sam: []});

		const next = await schedule();
		expect(next.sent.map(record => record.uid)).toEqual([uid]);
		expect(await inboxes(uid)).toEqual({alex: ['REQUEST'], sam: ['REQUEST']});
		await expectQuiet();
	});
});

describe('the relay', () => {
	test('down for a tick: the invitation waits in the outbox; with the relay back, it goes out once', async () => {
		await schedule();
		const uid = await newMeeting('Relay down');
		await flow.stopRelay();
		try {
			const failed = await schedule();
			expect(failed.error).toMatchObject({kind: 'relay'});
			expect({sent: failed.sent, waiting: failed.waiting}).toEqual({sent: [], waiting: 1});
			expect((await schedulingStateItem.getValue()).outbox.map(entry => entry.uid)).toEqual([uid]);
		} finally {
			await flow.restartRelay();
		}

		expect(await inboxes(uid)).toEqual({alex: [], sam: []});
		const next = await schedule();
		expect(next.sent.map(record => record.uid)).toEqual([uid]);
		expect(await inboxes(uid)).toEqual({alex: ['REQUEST'], sam: ['REQUEST']});
		await expectQuiet();
	});
});

describe('SMTP refuses one recipient', () => {
	test('the others get it once, the refusal is kept with the record, and it is not sent again', async () => {
		await schedule();
		const refused = `nobody-${randomUUID().slice(0, 8)}@rejected.test`;
		const uid = await newMeeting('One refused', [flow.alex.email, refused]);
		const result = await schedule();
		expect(result.error).toBeUndefined();
		expect(result.sent).toHaveLength(1);
		expect(result.sent[0]!.rejected.map(rejection => rejection.address)).toEqual([refused]);
		expect((await schedulingLogItem.getValue()).find(record => record.uid === uid)?.rejected.map(rejection => rejection.address)).toEqual([refused]);
		expect(methods(await mailsAbout(flow, flow.alex, uid))).toEqual(['REQUEST']);
		await expectQuiet();
		expect(methods(await mailsAbout(flow, flow.alex, uid))).toEqual(['REQUEST']);
	});
});

describe('the worker is killed after SMTP accepted a mail and before it left the outbox', () => {
	test('the next tick sends that very mail again (same SEQUENCE and DTSTAMP) and the rest once; nothing else', async () => {
		await schedule();
		const first = await newMeeting('Killed first');
		const second = await newMeeting('Killed second');
		let accepted = 0;
		await expect(schedule({
			afterAccepted() {
				accepted++;
				throw new Error('service worker stopped');
			},
		})).rejects.toThrow('service worker stopped');
		expect(accepted).toBe(1);
		const {killedUid, otherUid} = await killedAndWaiting((await schedulingStateItem.getValue()).outbox, first, second);
		expect(await schedulingLogItem.getValue()).toEqual([]);

		await expectSentAgainOnce(await schedule(), killedUid, otherUid);

		expect((await schedulingLogItem.getValue()).map(record => record.uid)).toEqual([killedUid, otherUid]);
		await expectQuiet();
	});
});

describe('the agent is killed after SMTP accepted a mail and before it left the outbox', () => {
	test('`agent --once` then sends that very mail again (same SEQUENCE, DTSTAMP and Message-ID) and the rest once; nothing else', async () => {
		const runner = await agentRunner(flow);
		const agent = runner.organizer;
		const {state} = agent.files!;
		// The agent's own worker (relay/agent/worker.ts) on the agent's state, in this process: the baseline, the tick
		// stopped where a SIGKILL would stop it, and the quiet tick at the end; the re-send is the real `agent --once`.
		const database = openAgentDatabase(state);
		const pool = new ImapPool({idleMs: 60_000, connectTimeoutMs: 20_000});
		let accepted = 0;
		const worker = (kill: boolean): MailboxWorker => new MailboxWorker({
			mailbox: parseAgentAccount(agentConfigOf(flow, flow.organizer, flow.calendarUrl, state)),
			store: database.store(flow.organizer.email), pool, log: () => undefined, connectTimeoutMs: 20_000, fullTickMs: 300_000,
			...(kill ? {
				afterAccepted() {
					accepted++;
					throw new Error('agent killed');
				},
			} : {}),
		});
		try {
			expect((await worker(false).tickOnce()).scheduling?.baselines).toBe(1);
			const first = await newMeeting('Agent killed first');
			const second = await newMeeting('Agent killed second');
			const killed = await worker(true).tickOnce();
			expect(killed.scheduling?.error?.message).toBe('agent killed');
			expect(accepted).toBe(1);
			const {killedUid, otherUid} = await killedAndWaiting(await agent.outbox(), first, second);
			expect(await agent.sentLog()).toEqual([]);

			await expectSentAgainOnce(await agent.tick(), killedUid, otherUid);
			expect((await agent.sentLog()).map(record => record.uid)).toEqual([killedUid, otherUid]);
			const quiet = (await worker(false).tickOnce()).scheduling;
			expect({sent: quiet?.sent, waiting: quiet?.waiting, error: quiet?.error}).toEqual({sent: [], waiting: 0, error: undefined});
			expect(await agent.outbox()).toEqual([]);
		} finally {
			await pool.close();
			database.close();
			await runner.close();
		}
	});
});
