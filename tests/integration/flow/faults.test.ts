/**
 * The reply loop under failure, on the real relay, Dovecot, SMTP and Radicale (issue 6, "Must show"). Each test
 * ends with every reply applied exactly once: the right PARTSTAT on Radicale, no attendee or occurrence twice,
 * and one stored outcome per delivered message.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {relayAccountOf} from '../../../lib/account.ts';
import type {TrackedEvent} from '../../../lib/model.ts';
import {caldavCalendarPort} from '../../../lib/reply-loop/index.ts';
import {cursorItem, eventsItem} from '../../../lib/storage.ts';
import type {SandboxAccount} from '../../sandbox/index.ts';
import {startCuttingProxy, type CuttingProxy} from '../../helpers/cutting-proxy.ts';
import {
	assertOnePerMessage, fixtureText, invite, listMessages, newMessageId, readBack, replyMail, rewrite, sendAs, startFromNow,
	storedOutcomes, tick, writesTo, useRelayFlow, type Flow,
} from './helpers.ts';

let flow: Flow;

useRelayFlow(started => {
	flow = started;
});

type Partstat = 'ACCEPTED' | 'DECLINED' | 'TENTATIVE';

/** Google's REPLY (the shared fixture) from `who` for our event, with the answer set to `partstat`. */
async function googleReply(uid: string, who: SandboxAccount, partstat: Partstat): Promise<string> {
	const calendar = rewrite(await fixtureText('google-REPLY-declined.ics'), {
		'cccc@nylas.com': uid, 'test2@example.com': flow.organizer.email, 'karim@example.com': who.email, 'PARTSTAT=DECLINED': `PARTSTAT=${partstat}`,
	});
	return replyMail({from: who, to: flow.organizer, subject: `${partstat}: reply`, calendar, messageId: newMessageId(`${who.id}-${partstat}`)});
}

/** A new event, the cursor at "now", and the CalDAV log cleared: what each fault test starts from. */
async function newEvent(summary: string): Promise<TrackedEvent> {
	const {tracked} = await invite(flow, {summary, location: 'Room 4'});
	await startFromNow(flow);
	flow.exchanges.length = 0;
	return tracked;
}

/** Alex accepts and Sam declines, each mailed for real. */
async function bothAnswer(tracked: TrackedEvent): Promise<void> {
	await sendAs(flow, flow.alex, await googleReply(tracked.uid, flow.alex, 'ACCEPTED'));
	await sendAs(flow, flow.sam, await googleReply(tracked.uid, flow.sam, 'DECLINED'));
}

/**
 * Exactly once: Radicale holds the answers (and no attendee twice: `partstats` throws on that), storage holds one
 * outcome per delivered message and the event's new state, and a further tick finds nothing to do.
 */
async function expectAppliedOnce(tracked: TrackedEvent, messages: number, answers: Record<string, string>): Promise<void> {
	const stored = await readBack(flow, tracked.href);
	expect(stored.partstats).toEqual({master: {[flow.organizer.email]: 'ACCEPTED', [flow.alex.email]: 'NEEDS-ACTION', [flow.sam.email]: 'NEEDS-ACTION', ...answers}});
	const outcomes = await storedOutcomes();
	assertOnePerMessage(outcomes);
	expect(outcomes).toHaveLength(messages);
	const event = (await eventsItem.getValue())[tracked.uid]!;
	expect(event.etag).toBe(stored.etag);
	expect(Object.fromEntries(event.attendees.map(status => [status.email, status.partstat]))).toEqual({
		[flow.alex.email]: 'NEEDS-ACTION', [flow.sam.email]: 'NEEDS-ACTION', ...answers,
	});
	flow.exchanges.length = 0;
	const after = await tick(flow);
	expect({messages: after.messages, writes: after.writes, error: after.error}).toEqual({messages: 0, writes: 0, error: undefined});
	expect(flow.exchanges).toEqual([]);
}

const accepted = (): Record<string, string> => ({[flow.alex.email]: 'ACCEPTED', [flow.sam.email]: 'DECLINED'});

