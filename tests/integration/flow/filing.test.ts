/**
 * Issue 14, filing: with a folder named, the mails a tick processed are moved there through the relay's
 * `/v1/move` (IMAP MOVE on the real Dovecot), after their outcomes and the cursor are stored; the others stay in
 * INBOX. The endpoint itself (folder created, UIDVALIDITY checked), and the faults of the move: the relay down,
 * the IMAP connection cut while the server answers the MOVE. Each ends exactly once.
 */
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {relayAccountOf} from '../../../lib/account.ts';
import {eventHref} from '../../../lib/caldav/index.ts';
import type {RelayPort} from '../../../lib/reply-loop/index.ts';
import {invitationsItem, receivedItem} from '../../../lib/storage.ts';
import {startCuttingProxy, type CuttingProxy} from '../../helpers/cutting-proxy.ts';
import {googleInvitation, invitationTick, newUid, type InvitationMail, useInvitationFlow} from './invitation-helpers.ts';
import {assertOnePerMessage, directImap, listMessages, sendAs, startFromNow, storedOutcomes, waitForMessages, writesTo, type Flow} from './helpers.ts';

let flow: Flow;
let folderCount = 0;
useInvitationFlow(started => {
	flow = started;
});

/** A folder name no earlier test used (with a space, as users name folders): filing creates it. */
function newFolder(): string {
	folderCount++;
	return `Filed invitations ${folderCount}`;
}

/** The Message-IDs among `mails` that are in `folder` now. */
async function idsIn(folder: string, mails: readonly InvitationMail[]): Promise<string[]> {
	const present = new Set((await listMessages(flow.sandbox.imap, flow.organizer, folder)).map(message => message.messageId));
	return mails.filter(mail => present.has(mail.messageId)).map(mail => mail.messageId);
}

async function deliver(mail: InvitationMail, from = flow.alex): Promise<InvitationMail> {
	await sendAs(flow, from, mail.raw);
	return mail;
}

describe('filing on', () => {
	test('the processed mails are in the folder, INBOX holds only the others, and "Open the mail" follows them', async () => {
		const folder = newFolder();
		const uid = newUid();
		const invitation = await deliver(await googleInvitation(flow, {organizer: flow.alex, uid, summary: 'Filed when added'}));
		// The same invitation delivered twice: `unchanged`, processed all the same.
		const again = await deliver({...invitation, messageId: `${invitation.messageId.slice(0, -1)}.again>`, raw: invitation.raw.replace(invitation.messageId, `${invitation.messageId.slice(0, -1)}.again>`)});
		// A stranger's invitation is only listed; a spoofed cancellation goes to review: both stay.
		const stranger = await deliver(await googleInvitation(flow, {organizer: flow.sam, uid: newUid(), summary: 'Listed, not filed'}), flow.sam);
		const spoofed = await deliver(await googleInvitation(flow, {organizer: flow.alex, from: flow.sam, uid, summary: 'Filed when added', method: 'CANCEL', sequence: 1}), flow.sam);
		const mails = [invitation, again, stranger, spoofed];
		await waitForMessages(flow.sandbox.imap, flow.organizer, 'INBOX', mails.map(mail => mail.messageId));

		const result = await invitationTick(flow, {filingFolder: folder});
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'unchanged', 'skipped', 'review']);
		expect(result.filing).toMatchObject({moved: [{folder: 'INBOX', to: folder}, {folder: 'INBOX', to: folder}]});
		expect(result.filing?.error).toBeUndefined();
		expect(await idsIn(folder, mails)).toEqual([invitation.messageId, again.messageId]);
		expect(await idsIn('INBOX', mails)).toEqual([stranger.messageId, spoofed.messageId]);

		// The popup's link opens the mail where it is now.
		const [filed] = (await listMessages(flow.sandbox.imap, flow.organizer, folder)).filter(message => message.messageId === again.messageId);
		expect((await receivedItem.getValue())[uid]?.mail).toMatchObject({folder, uid: filed!.uid});
		expect((await invitationsItem.getValue())[uid]).toMatchObject({cancelled: false});

		// A moved mail is not seen again, nothing is skipped: the next tick finds nothing, the next mail is found.
		const after = await invitationTick(flow, {filingFolder: folder});
		expect({messages: after.messages, writes: after.writes, filing: after.filing}).toEqual({messages: 0, writes: 0, filing: undefined});
		const later = await deliver(await googleInvitation(flow, {organizer: flow.alex, uid: newUid(), summary: 'After the move'}));
		const next = await invitationTick(flow, {filingFolder: folder});
		expect(next.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		expect(await idsIn(folder, [later])).toEqual([later.messageId]);
		const outcomes = await storedOutcomes();
		assertOnePerMessage(outcomes);
		expect(outcomes).toHaveLength(5);
	});

	test('filing off (the default): every mail stays in INBOX', async () => {
		const mail = await deliver(await googleInvitation(flow, {organizer: flow.alex, uid: newUid(), summary: 'Not filed'}));
		const result = await invitationTick(flow);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		expect(result.filing).toBeUndefined();
		expect(await idsIn('INBOX', [mail])).toEqual([mail.messageId]);
	});
});

