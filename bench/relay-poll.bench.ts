/**
 * What a reply poll costs, ours against the naive way, on the sandbox's real Dovecot (issue 5).
 *
 * Mailboxes of 100, 1,000 and 10,000 messages: plain ~2 KB text mails, 1 in 100 left unread, the rest \Seen, as
 * in a mailbox whose owner reads their mail. They are written straight into the folder's Maildir, which Dovecot
 * indexes on first access (APPEND is the fallback; see fill()).
 * Bytes are counted on the wire by a TCP proxy between the client and Dovecot; times are medians.
 *
 * - ours: the relay's pooled, warm session (ImapPool + pollReplies, as /v1/replies runs them) with a cursor;
 *   a poll with nothing new is one STATUS.
 * - naive: as the seed app did: a fresh login, SELECT, SEARCH UNSEEN, fetch every unseen message whole.
 *
 * Then one new reply carrying a 5 MB attachment arrives, and both fetch it.
 */
import {chown, readdir, stat, utimes, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {ImapPool} from '../relay/imap-pool.ts';
import {pollReplies} from '../relay/replies.ts';
import type {RepliesCursor} from '../lib/relay-client/types.ts';
import {startCountingProxy, type CountingProxy} from '../tests/helpers/counting-proxy.ts';
import {directImap as connect, fixture, messageWithAttachment} from '../tests/helpers/relay-mail.ts';
import {startSandbox} from '../tests/sandbox/index.ts';
import type {SandboxAccount} from '../tests/sandbox/types.ts';
import {median} from './stats.ts';

export const name = 'relay reply poll: ours (pooled STATUS + BODYSTRUCTURE) vs naive (login, SEARCH UNSEEN, fetch whole)';

const sizes = [100, 1000, 10_000];
/** One message in this many is left unread. */
const unreadEvery = 100;
/** No-news polls per mailbox size for the medians (ours is cheap, so many; the naive one logs in each time). */
const oursRounds = 60;
const naiveRounds = 5;
const fillConnections = 4;

type Endpoint = {host: string; port: number};

function fillerMessage(folder: string, index: number): Buffer {
	const paragraph = `Message ${index} in ${folder}. Quarterly numbers, lunch plans and the usual. `.repeat(24);
	return Buffer.from([
		`From: Colleague ${index % 37} <colleague${index % 37}@example.com>`,
		'To: organizer@sandbox.test',
		`Subject: Update ${index}`,
		`Message-ID: <bench-${folder}-${index}@example.com>`,
		`Date: ${new Date().toUTCString()}`,
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=utf-8',
		'',
		paragraph,
		'',
	].join('\r\n'));
}

/** Finds the Maildir++ folder Dovecot made for `folder` (`.<folder>/cur`) somewhere under the sandbox's state. */
async function findMaildirFolder(root: string, folder: string, depth = 0): Promise<string | undefined> {
	if (depth > 6) {
		return undefined;
	}

	const entries = await readdir(root, {withFileTypes: true}).catch(() => []);
	for (const entry of entries.filter(candidate => candidate.isDirectory())) {
		const full = path.join(root, entry.name);
		if (entry.name === `.${folder}` && (await stat(path.join(full, 'cur')).catch(() => undefined))?.isDirectory()) {
			return full;
		}

		const found = await findMaildirFolder(full, folder, depth + 1);
		if (found) {
			return found;
		}
	}

	return undefined;
}

/**
 * Fills `folder` with `count` messages. Fast way: Dovecot creates the folder over IMAP, then the messages are
 * written straight into its Maildir `cur/` (flags in the file name, owned like the folder) and Dovecot indexes
 * them on first access. Fallback when the sandbox's layout is not Maildir++: APPEND over parallel connections
 * (Dovecot takes ~5 ms per APPEND here, so 10,000 take about 45 s).
 */
async function fill(sandbox: {imap: Endpoint; stateDir: string}, account: SandboxAccount, folder: string, count: number): Promise<'maildir' | 'append'> {
	const setup = await connect(sandbox.imap, account);
	await setup.mailboxCreate(folder);
	await setup.logout();
	const maildir = await findMaildirFolder(sandbox.stateDir, folder);
	if (maildir) {
		const {uid, gid} = await stat(maildir);
		const stamp = Math.floor(Date.now() / 1000);
		for (let index = 0; index < count; index++) {
			const file = path.join(maildir, 'cur', `${stamp}.M${index}P${process.pid}.bench:2,${index % unreadEvery === 0 ? '' : 'S'}`);
			await writeFile(file, fillerMessage(folder, index));
			await chown(file, uid, gid);
		}

		// Date the folder a minute back, like a mailbox that was not just written to. Dovecot rescans a Maildir
		// whose directory changed within the second of its last look (its "dirty" guard), on every access.
		const aMinuteAgo = new Date(Date.now() - 60_000);
		for (const directory of ['cur', 'new', 'tmp', '.']) {
			await utimes(path.join(maildir, directory), aMinuteAgo, aMinuteAgo);
		}

		return 'maildir';
	}

	await Promise.all(Array.from({length: fillConnections}, async (_unused, worker) => {
		const client = await connect(sandbox.imap, account);
		try {
			for (let index = worker; index < count; index += fillConnections) {
				// Sequential per connection: imapflow runs one command at a time anyway.
				await client.append(folder, fillerMessage(folder, index), index % unreadEvery === 0 ? [] : ['\\Seen']);
			}
		} finally {
			await client.logout();
		}
	}));
	return 'append';
}

/** The naive poll, timed and counted: fresh login, SELECT, SEARCH UNSEEN, every unseen message whole. */
async function naivePoll(proxy: CountingProxy, account: SandboxAccount, folder: string): Promise<{ms: number; bytes: number; fetched: number}> {
	proxy.reset();
	const started = performance.now();
	const client = await connect(proxy, account);
	let fetched = 0;
	try {
		const lock = await client.getMailboxLock(folder);
		try {
			const unseen = await client.search({seen: false}, {uid: true});
			if (unseen && unseen.length > 0) {
				for await (const message of client.fetch(unseen, {uid: true, source: true}, {uid: true})) {
					fetched += message.source?.length ?? 0;
				}
			}
		} finally {
			lock.release();
		}
	} finally {
		await client.logout();
	}

	const ms = performance.now() - started;
	const {fromServer, toServer} = proxy.counts();
	return {ms, bytes: fromServer + toServer, fetched};
}

const kb = (bytes: number): string => bytes < 10_240 ? `${bytes} B` : `${(bytes / 1024).toFixed(bytes < 1024 * 1024 ? 1 : 0)} KB`;
const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

function table(rows: string[][]): string {
	const widths = rows[0]!.map((_cell, column) => Math.max(...rows.map(row => row[column]!.length)));
	return rows.map(row => row.map((cell, column) => column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)).join('  ')).join('\n');
}