describe('Radicale answers 412 once', () => {
	test('a real concurrent edit between our read and our write: read again, apply again, both changes kept', async () => {
		const tracked = await newEvent('Concurrent edit');
		await bothAnswer(tracked);
		// The user moves the meeting to another room in another calendar app, just before our PUT reaches Radicale.
		let edited = false;
		flow.beforeRequest = async ({method, url}) => {
			if (method === 'PUT' && url === tracked.href && !edited) {
				edited = true;
				const theirs = await flow.otherDevice.readEvent(tracked.href);
				await flow.otherDevice.updateEvent(tracked.href, rewrite(theirs.ics, {'LOCATION:Room 4': 'LOCATION:Room 5'}), theirs.etag);
			}
		};

		const result = await tick(flow);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'applied']);
		expect(flow.exchanges.map(exchange => `${exchange.method} ${exchange.status}`)).toEqual(['GET 200', 'PUT 412', 'GET 200', 'PUT 201']);
		expect((await readBack(flow, tracked.href)).ics).toContain('LOCATION:Room 5');
		await expectAppliedOnce(tracked, 2, accepted());
	});

	test('an injected 412 on the PUT', async () => {
		const tracked = await newEvent('Injected 412');
		await bothAnswer(tracked);
		flow.sandbox.caldavControl!.injectFault({method: 'PUT', status: 412, pathIncludes: new URL(tracked.href).pathname});
		const result = await tick(flow);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'applied']);
		expect(flow.exchanges.map(exchange => `${exchange.method} ${exchange.status}`)).toEqual(['GET 200', 'PUT 412', 'GET 200', 'PUT 201']);
		await expectAppliedOnce(tracked, 2, accepted());
	});
});

describe('Radicale answers 500', () => {
	test.each(['GET', 'PUT'])('twice on %s: retried with backoff within the tick', async method => {
		const tracked = await newEvent(`500 on ${method}`);
		await bothAnswer(tracked);
		flow.sandbox.caldavControl!.injectFault({method, status: 500, times: 2, pathIncludes: new URL(tracked.href).pathname});
		const result = await tick(flow);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'applied']);
		expect(flow.exchanges.filter(exchange => exchange.status === 500).map(exchange => exchange.method)).toEqual([method, method]);
		expect(writesTo(flow, tracked.href)).toBe(1);
		await expectAppliedOnce(tracked, 2, accepted());
	});

	test('after the write was stored (the answer lost): the retry reads it back and does not write again', async () => {
		const tracked = await newEvent('500 after the write');
		await bothAnswer(tracked);
		flow.sandbox.caldavControl!.injectFault({method: 'PUT', status: 500, afterForwarding: true, pathIncludes: new URL(tracked.href).pathname});
		const result = await tick(flow);
		expect(result.error).toBeUndefined();
		expect(flow.exchanges.map(exchange => `${exchange.method} ${exchange.status}`)).toEqual(['GET 200', 'PUT 500', 'GET 200']);
		// The answers are news all the same: the user is told, once each.
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'applied']);
		expect(result.answers.map(answer => `${answer.attendee} ${answer.partstat}`)).toEqual([`${flow.alex.email} ACCEPTED`, `${flow.sam.email} DECLINED`]);
		await expectAppliedOnce(tracked, 2, accepted());
	});

	test('on every try: the replies are parked, nothing is written, and the next tick applies them', async () => {
		const tracked = await newEvent('500 for a whole tick');
		await bothAnswer(tracked);
		flow.sandbox.caldavControl!.injectFault({method: 'GET', status: 500, times: 4, pathIncludes: new URL(tracked.href).pathname});
		// Issue 12 item 7: once the CalDAV client's own retries give up, a 5xx parks the reply (listed, retried
		// later) instead of holding every later reply behind it.
		const failed = await tick(flow, {calendar: caldavCalendarPort(flow.caldav, flow.calendarUrl, {baseMs: 50})});
		expect(failed.error).toBeUndefined();
		expect(failed.outcomes.map(outcome => outcome.outcome)).toEqual(['parked', 'parked']);
		expect(writesTo(flow, tracked.href)).toBe(0);

		const retried = await tick(flow);
		expect(retried.error).toBeUndefined();
		expect(retried.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'applied']);
		await expectAppliedOnce(tracked, 2, accepted());
	});
});

