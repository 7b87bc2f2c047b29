/**
 * Issue 14: the invitation part of the reply loop under the same faults as replies (tests/integration/flow/
 * faults.test.ts), on the real relay, Dovecot, SMTP and Radicale. Each test ends exactly once: one copy on Radicale
 * in the expected state, one stored outcome per delivered message, the invitation's record matching Radicale's
 * ETag, and a further tick that finds nothing to do.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {relayAccountOf} from '../../../lib/account.ts';
import {eventHref} from '../../../lib/caldav/index.ts';
import {invitationCalendarPort} from '../../../lib/invitations/calendar-port.ts';
import {cursorItem, invitationsItem} from '../../../lib/storage.ts';
import {startCuttingProxy, type CuttingProxy} from '../../helpers/cutting-proxy.ts';
import {googleInvitation, invitationLoopDeps, invitationTick, newUid, useInvitationFlow} from './invitation-helpers.ts';
import {assertOnePerMessage, partstats, sendAs, startFromNow, storedOutcomes, writesTo, type Flow} from './helpers.ts';

let flow: Flow;
useInvitationFlow(started => {
	flow = started;
});

function hrefOf(uid: string): string {
	return eventHref(flow.calendarUrl, uid);
}

/** Alex invites the user; the mail is in the user's INBOX. */
async function invited(summary: string, options: {sequence?: number; method?: 'REQUEST' | 'CANCEL'; start?: string; end?: string; uid?: string} = {}): Promise<string> {
	const uid = options.uid ?? newUid();
	await sendAs(flow, flow.alex, (await googleInvitation(flow, {organizer: flow.alex, uid, summary, ...options})).raw);
	return uid;
}

/**
 * Exactly once: Radicale holds one copy with `expected` in it (the user's PARTSTAT once, `partstats` throws on
 * twice), storage holds one outcome per delivered message and the copy's ETag, and a further tick does nothing.
 */
async function expectOnce(uid: string, messages: number, expected: string): Promise<void> {
	const copy = await flow.otherDevice.readEvent(hrefOf(uid));
	expect(copy.ics.replaceAll(/\r?\n[ \t]/g, '')).toContain(expected);
	expect(partstats(copy.ics).master![flow.organizer.email]).toBeDefined();
	const found = await flow.otherDevice.findEventByUid(flow.calendarUrl, uid);
	expect(found?.href).toBe(copy.href);
	const outcomes = await storedOutcomes();
	assertOnePerMessage(outcomes);
	expect(outcomes).toHaveLength(messages);
	expect((await invitationsItem.getValue())[uid]).toMatchObject({href: copy.href, etag: copy.etag});
	flow.exchanges.length = 0;
	const after = await invitationTick(flow);
	expect({messages: after.messages, writes: after.writes, error: after.error}).toEqual({messages: 0, writes: 0, error: undefined});
	expect(flow.exchanges).toEqual([]);
}

const requests = (): string[] => flow.exchanges.map(exchange => `${exchange.method} ${exchange.status}`);

