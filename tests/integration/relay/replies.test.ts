/**
 * /v1/replies against the sandbox's real Dovecot: only calendar-bearing mail, \Seen mail and Junk included,
 * nothing twice across cursors, flags and folders untouched, and a 5 MB attachment beside a reply never
 * downloaded (bytes counted on the wire by a proxy between the relay and Dovecot).
 * Calendar mail is the shared fixtures, appended or sent as they are.
 */
import type {ImapFlow} from 'imapflow';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createRelayClient, type RelayAccount, type RelayClient, type RepliesResponse} from '../../../lib/relay-client/index.ts';
import type {RunningRelay} from '../../../relay/server.ts';
import {startCountingProxy, type CountingProxy} from '../../helpers/counting-proxy.ts';
import {directImap, fixture, listFolder, messageWithAttachment, plainMessage, relayAccount} from '../../helpers/relay-mail.ts';
import type {Sandbox} from '../../sandbox/index.ts';
import {useSandboxRelay} from './use-relay.ts';

let sandbox: Sandbox;
let relay: RunningRelay;
let client: RelayClient;
let proxy: CountingProxy;
let imap: ImapFlow;
let account: RelayAccount;
/** What each appended message is, by folder and UID. */
const names = new Map<string, string>();

async function append(folder: string, name: string, content: Buffer, flags: string[] = []): Promise<void> {
	const result = await imap.append(folder, content, flags);
	if (!result || result.uid === undefined) {
		throw new Error(`APPEND ${name} to ${folder} gave no UID`);
	}

	names.set(`${folder}/${result.uid}`, name);
}

function received(response: RepliesResponse): string[] {
	return response.messages.map(message => names.get(`${message.folder}/${message.uid}`) ?? `${message.folder}/${message.uid}`);
}

useSandboxRelay(started => {
	({sandbox, relay} = started);
});

beforeAll(async () => {
	proxy = await startCountingProxy(sandbox.imap);
	client = createRelayClient({url: relay.url, token: relay.token});
	const [organizer] = sandbox.accounts;
	account = relayAccount(sandbox, organizer!, proxy);
	imap = await directImap(sandbox.imap, organizer!);
});

afterAll(async () => {
	await imap?.logout();
	await proxy?.close();
});