describe('POST /v1/move', () => {
	test('moves by UID into a folder it creates, and moves nothing under another UIDVALIDITY', async () => {
		const account = relayAccountOf(flow.account, flow.settings);
		const mail = await deliver(await googleInvitation(flow, {organizer: flow.alex, uid: newUid(), summary: 'Moved by hand'}));
		const [stored] = await waitForMessages(flow.sandbox.imap, flow.organizer, 'INBOX', [mail.messageId]);
		const {cursor} = await flow.relayClient.replies({account, folders: ['INBOX']});
		const uidValidity = cursor.folders.INBOX!.uidValidity;

		const stale = await flow.relayClient.move({account, folder: 'INBOX', uidValidity: String(Number(uidValidity) + 1), uids: [stored!.uid], to: 'Elsewhere'});
		expect(stale).toEqual({moved: false, reason: 'uidvalidity-changed'});
		expect(await idsIn('INBOX', [mail])).toEqual([mail.messageId]);
		expect(await flow.relayClient.move({account, folder: 'No such folder', uidValidity, uids: [stored!.uid], to: 'Elsewhere'})).toEqual({moved: false, reason: 'missing-folder'});

		const folder = newFolder();
		const moved = await flow.relayClient.move({account, folder: 'INBOX', uidValidity, uids: [stored!.uid], to: folder});
		const [there] = await waitForMessages(flow.sandbox.imap, flow.organizer, folder, [mail.messageId]);
		expect(moved).toEqual({moved: true, to: folder, created: true, uidMap: [{uid: stored!.uid, newUid: there!.uid}]});
		expect(await idsIn('INBOX', [mail])).toEqual([]);
		// The same UID again: already gone, nothing to do, no error; the folder exists now.
		expect(await flow.relayClient.move({account, folder: 'INBOX', uidValidity, uids: [stored!.uid], to: folder})).toEqual({moved: true, to: folder, created: false, uidMap: []});
	});

	test.each([
		[{uids: []}, 'uids must list 1 to 1000 UIDs'],
		[{uids: [0]}, 'uids[0] must be a UID'],
		[{uidValidity: 'abc'}, 'uidValidity must be a decimal string'],
		[{to: 'INBOX'}, 'to must be another folder than folder'],
	])('a bad request is refused with the field named: %j', async (change, message) => {
		const request = {account: relayAccountOf(flow.account, flow.settings), folder: 'INBOX', uidValidity: '1', uids: [1], to: 'Filed', ...change};
		await expect(flow.relayClient.move(request)).rejects.toMatchObject({code: 'BAD_REQUEST', message: expect.stringContaining(message)});
	});
});

describe('the move fails after the outcome is stored', () => {
	test('the relay is down for the move: the mail stays in INBOX, nothing is processed twice', async () => {
		const folder = newFolder();
		const uid = newUid();
		const mail = await deliver(await googleInvitation(flow, {organizer: flow.alex, uid, summary: 'Relay gone before filing'}));
		// The relay answers the fetch, then stops before the move.
		const relay: RelayPort = {
			async replies(request, call) {
				const answer = await flow.relayClient.replies(request, call);
				await flow.stopRelay();
				return answer;
			},
			move: flow.relayClient.move,
		};
		try {
			const result = await invitationTick(flow, {filingFolder: folder}, {relay});
			expect(result.error).toBeUndefined();
			expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
			expect(result.filing).toMatchObject({moved: [], error: expect.stringContaining(`Not filed into ${folder}`)});
		} finally {
			await flow.restartRelay();
		}

		expect(await idsIn('INBOX', [mail])).toEqual([mail.messageId]);
		expect(writesTo(flow, eventHref(flow.calendarUrl, uid))).toBe(1);
		flow.exchanges.length = 0;
		const after = await invitationTick(flow, {filingFolder: folder});
		expect({messages: after.messages, writes: after.writes, error: after.error}).toEqual({messages: 0, writes: 0, error: undefined});
		expect(flow.exchanges).toEqual([]);
		const outcomes = await storedOutcomes();
		assertOnePerMessage(outcomes);
		expect(outcomes).toHaveLength(1);
	});

	describe('the IMAP connection drops while the server answers the MOVE', () => {
		let proxy: CuttingProxy;

		beforeAll(async () => {
			proxy = await startCuttingProxy(flow.sandbox.imap);
		});

		afterAll(async () => {
			await proxy?.close();
		});

		test('the answer is lost, the mail is in the folder all the same; nothing is processed or moved twice', async () => {
			const account = relayAccountOf(flow.account, {...flow.settings, servers: {...flow.settings.servers, imap: {host: proxy.host, port: proxy.port, secure: false}}});
			await startFromNow(flow, account);
			const folder = newFolder();
			// Created beforehand, so that the cut lands on the MOVE's answer (Dovecot says COPYUID there), not on the CREATE.
			const client = await directImap(flow.sandbox.imap, flow.organizer);
			try {
				await client.mailboxCreate(folder);
			} finally {
				await client.logout();
			}

			const uid = newUid();
			const mail = await deliver(await googleInvitation(flow, {organizer: flow.alex, uid, summary: 'Cut while filing'}));
			const before = proxy.stats();
			proxy.cut({marker: 'COPYUID', afterBytes: 0, times: 1});
			const result = await invitationTick(flow, {filingFolder: folder}, {account});
			expect(proxy.stats().cuts - before.cuts).toBe(1);
			expect(result.error).toBeUndefined();
			expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
			expect(await idsIn(folder, [mail])).toEqual([mail.messageId]);
			expect(await idsIn('INBOX', [mail])).toEqual([]);

			flow.exchanges.length = 0;
			const after = await invitationTick(flow, {filingFolder: folder}, {account});
			expect({messages: after.messages, writes: after.writes, error: after.error, filing: after.filing}).toEqual({messages: 0, writes: 0, error: undefined, filing: undefined});
			const outcomes = await storedOutcomes();
			assertOnePerMessage(outcomes);
			expect(outcomes).toHaveLength(1);
			expect(writesTo(flow, eventHref(flow.calendarUrl, uid))).toBe(0);
		});
	});
});
