/**
 * pollReplies against a fake IMAP client that records every command: what a poll costs, which messages it
 * returns, and how the cursor moves. The real thing runs against Dovecot in tests/integration/relay/.
 */
import type {FetchMessageObject, FetchQueryObject, ImapFlow, ListResponse, MessageStructureObject} from 'imapflow';
import {describe, expect, test} from 'vitest';
import type {ImapSession} from '../../../relay/imap-pool.ts';
import type {RepliesCursor, RepliesResponse} from '../../../lib/relay-client/types.ts';
import {pollReplies, toSequenceSet, type RepliesPage} from '../../../relay/replies.ts';

type FakeMessage = {uid: number; seen?: boolean; structure: MessageStructureObject; parts?: Record<string, string>; headers?: string; date?: Date};

const calendar: MessageStructureObject = {type: 'text/calendar', parameters: {method: 'REPLY', charset: 'utf-8'}, encoding: '7bit', size: 40};
const plain: MessageStructureObject = {type: 'text/plain', encoding: '7bit', size: 40};
const replyHeaders = 'From: Alex <alex@sandbox.test>\r\nTo: organizer@sandbox.test\r\nSubject: Accepted: Sync\r\nMessage-ID: <r1@sandbox.test>\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\nAuthentication-Results: mx.sandbox.test;\r\n dkim=pass\r\n\r\n';

function folder(path: string, specialUse?: string): ListResponse {
	return {path, pathAsListed: path, name: path, delimiter: '/', parent: [], parentPath: '', flags: new Set(), specialUse, specialUseSource: specialUse ? 'extension' : undefined, listed: true, subscribed: true};
}

function uidsIn(range: string, uids: number[]): number[] {
	const max = Math.max(0, ...uids);
	return uids.filter(uid => range.split(',').some(piece => {
		const [low, high = low] = piece.split(':');
		const from = low === '*' ? max : Number(low);
		const to = high === '*' ? max : Number(high);
		return uid >= Math.min(from, to) && uid <= Math.max(from, to);
	}));
}

type FakeFolder = {uidValidity: bigint; uidNext?: number; messages: FakeMessage[]};

function fakeSession(folders: Record<string, FakeFolder>, clock: () => number = Date.now): {session: ImapSession; commands: string[]} {
	const commands: string[] = [];
	let cache: {at: number; list: ListResponse[]} | undefined;
	let selected = '';
	const client = {
		usable: true,
		mailbox: false as false | {path: string; readOnly: boolean},
		async mailboxClose() {
			commands.push('CLOSE');
			client.mailbox = false;
			return true;
		},
		async status(path: string) {
			commands.push(`STATUS ${path}`);
			const box = folders[path]!;
			return {path, uidValidity: box.uidValidity, uidNext: box.uidNext ?? Math.max(0, ...box.messages.map(message => message.uid)) + 1};
		},
		async getMailboxLock(path: string, options: {readOnly?: boolean}) {
			commands.push(`${options.readOnly ? 'EXAMINE' : 'SELECT'} ${path}`);
			selected = path;
			client.mailbox = {path, readOnly: options.readOnly === true};
			return {path, release: () => undefined};
		},
		async search(query: {since: Date} | {uid: string}) {
			const {messages} = folders[selected]!;
			if ('uid' in query) {
				commands.push(`SEARCH UID ${query.uid}`);
				return uidsIn(query.uid, messages.map(message => message.uid));
			}

			commands.push('SEARCH SINCE');
			return messages.filter(message => (message.date ?? new Date()) >= query.since).map(message => message.uid);
		},
		async * fetch(range: string, query: FetchQueryObject) {
			commands.push(`FETCH ${range} ${Object.keys(query).join(' ')}`);
			const box = folders[selected]!;
			const matching = uidsIn(range, box.messages.map(message => message.uid));
			for (const message of box.messages.filter(candidate => matching.includes(candidate.uid))) {
				yield {seq: message.uid, uid: message.uid, flags: new Set(message.seen ? ['\\Seen'] : []), bodyStructure: message.structure} satisfies FetchMessageObject;
			}
		},
		async fetchOne(uid: string, query: FetchQueryObject) {
			commands.push(`FETCH ${uid} ${(query.bodyParts ?? []).join(',')}`);
			const message = folders[selected]!.messages.find(candidate => candidate.uid === Number(uid));
			if (!message) {
				return false;
			}

			return {
				seq: message.uid,
				uid: message.uid,
				headers: Buffer.from(message.headers ?? replyHeaders),
				bodyParts: new Map(Object.entries(message.parts ?? {}).map(([part, text]) => [part, Buffer.from(text)])),
			} satisfies FetchMessageObject;
		},
	};
	const session: ImapSession = {
		client: client as unknown as ImapFlow,
		warm: true,
		// Cached like the pool's: LIST again only when asked with a maxAgeMs the cache exceeds.
		async folders({maxAgeMs = Number.POSITIVE_INFINITY}: {maxAgeMs?: number} = {}) {
			if (!cache || clock() - cache.at >= maxAgeMs) {
				commands.push('LIST');
				cache = {at: clock(), list: Object.keys(folders).map(path => folder(path, path === 'Spam' ? '\\Junk' : undefined))};
			}

			return cache.list;
		},
	};
	return {session, commands};
}