describe('Radicale answers 412', () => {
	test('on the create: the copy is already there (another device added it), so what is there is read, not written over', async () => {
		const uid = newUid();
		const {raw} = await googleInvitation(flow, {organizer: flow.alex, uid, summary: 'Created elsewhere first'});
		await sendAs(flow, flow.alex, raw);
		// The user's phone added the same invitation (from the same mail) a moment before our PUT.
		flow.beforeRequest = async ({method, url}) => {
			if (method === 'PUT' && url === hrefOf(uid) && !(await flow.otherDevice.readEvent(url).catch(() => undefined))) {
				const calendar = raw.slice(raw.indexOf('BEGIN:VCALENDAR'), raw.indexOf('END:VCALENDAR') + 'END:VCALENDAR'.length).replace(/^METHOD:REQUEST\r\n/m, '');
				await flow.otherDevice.createEvent(flow.calendarUrl, uid, calendar);
			}
		};

		const result = await invitationTick(flow);
		expect(result.error).toBeUndefined();
		// The phone's copy is this very version: nothing to write over it.
		expect(requests()).toEqual(['PUT 412', 'REPORT 207', 'GET 200']);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['unchanged']);
		flow.beforeRequest = undefined;
		await expectOnce(uid, 1, 'SUMMARY:Created elsewhere first');
	});

	test('on an update: an injected 412 is read again and applied again', async () => {
		const uid = await invited('Update under 412');
		await invitationTick(flow);
		await startFromNow(flow);
		await invited('Update under 412', {uid, sequence: 1, start: '20261212T100000', end: '20261212T110000'});
		flow.exchanges.length = 0;
		flow.sandbox.caldavControl!.injectFault({method: 'PUT', status: 412, pathIncludes: new URL(hrefOf(uid)).pathname});
		const result = await invitationTick(flow);
		expect(result.error).toBeUndefined();
		expect(requests()).toEqual(['GET 200', 'PUT 412', 'GET 200', 'PUT 201']);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		await expectOnce(uid, 2, 'DTSTART;TZID=Europe/Berlin:20261212T100000');
	});
});

describe('Radicale answers 500', () => {
	test('twice on the create: retried with backoff within the tick', async () => {
		const uid = await invited('500 twice');
		flow.sandbox.caldavControl!.injectFault({method: 'PUT', status: 500, times: 2, pathIncludes: new URL(hrefOf(uid)).pathname});
		const result = await invitationTick(flow);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		expect(writesTo(flow, hrefOf(uid))).toBe(1);
		await expectOnce(uid, 1, 'SUMMARY:500 twice');
	});

	test('after the create was stored (the answer lost): the retry finds it and does not write again', async () => {
		const uid = await invited('500 after the write');
		flow.sandbox.caldavControl!.injectFault({method: 'PUT', status: 500, afterForwarding: true, pathIncludes: new URL(hrefOf(uid)).pathname});
		const result = await invitationTick(flow);
		expect(result.error).toBeUndefined();
		expect(requests()).toEqual(['PUT 500', 'PUT 412', 'REPORT 207', 'GET 200']);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['unchanged']);
		await expectOnce(uid, 1, 'SUMMARY:500 after the write');
	});

	test('on every try: nothing is recorded, the cursor stays before it, and the next tick adds it', async () => {
		const uid = await invited('500 for a whole tick');
		const cursorBefore = await cursorItem.getValue();
		flow.sandbox.caldavControl!.injectFault({method: 'PUT', status: 500, times: 4, pathIncludes: new URL(hrefOf(uid)).pathname});
		const failed = await invitationTick(flow, {}, {invitations: {...invitationLoopDeps(flow).invitations!, calendar: invitationCalendarPort(flow.caldav, flow.calendarUrl, {baseMs: 50})}});
		expect(failed.error).toMatchObject({kind: 'calendar'});
		expect(await storedOutcomes()).toEqual([]);
		expect((await cursorItem.getValue())!.folders.INBOX!.highestUid).toBe(cursorBefore!.folders.INBOX!.highestUid);
		expect(writesTo(flow, hrefOf(uid))).toBe(0);

		const retried = await invitationTick(flow);
		expect(retried.error).toBeUndefined();
		expect(retried.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		await expectOnce(uid, 1, 'SUMMARY:500 for a whole tick');
	});
});

describe('the relay', () => {
	test('down for a tick: nothing recorded, the cursor stays; started again, the next tick adds it', async () => {
		const uid = await invited('Relay down');
		const cursorBefore = await cursorItem.getValue();
		await flow.stopRelay();
		try {
			const failed = await invitationTick(flow);
			expect(failed.error).toMatchObject({kind: 'relay'});
			expect(await storedOutcomes()).toEqual([]);
			expect(await cursorItem.getValue()).toEqual(cursorBefore);
			expect(flow.exchanges).toEqual([]);
		} finally {
			await flow.restartRelay();
		}

		const result = await invitationTick(flow);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		await expectOnce(uid, 1, 'SUMMARY:Relay down');
	});
});

