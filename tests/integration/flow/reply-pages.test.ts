/**
 * Issue 12, item 10's paging, against the real relay and Dovecot: a relay whose answers hold at most two messages
 * (its own configuration, as RELAY_REPLIES_PER_PAGE sets it) returns a mailbox of many calendar mails in pages whose
 * cursor continues, and one tick of the reply loop follows the pages, storing each page's outcomes before its cursor
 * moves past them.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {fakeBrowser} from 'wxt/testing';
import {relayAccountOf} from '../../../lib/account.ts';
import {createRelayClient, type RelayClient, type RepliesCursor, type RepliesResponse} from '../../../lib/relay-client/index.ts';
import {messageKey} from '../../../lib/reply-loop/message-key.ts';
import {createStorageStore} from '../../../lib/reply-loop/storage-store.ts';
import {accountItem, cursorItem, outcomesItem, settingsItem} from '../../../lib/storage.ts';
import {startRelay, type RunningRelay} from '../../../relay/server.ts';
import {makeReply} from '../../helpers/make-reply.ts';
import {invite, newMessageId, readBack, sendAs, startFlow, startFromNow, tick, type Flow} from './helpers.ts';

const perPage = 2;
let flow: Flow;
let paged: RunningRelay;
let pagedClient: RelayClient;
let configDir: string;

beforeAll(async () => {
	flow = await startFlow();
	configDir = await mkdtemp(path.join(os.tmpdir(), 'paged-relay-'));
	paged = await startRelay({port: 0, configDir, log: () => undefined, limits: {requestsPerMinute: 10_000, repliesPerPage: perPage}});
	pagedClient = createRelayClient({url: paged.url, token: paged.token});
});

afterAll(async () => {
	await paged?.close();
	await flow?.stop();
	if (configDir) {
		await rm(configDir, {recursive: true, force: true});
	}
});

beforeEach(() => {
	fakeBrowser.reset();
});

function mail(from: string, subject: string, calendar: string): string {
	return [`From: <${from}>`, 'To: <organizer@sandbox.test>', `Subject: ${subject}`, `Message-ID: ${newMessageId('paged')}`, `Date: ${new Date().toUTCString()}`,
		'MIME-Version: 1.0', 'Content-Type: text/calendar; charset=utf-8; method=REPLY', 'Content-Transfer-Encoding: 8bit', '', calendar].join('\r\n');
}

/** Seven answers, Alex and Sam in turn, each later than the one before, so that every one of them is applied. */
async function deliverAnswers(uid: string): Promise<Array<{attendee: string; partstat: 'ACCEPTED' | 'DECLINED' | 'TENTATIVE'}>> {
	const partstats = ['ACCEPTED', 'DECLINED', 'TENTATIVE', 'ACCEPTED', 'DECLINED', 'TENTATIVE', 'ACCEPTED'] as const;
	const answers = partstats.map((partstat, index) => ({who: index % 2 === 0 ? flow.alex : flow.sam, partstat, dtstamp: `20261121T10${String(index).padStart(2, '0')}00Z`}));
	for (const {who, partstat, dtstamp} of answers) {
		await sendAs(flow, who, mail(who.email, `${partstat} ${dtstamp}`, makeReply({uid, organizer: flow.organizer.email, attendee: who.email, partstat, dtstamp})));
	}

	return answers.map(({who, partstat}) => ({attendee: who.email, partstat}));
}

describe('/v1/replies in pages', {timeout: 240_000}, () => {
	test('a mailbox with more calendar mail than a page holds is answered in pages the cursor continues, nothing twice or lost', async () => {
		const account = relayAccountOf(flow.account, flow.settings);
		const {cursor: start} = await flow.relayClient.replies({account});
		await settingsItem.setValue(flow.settings);
		await accountItem.setValue(flow.account);
		const {tracked} = await invite(flow, {summary: 'Paged answers'});
		const sent = await deliverAnswers(tracked.uid);

		// The unpaged relay of the flow sees every new message in one answer: what the pages must add up to.
		const whole = await flow.relayClient.replies({account, cursor: start});
		expect(whole.more).toBeUndefined();
		expect(whole.messages.length).toBe(sent.length);

		const pages: RepliesResponse[] = [];
		let cursor: RepliesCursor = start;
		for (;;) {
			const page = await pagedClient.replies({account, cursor});
			pages.push(page);
			cursor = page.cursor;
			if (!page.more || pages.length > sent.length) {
				break;
			}
		}

		const sizes: number[] = [];
		for (let left = whole.messages.length; left > 0; left -= perPage) {
			sizes.push(Math.min(perPage, left));
		}

		expect(pages.map(page => page.messages.length)).toEqual(sizes);
		expect(pages.slice(0, -1).every(page => page.more === true)).toBe(true);
		expect(pages.flatMap(page => page.messages.map(message => `${message.folder}/${message.uid}`))).toEqual(whole.messages.map(message => `${message.folder}/${message.uid}`));
		expect(cursor).toEqual(whole.cursor);
		// After the last page there is nothing more.
		const after = await pagedClient.replies({account, cursor});
		expect([after.messages.length, after.more]).toEqual([0, undefined]);
	});

	test('one tick follows the relay\'s pages and stores each page\'s outcomes before its cursor moves past them', async () => {
		await settingsItem.setValue(flow.settings);
		await accountItem.setValue(flow.account);
		const {tracked} = await invite(flow, {summary: 'Paged tick'});
		await startFromNow(flow);
		const sent = await deliverAnswers(tracked.uid);

		const answers: RepliesResponse[] = [];
		const store = createStorageStore();
		const unrecorded: string[] = [];
		const result = await tick(flow, {
			relay: {
				async replies(request, call) {
					const answer = await pagedClient.replies(request, call);
					answers.push(answer);
					return answer;
				},
			},
			store: {
				...store,
				async saveCursor(cursor) {
					// Every message the new cursor moves past must already have its outcome stored.
					const recorded = new Set((await outcomesItem.getValue()).map(outcome => outcome.key));
					for (const message of answers.at(-1)!.messages) {
						const folder = cursor.folders[message.folder]!;
						const key = messageKey(message.folder, folder.uidValidity, message.uid);
						if (message.uid <= folder.highestUid && !recorded.has(key)) {
							unrecorded.push(key);
						}
					}

					await store.saveCursor(cursor);
				},
			},
		});

		expect(result.error).toBeUndefined();
		expect(answers.length).toBe(Math.ceil(sent.length / perPage));
		expect(answers.every(answer => answer.messages.length <= perPage)).toBe(true);
		expect(unrecorded).toEqual([]);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(sent.map(() => 'applied'));
		const last = (attendee: string): string => sent.filter(answer => answer.attendee === attendee).at(-1)!.partstat;
		expect((await readBack(flow, tracked.href)).partstats.master).toMatchObject({[flow.alex.email]: last(flow.alex.email), [flow.sam.email]: last(flow.sam.email)});
		expect(await cursorItem.getValue()).toEqual(answers.at(-1)!.cursor);
		// A second tick finds nothing: the pages were followed to the end.
		expect((await tick(flow, {relay: pagedClient})).messages).toBe(0);
	});
});