describe('pollReplies', () => {
	const now = new Date('2026-11-20T00:00:00Z');
	const mailbox = (): Record<string, FakeFolder> => ({
		INBOX: {
			uidValidity: 7n,
			messages: [
				{uid: 1, structure: plain},
				{uid: 2, seen: true, structure: calendar, parts: {1: 'BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n'}},
				{uid: 3, structure: plain, date: new Date('2026-01-01')},
			],
		},
		Spam: {uidValidity: 9n, messages: [{uid: 5, structure: calendar, parts: {1: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'}}]},
	});

	test('with no cursor: a 14-day window per folder, calendar mail only (\\Seen too), Junk found by role', async () => {
		const {session, commands} = fakeSession(mailbox());
		const result = await pollReplies(session, {}, now);
		expect(result.messages.map(message => [message.folder, message.uid, message.seen])).toEqual([['INBOX', 2, true], ['Spam', 5, false]]);
		expect(result.messages[0]?.headers).toEqual({
			from: {name: 'Alex', address: 'alex@sandbox.test'},
			sender: null,
			to: [{name: '', address: 'organizer@sandbox.test'}],
			subject: 'Accepted: Sync',
			messageId: '<r1@sandbox.test>',
			date: '2026-11-02T10:00:00.000Z',
			authenticationResults: ['mx.sandbox.test; dkim=pass'],
		});
		expect(result.messages[0]?.calendarParts).toEqual([{part: '1', contentType: 'text/calendar', filename: null, encoding: 'utf-8', text: 'BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n'}]);
		expect(result.notices).toEqual([
			{folder: 'INBOX', kind: 'date-window', reason: 'no-cursor', since: '2026-11-06T00:00:00.000Z'},
			{folder: 'Spam', kind: 'date-window', reason: 'no-cursor', since: '2026-11-06T00:00:00.000Z'},
		]);
		expect(result.cursor).toEqual({folders: {INBOX: {uidValidity: '7', highestUid: 3}, Spam: {uidValidity: '9', highestUid: 5}}});
		expect(commands.every(command => !command.startsWith('SELECT'))).toBe(true);
	});

	test('a poll with nothing new is one STATUS per folder, nothing else', async () => {
		const {session, commands} = fakeSession(mailbox());
		const cursor = {folders: {INBOX: {uidValidity: '7', highestUid: 3}, Spam: {uidValidity: '9', highestUid: 5}}};
		const result = await pollReplies(session, {cursor}, now);
		expect(result).toEqual({messages: [], cursor, notices: []});
		expect(commands).toEqual(['LIST', 'STATUS INBOX', 'STATUS Spam']);
	});

	test('INBOX alone needs no LIST', async () => {
		const {session, commands} = fakeSession(mailbox());
		await pollReplies(session, {folders: ['INBOX'], cursor: {folders: {INBOX: {uidValidity: '7', highestUid: 3}}}}, now);
		expect(commands).toEqual(['STATUS INBOX']);
	});

	test('new mail: only UIDs after the cursor, only calendar parts fetched', async () => {
		const boxes = mailbox();
		boxes.INBOX!.messages.push(
			{uid: 4, structure: {type: 'multipart/mixed', childNodes: [{...calendar, part: '1'}, {part: '2', type: 'application/pdf', encoding: 'base64', size: 7_000_000}]}, parts: {1: 'BEGIN:VCALENDAR'}},
			{uid: 6, structure: plain},
		);
		const {session, commands} = fakeSession(boxes);
		const result = await pollReplies(session, {folders: ['INBOX'], cursor: {folders: {INBOX: {uidValidity: '7', highestUid: 3}}}}, now);
		expect(result.messages.map(message => message.uid)).toEqual([4]);
		expect(result.cursor.folders.INBOX).toEqual({uidValidity: '7', highestUid: 6});
		// The folder is closed again, so the next STATUS is answered fresh (Dovecot's view of a selected folder lags).
		expect(commands).toEqual(['STATUS INBOX', 'EXAMINE INBOX', 'FETCH 4:* uid flags bodyStructure', 'FETCH 4 1', 'CLOSE']);
	});

	test('`n:*` returning the newest message below n does not repeat it', async () => {
		const boxes = mailbox();
		// UIDs 4 to 9 came and were expunged: UIDNEXT is 10, and `6:*` answers with UID 3.
		boxes.INBOX!.uidNext = 10;
		boxes.INBOX!.messages[2]!.structure = calendar;
		const {session, commands} = fakeSession(boxes);
		const result = await pollReplies(session, {folders: ['INBOX'], cursor: {folders: {INBOX: {uidValidity: '7', highestUid: 5}}}}, now);
		expect(commands).toContain('FETCH 6:* uid flags bodyStructure');
		expect(result.messages).toEqual([]);
		expect(result.cursor.folders.INBOX?.highestUid).toBe(9);
	});

	test('a changed UIDVALIDITY falls back to the date window and says so', async () => {
		const {session} = fakeSession(mailbox());
		const result = await pollReplies(session, {folders: ['INBOX'], cursor: {folders: {INBOX: {uidValidity: '6', highestUid: 99}}}}, now);
		expect(result.notices).toEqual([{folder: 'INBOX', kind: 'date-window', reason: 'uidvalidity-changed', since: '2026-11-06T00:00:00.000Z'}]);
		expect(result.messages.map(message => message.uid)).toEqual([2]);
		expect(result.cursor.folders.INBOX).toEqual({uidValidity: '7', highestUid: 3});
	});

	test('a missing Junk is skipped with a notice; cursors of folders not polled are kept', async () => {
		const boxes = mailbox();
		delete boxes.Spam;
		const {session} = fakeSession(boxes);
		const result = await pollReplies(session, {folders: ['INBOX', 'Junk'], cursor: {folders: {INBOX: {uidValidity: '7', highestUid: 3}, Archive: {uidValidity: '1', highestUid: 10}}}}, now);
		expect(result.notices).toEqual([{folder: 'Junk', kind: 'missing'}]);
		expect(result.cursor.folders).toEqual({INBOX: {uidValidity: '7', highestUid: 3}, Archive: {uidValidity: '1', highestUid: 10}});
	});

	test('an account without Junk: LIST again at most once a minute, so no-news polls stay STATUS only', async () => {
		const boxes = mailbox();
		delete boxes.Spam;
		let now_ = 0;
		const {session, commands} = fakeSession(boxes, () => now_);
		const cursor = {folders: {INBOX: {uidValidity: '7', highestUid: 3}}};
		await pollReplies(session, {cursor}, now);
		expect(commands.splice(0)).toEqual(['LIST', 'STATUS INBOX']);
		now_ += 30_000;
		await pollReplies(session, {cursor}, now);
		expect(commands.splice(0)).toEqual(['STATUS INBOX']);
		now_ += 30_000;
		await pollReplies(session, {cursor}, now);
		expect(commands.splice(0)).toEqual(['LIST', 'STATUS INBOX']);
	});

	test('a folder named by path that is not in the cached list is looked up again at once', async () => {
		const {session, commands} = fakeSession(mailbox());
		await session.folders();
		commands.splice(0);
		await pollReplies(session, {folders: ['Invitations'], cursor: {folders: {}}}, now);
		expect(commands).toEqual(['LIST']);
	});

	test('a calendar part over the size cap is reported, not fetched', async () => {
		const boxes = mailbox();
		boxes.INBOX!.messages.push({uid: 4, structure: {...calendar, size: 3 * 1024 * 1024}});
		const {session, commands} = fakeSession(boxes);
		const result = await pollReplies(session, {folders: ['INBOX'], cursor: {folders: {INBOX: {uidValidity: '7', highestUid: 3}}}}, now);
		expect(result.messages[0]?.calendarParts).toEqual([]);
		expect(result.messages[0]?.skippedParts).toEqual([{part: '1', contentType: 'text/calendar', filename: null, size: 3 * 1024 * 1024}]);
		expect(commands.at(-2)).toBe('FETCH 4 ');
	});
});

describe('pollReplies in pages', () => {
	const now = new Date('2026-11-20T00:00:00Z');
	const reply = (uid: number, size = 40): FakeMessage => ({uid, structure: {...calendar, size}, parts: {1: `BEGIN:VCALENDAR\r\nX-N:${uid}\r\nEND:VCALENDAR\r\n`}});
	const pages = async (folders: Record<string, FakeFolder>, request: {folders?: string[]; cursor?: RepliesCursor}, page: RepliesPage): Promise<RepliesResponse[]> => {
		const {session} = fakeSession(folders);
		const answers: RepliesResponse[] = [];
		let {cursor} = request;
		do {
			const answer = await pollReplies(session, {...request, cursor}, now, page);
			answers.push(answer);
			cursor = answer.cursor;
		} while (answers.at(-1)!.more === true && answers.length < 100);

		return answers;
	};

	const uids = (answers: RepliesResponse[]): Array<[string, number]> => answers.flatMap(answer => answer.messages.map(message => [message.folder, message.uid] as [string, number]));

	test('more calendar mail than a page holds comes in pages of at most that many, the cursor continuing, nothing twice or lost', async () => {
		const inbox = [reply(1), {uid: 2, structure: plain}, ...Array.from({length: 10}, (_unused, index) => reply(index + 3))];
		const answers = await pages({INBOX: {uidValidity: 7n, messages: inbox}}, {folders: ['INBOX'], cursor: {folders: {INBOX: {uidValidity: '7', highestUid: 0}}}}, {messages: 4, bytes: 1_000_000, scanned: 1000});
		expect(answers.map(answer => answer.messages.length)).toEqual([4, 4, 3]);
		expect(answers.map(answer => answer.more)).toEqual([true, true, undefined]);
		expect(uids(answers)).toEqual(inbox.filter(message => message.parts).map(message => ['INBOX', message.uid]));
		expect(answers.map(answer => answer.cursor.folders.INBOX?.highestUid)).toEqual([5, 9, 12]);
	});

	test('a page holds at most its bytes of calendar parts, and always its first message', async () => {
		const inbox = [reply(1, 600), reply(2, 300), reply(3, 300), reply(4, 2000), reply(5, 100)];
		const answers = await pages({INBOX: {uidValidity: 7n, messages: inbox}}, {folders: ['INBOX'], cursor: {folders: {INBOX: {uidValidity: '7', highestUid: 0}}}}, {messages: 100, bytes: 1000, scanned: 1000});
		expect(answers.map(answer => answer.messages.map(message => message.uid))).toEqual([[1, 2], [3], [4], [5]]);
	});

	test('a page looks at no more messages than its scan bound, calendar or not', async () => {
		const inbox = [...Array.from({length: 9}, (_unused, index) => ({uid: index + 1, structure: plain})), reply(10), reply(11)];
		const {session, commands} = fakeSession({INBOX: {uidValidity: 7n, messages: inbox}});
		const first = await pollReplies(session, {folders: ['INBOX'], cursor: {folders: {INBOX: {uidValidity: '7', highestUid: 0}}}}, now, {messages: 100, bytes: 1_000_000, scanned: 4});
		expect(first).toMatchObject({messages: [], more: true, cursor: {folders: {INBOX: {uidValidity: '7', highestUid: 4}}}});
		expect(commands).toContain('FETCH 1:4 uid flags bodyStructure');
		const rest = await pages({INBOX: {uidValidity: 7n, messages: inbox}}, {folders: ['INBOX'], cursor: first.cursor}, {messages: 100, bytes: 1_000_000, scanned: 4});
		expect(uids(rest)).toEqual([['INBOX', 10], ['INBOX', 11]]);
	});

	test('without a cursor the date window is paged too, then continued by UID', async () => {
		const inbox = Array.from({length: 5}, (_unused, index) => reply(index + 1));
		const answers = await pages({INBOX: {uidValidity: 7n, messages: inbox}}, {folders: ['INBOX']}, {messages: 2, bytes: 1_000_000, scanned: 1000});
		expect(answers.map(answer => answer.messages.map(message => message.uid))).toEqual([[1, 2], [3, 4], [5]]);
		expect(answers.map(answer => answer.notices.length)).toEqual([1, 0, 0]);
	});

	test('a full page leaves the folders after it their cursor for the next page', async () => {
		const folders = {INBOX: {uidValidity: 7n, messages: [reply(1), reply(2)]}, Spam: {uidValidity: 9n, messages: [reply(1)]}};
		const cursor = {folders: {INBOX: {uidValidity: '7', highestUid: 0}, Spam: {uidValidity: '9', highestUid: 0}}};
		const answers = await pages(folders, {cursor}, {messages: 2, bytes: 1_000_000, scanned: 1000});
		expect(answers[0]).toMatchObject({more: true, cursor: {folders: {INBOX: {highestUid: 2}, Spam: {highestUid: 0}}}});
		expect(uids(answers)).toEqual([['INBOX', 1], ['INBOX', 2], ['Spam', 1]]);
	});
});

describe('toSequenceSet', () => {
	test.each([
		[[1, 2, 3, 5, 7, 8], '1:3,5,7:8'],
		[[9, 1, 2, 2], '1:2,9'],
		[[4], '4'],
	])('%j → %s', (uids, expected) => {
		expect(toSequenceSet(uids)).toBe(expected);
	});
});