describe('the IMAP connection drops in the middle of a fetch', () => {
	let proxy: CuttingProxy;

	beforeAll(async () => {
		proxy = await startCuttingProxy(flow.sandbox.imap);
	});

	afterAll(async () => {
		await proxy?.close();
	});

	test('on the warm session and on the reconnection: the tick fails, nothing is recorded, the next tick adds it', async () => {
		const account = relayAccountOf(flow.account, {...flow.settings, servers: {...flow.settings.servers, imap: {host: proxy.host, port: proxy.port, secure: false}}});
		await startFromNow(flow, account);
		const uid = await invited('IMAP drop');
		const cursorBefore = await cursorItem.getValue();
		const before = proxy.stats();
		proxy.cut({marker: 'BEGIN:VCALENDAR', afterBytes: 100, times: 2});
		const failed = await invitationTick(flow, {}, {account});
		expect(proxy.stats().cuts - before.cuts).toBe(2);
		expect(failed.error).toMatchObject({kind: 'relay'});
		expect(await storedOutcomes()).toEqual([]);
		expect(await cursorItem.getValue()).toEqual(cursorBefore);

		const result = await invitationTick(flow, {}, {account});
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		expect((await flow.otherDevice.readEvent(hrefOf(uid))).ics).toContain('SUMMARY:IMAP drop');
		flow.exchanges.length = 0;
		const after = await invitationTick(flow, {}, {account});
		expect({messages: after.messages, writes: after.writes}).toEqual({messages: 0, writes: 0});
		const outcomes = await storedOutcomes();
		assertOnePerMessage(outcomes);
		expect(outcomes).toHaveLength(1);
	});
});

describe('the tick is cut short after the CalDAV write, before the outcome is stored', () => {
	test('the next tick finds the copy already there, writes nothing more and stores the outcome once', async () => {
		const first = await invited('Killed tick first');
		const second = await invited('Killed tick second');
		const cursorBefore = await cursorItem.getValue();
		await expect(invitationTick(flow, {}, {
			afterCalendarWrite() {
				throw new Error('service worker stopped');
			},
		})).rejects.toThrow('service worker stopped');
		expect(writesTo(flow, hrefOf(first))).toBe(1);
		expect(writesTo(flow, hrefOf(second))).toBe(0);
		expect(await storedOutcomes()).toEqual([]);
		expect(await cursorItem.getValue()).toEqual(cursorBefore);
		expect(await invitationsItem.getValue()).toEqual({});

		flow.exchanges.length = 0;
		const replay = await invitationTick(flow);
		expect(replay.error).toBeUndefined();
		expect(writesTo(flow, hrefOf(first))).toBe(0);
		expect(writesTo(flow, hrefOf(second))).toBe(1);
		expect(replay.outcomes.map(outcome => [outcome.eventUid, outcome.outcome])).toEqual([[first, 'unchanged'], [second, 'applied']]);
		await expectOnce(first, 2, 'SUMMARY:Killed tick first');
		expect((await invitationsItem.getValue())[second]).toMatchObject({cancelled: false});
	});
});

describe('the same CANCEL delivered twice', () => {
	test('cancels once; the copy is written once', async () => {
		const uid = await invited('Cancelled twice');
		await invitationTick(flow);
		await startFromNow(flow);
		const {raw} = await googleInvitation(flow, {organizer: flow.alex, uid, summary: 'Cancelled twice', method: 'CANCEL', sequence: 1});
		await sendAs(flow, flow.alex, raw);
		await sendAs(flow, flow.alex, raw);
		flow.exchanges.length = 0;
		const result = await invitationTick(flow);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'unchanged']);
		expect(writesTo(flow, hrefOf(uid))).toBe(1);
		await expectOnce(uid, 3, 'STATUS:CANCELLED');
	});
});