describe('the relay', () => {
	test('down for a tick: nothing recorded, the cursor stays; started again on the same port, the next tick applies', async () => {
		const tracked = await newEvent('Relay down');
		await bothAnswer(tracked);
		const cursorBefore = await cursorItem.getValue();
		await flow.stopRelay();
		try {
			const failed = await tick(flow);
			expect(failed.error).toMatchObject({kind: 'relay'});
			expect(failed.messages).toBe(0);
			expect(await storedOutcomes()).toEqual([]);
			expect(await cursorItem.getValue()).toEqual(cursorBefore);
			expect(flow.exchanges).toEqual([]);
		} finally {
			await flow.restartRelay();
		}

		const result = await tick(flow);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'applied']);
		await expectAppliedOnce(tracked, 2, accepted());
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

	/** The account with the relay's IMAP going through the proxy. */
	function viaProxy(): ReturnType<typeof relayAccountOf> {
		return relayAccountOf(flow.account, {...flow.settings, servers: {...flow.settings.servers, imap: {host: proxy.host, port: proxy.port, secure: false}}});
	}

	async function setup(summary: string): Promise<TrackedEvent> {
		const {tracked} = await invite(flow, {summary});
		// Polled once through the proxy: the relay now holds a warm IMAP session through it.
		await startFromNow(flow, viaProxy());
		flow.exchanges.length = 0;
		await bothAnswer(tracked);
		return tracked;
	}

	test('once, on the relay\'s warm session: the relay reconnects and the tick goes through', async () => {
		const tracked = await setup('IMAP drop once');
		const before = proxy.stats();
		// Cut while Dovecot is sending the first reply's calendar part, 100 bytes into it.
		proxy.cut({marker: 'BEGIN:VCALENDAR', afterBytes: 100});
		const result = await tick(flow, {account: viaProxy()});
		expect(proxy.stats().cuts - before.cuts).toBe(1);
		expect(proxy.stats().connections - before.connections).toBe(1);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'applied']);
		await expectAppliedOnce(tracked, 2, accepted());
	});

	test('again on the reconnection too: the tick fails, nothing is recorded, the next tick applies', async () => {
		const tracked = await setup('IMAP drop twice');
		const cursorBefore = await cursorItem.getValue();
		const before = proxy.stats();
		proxy.cut({marker: 'BEGIN:VCALENDAR', afterBytes: 100, times: 2});
		const failed = await tick(flow, {account: viaProxy()});
		expect(proxy.stats().cuts - before.cuts).toBe(2);
		expect(failed.error).toMatchObject({kind: 'relay'});
		expect(await storedOutcomes()).toEqual([]);
		expect(await cursorItem.getValue()).toEqual(cursorBefore);
		expect(flow.exchanges).toEqual([]);

		const result = await tick(flow, {account: viaProxy()});
		expect(proxy.pending()).toBe(0);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'applied']);
		await expectAppliedOnce(tracked, 2, accepted());
	});
});

describe('the tick is cut short after the CalDAV write, before the outcome is stored', () => {
	test('the next tick finds the answer already written, writes nothing more and stores the outcome once', async () => {
		const first = await newEvent('Killed tick, first event');
		const second = await invite(flow, {summary: 'Killed tick, second event'});
		flow.exchanges.length = 0;
		await bothAnswer(first);
		await bothAnswer(second.tracked);
		const cursorBefore = await cursorItem.getValue();
		await expect(tick(flow, {
			afterCalendarWrite() {
				throw new Error('service worker stopped');
			},
		})).rejects.toThrow('service worker stopped');
		// The first event's answers are on Radicale; nothing else happened.
		expect(writesTo(flow, first.href)).toBe(1);
		expect(writesTo(flow, second.tracked.href)).toBe(0);
		expect((await readBack(flow, first.href)).partstats.master).toMatchObject(accepted());
		expect(await storedOutcomes()).toEqual([]);
		expect(await cursorItem.getValue()).toEqual(cursorBefore);

		flow.exchanges.length = 0;
		const replay = await tick(flow);
		expect(replay.error).toBeUndefined();
		expect(writesTo(flow, first.href)).toBe(0);
		expect(writesTo(flow, second.tracked.href)).toBe(1);
		expect(replay.outcomes.map(outcome => [outcome.eventUid, outcome.outcome])).toEqual([
			[first.uid, 'unchanged'], [first.uid, 'unchanged'], [second.tracked.uid, 'applied'], [second.tracked.uid, 'applied'],
		]);
		const outcomes = await storedOutcomes();
		assertOnePerMessage(outcomes);
		expect(outcomes).toHaveLength(4);
		expect((await readBack(flow, second.tracked.href)).partstats.master).toMatchObject(accepted());
		// The first event's stored state caught up with Radicale.
		expect((await eventsItem.getValue())[first.uid]!.etag).toBe((await readBack(flow, first.href)).etag);
		await expectAppliedOnce(first, 4, accepted());
	});
});

describe('the same reply delivered twice', () => {
	test('in one tick and again later: applied once, the copies are unchanged, one write in all', async () => {
		const tracked = await newEvent('Duplicate delivery');
		const raw = await googleReply(tracked.uid, flow.alex, 'ACCEPTED');
		await sendAs(flow, flow.alex, raw);
		await sendAs(flow, flow.alex, raw);
		const messageId = /^Message-ID: (.*)$/m.exec(raw)![1]!.trim();
		expect((await listMessages(flow.sandbox.imap, flow.organizer, 'INBOX')).filter(message => message.messageId === messageId)).toHaveLength(2);

		const result = await tick(flow);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'unchanged']);
		expect(result.answers).toHaveLength(1);
		expect(writesTo(flow, tracked.href)).toBe(1);

		await sendAs(flow, flow.alex, raw);
		flow.exchanges.length = 0;
		const later = await tick(flow);
		expect(later.outcomes.map(outcome => outcome.outcome)).toEqual(['unchanged']);
		expect(later.answers).toEqual([]);
		expect(writesTo(flow, tracked.href)).toBe(0);
		await expectAppliedOnce(tracked, 3, {[flow.alex.email]: 'ACCEPTED'});
	});
});