export async function run(): Promise<void> {
	const sandbox = await startSandbox({services: ['imap']});
	const proxy = await startCountingProxy(sandbox.imap);
	const pool = new ImapPool({idleMs: 600_000, connectTimeoutMs: 20_000});
	try {
		const account = sandbox.accounts[0]!;
		const folders = sizes.map(size => `Bench${size}`);
		const fillStarted = performance.now();
		const ways = new Set<string>();
		for (const [index, folder] of folders.entries()) {
			ways.add(await fill(sandbox, account, folder, sizes[index]!));
		}

		const how = [...ways].map(way => way === 'maildir' ? 'written into Dovecot\'s Maildir' : `APPENDed over ${fillConnections} connections`).join(', ');
		console.log(`filled ${sizes.join(' + ')} messages (${how}) in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s; 1 in ${unreadEvery} unread`);

		const login = {endpoint: {host: proxy.host, port: proxy.port, secure: false}, user: account.email, password: account.password};
		const poll = async (folder: string, cursor?: RepliesCursor): Promise<RepliesCursor> => pool.use(login, async session => (await pollReplies(session, {folders: [folder], cursor})).cursor);
		// First poll per folder: no cursor, the date window; it leaves the cursor and a warm session.
		const cursors = new Map<string, RepliesCursor>();
		const firstPolls: string[][] = [['first poll (no cursor: 14-day window, every message here is new)', 'time', 'bytes on the wire']];
		for (const [index, folder] of folders.entries()) {
			proxy.reset();
			const started = performance.now();
			cursors.set(folder, await poll(folder));
			const {fromServer, toServer} = proxy.counts();
			firstPolls.push([`${sizes[index]!.toLocaleString('en')} messages${index === 0 ? ' (includes the login)' : ''}`, ms(performance.now() - started), kb(fromServer + toServer)]);
		}

		// No-news polls, sizes interleaved so drift hits them alike.
		const oursTimes = new Map<string, number[]>(folders.map(folder => [folder, []]));
		const oursBytes = new Map<string, number[]>(folders.map(folder => [folder, []]));
		for (let round = 0; round < oursRounds; round++) {
			for (const folder of folders) {
				proxy.reset();
				const started = performance.now();
				await poll(folder, cursors.get(folder));
				oursTimes.get(folder)!.push(performance.now() - started);
				const {fromServer, toServer} = proxy.counts();
				oursBytes.get(folder)!.push(fromServer + toServer);
			}
		}

		const naive = new Map<string, Array<{ms: number; bytes: number; fetched: number}>>(folders.map(folder => [folder, []]));
		for (let round = 0; round < naiveRounds; round++) {
			for (const folder of folders) {
				naive.get(folder)!.push(await naivePoll(proxy, account, folder));
			}
		}

		const rows = [['poll with nothing new', 'ours time', 'ours bytes', 'naive time', 'naive bytes', 'naive downloads']];
		for (const [index, folder] of folders.entries()) {
			const naiveRuns = naive.get(folder)!;
			rows.push([
				`${sizes[index]!.toLocaleString('en')} messages`,
				ms(median(oursTimes.get(folder)!)),
				kb(median(oursBytes.get(folder)!)),
				ms(median(naiveRuns.map(runResult => runResult.ms))),
				kb(median(naiveRuns.map(runResult => runResult.bytes))),
				`${sizes[index]! / unreadEvery} msgs, ${kb(naiveRuns[0]!.fetched)}`,
			]);
		}

		console.log(table(rows));
		console.log(table(firstPolls));

		// One new reply with a 5 MB attachment, in the largest mailbox.
		const largest = folders.at(-1)!;
		const appender = await connect(sandbox.imap, account);
		const reply = messageWithAttachment({
			from: 'alex@sandbox.test',
			to: account.email,
			subject: 'Declined: Spot le chien',
			messageId: '<bench-reply-with-pdf@sandbox.test>',
			calendar: await fixture('google-REPLY-declined.ics'),
			attachmentBytes: 5 * 1024 * 1024,
		});
		await appender.append(largest, reply, []);
		await appender.logout();
		proxy.reset();
		const started = performance.now();
		const found = await pool.use(login, async session => pollReplies(session, {folders: [largest], cursor: cursors.get(largest)}));
		const oursReplyMs = performance.now() - started;
		const oursReply = proxy.counts();
		const naiveReply = await naivePoll(proxy, account, largest);
		console.log(table([
			['new reply + 5 MB attachment', 'time', 'bytes on the wire'],
			[`ours (${found.messages.length} reply, ${found.messages[0]?.calendarParts.length ?? 0} calendar part)`, ms(oursReplyMs), kb(oursReply.fromServer + oursReply.toServer)],
			[`naive (message ${kb(reply.length)} + the unread)`, ms(naiveReply.ms), kb(naiveReply.bytes)],
		]));

		const ratio = median(oursTimes.get(largest)!) / median(oursTimes.get(folders[0]!)!);
		const replyBytes = oursReply.fromServer + oursReply.toServer;
		console.log(`target: ours at 10,000 within 1.5x of ours at 100: ${ratio.toFixed(2)}x ${ratio <= 1.5 ? 'PASS' : 'FAIL'}`);
		console.log(`target: the 5 MB reply under 64 KB: ${kb(replyBytes)} ${replyBytes < 64 * 1024 ? 'PASS' : 'FAIL'}`);
	} finally {
		await pool.close();
		await proxy.close();
		await sandbox.stop();
	}
}