describe('replies', () => {
	let first: RepliesResponse;
	let second: RepliesResponse;
	let third: RepliesResponse;
	let flagsBefore: unknown;

	test('first poll (no cursor): every calendar-bearing message of the last 14 days, \\Seen and Junk included', async () => {
		const [organizer, alex] = sandbox.accounts;
		await append('INBOX', 'plain text', plainMessage({from: alex!.email, to: organizer!.email, subject: 'Lunch?', messageId: '<plain-1@sandbox.test>'}));
		await append('INBOX', 'fastmail REPLY (unread)', await fixture('fastmail-REPLY-single-instance-recurrence-id.eml'));
		await append('INBOX', 'apple REPLY (read)', await fixture('apple-style-REPLY-partycrasher-cyrus.eml'), ['\\Seen']);
		await append('INBOX', 'exchange TNEF REPLY (read)', await fixture('exchange-REPLY-tnef-winmail-zugesagt.eml'), ['\\Seen']);
		await append('INBOX', '5 MB attachment, no calendar', messageWithAttachment({from: alex!.email, to: organizer!.email, subject: 'Slides', messageId: '<slides@sandbox.test>', attachmentBytes: 5 * 1024 * 1024}));
		await append('Junk', 'fastmail REPLY in Junk', await fixture('fastmail-REPLY-two-instances-recurrence-id.eml'));
		// And one that really arrives: Alex replies through the relay, SMTP → LMTP → Dovecot.
		const sent = await client.send({
			account: relayAccount(sandbox, alex!),
			envelope: {from: alex!.email, to: [organizer!.email]},
			raw: (await fixture('apple-style-REPLY-no-organizer-cyrus.eml')).toString('utf8'),
		});
		expect(sent.accepted).toEqual([organizer!.email]);
		const delivered = (await listFolder(imap, 'INBOX')).at(-1)!;
		names.set(`INBOX/${delivered.uid}`, 'apple REPLY sent over SMTP');
		flagsBefore = {inbox: await listFolder(imap, 'INBOX'), junk: await listFolder(imap, 'Junk')};

		first = await client.replies({account});
		expect(received(first)).toEqual([
			'fastmail REPLY (unread)',
			'apple REPLY (read)',
			'exchange TNEF REPLY (read)',
			'apple REPLY sent over SMTP',
			'fastmail REPLY in Junk',
		]);
		expect(first.messages.map(message => message.seen)).toEqual([false, true, true, false, false]);
		expect(first.notices).toEqual([
			{folder: 'INBOX', kind: 'date-window', reason: 'no-cursor', since: expect.any(String) as string},
			{folder: 'Junk', kind: 'date-window', reason: 'no-cursor', since: expect.any(String) as string},
		]);
	});

	test('calendar parts come whole and decoded; TNEF as base64; headers from the message', async () => {
		const [fastmail, apple, tnef] = first.messages;
		expect(fastmail?.calendarParts).toHaveLength(1);
		const fixtureText = (await fixture('fastmail-REPLY-single-instance-recurrence-id.eml')).toString('utf8');
		expect(fastmail?.calendarParts[0]?.text.replaceAll('\r\n', '\n')).toBe(fixtureText.slice(fixtureText.indexOf('BEGIN:VCALENDAR')).replaceAll('\r\n', '\n'));
		expect(fastmail?.calendarParts[0]).toMatchObject({part: '1', contentType: 'text/calendar', encoding: 'utf-8'});
		expect(apple?.headers.from).toEqual({name: 'Bar', address: 'bar@example.net'});
		expect(tnef?.calendarParts).toEqual([expect.objectContaining({contentType: 'application/ms-tnef', filename: 'winmail.dat', encoding: 'base64'})]);
		// TNEF files start with the signature 0x223E9F78, little-endian.
		expect(Buffer.from(tnef!.calendarParts[0]!.text, 'base64').readUInt32LE(0)).toBe(0x22_3E_9F_78);
		expect(tnef?.headers.subject).toMatch(/^Zugesagt: /);
		// The relay read Outlook's answer out of it (relay/tnef.ts): who accepted which event.
		expect(tnef?.calendarParts[0]?.tnef).toMatchObject({kind: 'meeting-response', partstat: 'ACCEPTED', attendee: {address: tnef?.headers.from?.address}});
	});

	test('a poll with nothing new returns nothing and costs one STATUS per folder on the warm connection', async () => {
		proxy.reset();
		second = await client.replies({account, cursor: first.cursor});
		expect(second).toEqual({messages: [], cursor: first.cursor, notices: []});
		const {fromServer, toServer} = proxy.counts();
		// Two STATUS commands and their answers: well under a kilobyte, no login, no search.
		expect(toServer).toBeLessThan(200);
		expect(fromServer).toBeLessThan(400);
	});

	test('new mail after the cursor: only the new calendar messages; the 5 MB attachment beside a reply is not downloaded', async () => {
		const [organizer, alex] = sandbox.accounts;
		await append('INBOX', 'another plain text', plainMessage({from: alex!.email, to: organizer!.email, subject: 'Re: Lunch?', messageId: '<plain-2@sandbox.test>'}));
		await append('INBOX', 'Google REPLY beside a 5 MB PDF', messageWithAttachment({
			from: alex!.email,
			to: organizer!.email,
			subject: 'Declined: Spot le chien',
			messageId: '<declined-with-pdf@sandbox.test>',
			calendar: await fixture('google-REPLY-declined.ics'),
			attachmentBytes: 5 * 1024 * 1024,
		}), ['\\Seen']);
		await append('Junk', 'apple multi-VEVENT REPLY in Junk', await fixture('apple-style-REPLY-multi-vevent-recurrence-id-cyrus.eml'));
		proxy.reset();
		third = await client.replies({account, cursor: second.cursor});
		const {fromServer} = proxy.counts();
		expect(received(third)).toEqual(['Google REPLY beside a 5 MB PDF', 'apple multi-VEVENT REPLY in Junk']);
		expect(third.notices).toEqual([]);
		const pdfReply = third.messages[0]!;
		expect(pdfReply.calendarParts).toHaveLength(1);
		expect(pdfReply.calendarParts[0]?.text).toContain('PARTSTAT=DECLINED');
		expect(pdfReply.seen).toBe(true);
		// The message is over 6.8 MB on the server; the poll downloaded a few KB of it.
		expect(fromServer).toBeLessThan(64 * 1024);
	});

	test('nothing twice across cursors, and a fourth poll finds nothing', async () => {
		const fourth = await client.replies({account, cursor: third.cursor});
		expect(fourth.messages).toEqual([]);
		const all = [first, second, third, fourth].flatMap(response => response.messages.map(message => `${message.folder}/${message.uid}`));
		expect(new Set(all).size).toBe(all.length);
		expect(all).toHaveLength(7);
	});

	test('flags and folders are untouched: unread mail is still unread, nothing moved', async () => {
		const after = {inbox: await listFolder(imap, 'INBOX'), junk: await listFolder(imap, 'Junk')};
		const before = flagsBefore as typeof after;
		expect(after.inbox.slice(0, before.inbox.length)).toEqual(before.inbox);
		expect(after.junk.slice(0, before.junk.length)).toEqual(before.junk);
		expect(after.inbox.find(message => names.get(`INBOX/${message.uid}`) === 'fastmail REPLY (unread)')?.flags).toEqual([]);
		expect(after.junk.every(message => !message.flags.includes('\\Seen'))).toBe(true);
	});

	test('folders: a named folder; a recreated folder (new UIDVALIDITY) falls back to the date window and says so', async () => {
		await imap.mailboxCreate('Invitations');
		await append('Invitations', 'fastmail REPLY in Invitations', await fixture('fastmail-REPLY-single-instance-recurrence-id.eml'));
		const before = await client.replies({account, folders: ['Invitations'], cursor: third.cursor});
		expect(received(before)).toEqual(['fastmail REPLY in Invitations']);
		// The INBOX and Junk entries ride along untouched.
		expect(before.cursor.folders.INBOX).toEqual(third.cursor.folders.INBOX);

		await imap.mailboxDelete('Invitations');
		await imap.mailboxCreate('Invitations');
		await append('Invitations', 'apple REPLY in recreated Invitations', await fixture('apple-style-REPLY-partycrasher-cyrus.eml'));
		const after = await client.replies({account, folders: ['Invitations'], cursor: before.cursor});
		expect(after.notices).toEqual([{folder: 'Invitations', kind: 'date-window', reason: 'uidvalidity-changed', since: expect.any(String) as string}]);
		expect(received(after)).toEqual(['apple REPLY in recreated Invitations']);
		expect(after.cursor.folders.Invitations?.uidValidity).not.toBe(before.cursor.folders.Invitations?.uidValidity);
	});

	test('mail arriving right after a poll that looked into the same folder is still found (no stale STATUS)', async () => {
		const cursor = {folders: {INBOX: third.cursor.folders.INBOX!}};
		await append('INBOX', 'fastmail REPLY, first of two', await fixture('fastmail-REPLY-single-instance-recurrence-id.eml'));
		const one = await client.replies({account, folders: ['INBOX'], cursor});
		expect(received(one)).toEqual(['fastmail REPLY, first of two']);
		await append('INBOX', 'fastmail REPLY, second of two', await fixture('fastmail-REPLY-two-instances-recurrence-id.eml'));
		const two = await client.replies({account, folders: ['INBOX'], cursor: one.cursor});
		expect(received(two)).toEqual(['fastmail REPLY, second of two']);
	});

	test('a folder that does not exist is skipped with a notice', async () => {
		const response = await client.replies({account, folders: ['INBOX', 'No Such Folder'], cursor: third.cursor});
		expect(response.notices).toEqual([{folder: 'No Such Folder', kind: 'missing'}]);
	});
});
