/**
 * Incremental reply fetch: the calendar-bearing messages that arrived in some folders since a cursor.
 *
 * Per folder, one STATUS (UIDNEXT, UIDVALIDITY) says whether anything arrived. Only then is the folder
 * EXAMINEd (read-only, so no flag can change), the new messages' BODYSTRUCTUREs fetched, and the folder closed; only messages with
 * a calendar part go further, and of those only the calendar parts and a few headers are fetched, with
 * BODY.PEEK. Flags are never used to decide anything: a reply the user already read in webmail is still found
 * (the seed app's UNSEEN search lost those), and nothing is ever moved or flagged.
 */
import type {FetchMessageObject, ImapFlow} from 'imapflow';
import PostalMime from 'postal-mime';
import {calendarPartText, decodedSizeBound, isTooLarge, normaliseCalendarText, startsWithVcalendar, textInCharset} from '../lib/imip/calendar-part-rule.ts';
import {replyHeadersOf} from '../lib/imip/reply-message.ts';
import {decodeTransferEncoding, findCalendarParts, type CalendarPartRef} from './bodystructure.ts';
import {RelayError} from './errors.ts';
import {isRoleName, resolveFolder} from './folders.ts';
import {readTnef} from './tnef.ts';
import {
	answerFilter, answersOneOf, findFirstTextPart, maxPlainAnswerBytes, threadingHeaders, visibleAnswer, type AnswerFilter, type TextPartRef,
} from './plain-answers.ts';
import {referencedIds} from '../lib/plain-answers/threading.ts';
import type {ImapSession} from './imap-pool.ts';
import type {
	CalendarPart, FolderCursor, FolderNotice, PlainAnswerMessage, ReplyHeaders, ReplyMessage, RepliesCursor, RepliesRequest, RepliesResponse,
} from '../lib/relay-client/types.ts';

/** Folders polled when the request names none. 'Junk' is the junk folder by role, skipped if absent. */
export const defaultReplyFolders = ['INBOX', 'Junk'];

/** Without a usable cursor, look this far back (by the server's arrival date). */
export const dateWindowDays = 14;

/** How often a missing Junk (or other role folder) is looked for again. */
const roleRecheckMs = 60_000;

/** The header fields fetched for each reply (BODY.PEEK[HEADER.FIELDS (...)]). */
const headerFields = ['from', 'sender', 'to', 'subject', 'message-id', 'date', 'authentication-results'];

/** Compresses sorted UIDs into an IMAP sequence set ('3:5,9,11:12') so a long list stays a short command. */
export function toSequenceSet(uids: readonly number[]): string {
	const sorted = [...new Set(uids)].sort((a, b) => a - b);
	const ranges: string[] = [];
	for (let index = 0; index < sorted.length; index++) {
		const start = sorted[index]!;
		let end = start;
		while (sorted[index + 1] === end + 1) {
			end++;
			index++;
		}

		ranges.push(start === end ? String(start) : `${start}:${end}`);
	}

	return ranges.join(',');
}

/** Parses the fetched header block (decoding encoded words) into the fields the extension trusts and matches on. */
export async function parseReplyHeaders(block: Buffer | undefined): Promise<ReplyHeaders> {
	return replyHeadersOf(await PostalMime.parse(block && block.length > 0 ? block : '\r\n'));
}

/**
 * The part as the extension gets it, by the one calendar-part rule; undefined for an octet-stream that is no calendar.
 * TNEF (winmail.dat) is read here, in Node, because its parser is Node-only; the extension gets what it says.
 */
async function decodePart(ref: CalendarPartRef, raw: Buffer): Promise<CalendarPart | undefined> {
	const bytes = decodeTransferEncoding(raw, ref.transferEncoding);
	if (ref.sniff && !startsWithVcalendar(bytes)) {
		return undefined;
	}

	const part: CalendarPart = {
		part: ref.part,
		contentType: ref.contentType,
		filename: ref.filename,
		encoding: ref.binary ? 'base64' : 'utf-8',
		text: ref.binary ? bytes.toString('base64') : normaliseCalendarText(calendarPartText(bytes, ref.contentType, ref.charset).text),
	};
	if (ref.binary) {
		part.tnef = await readTnef(bytes);
	}

	return part;
}

/** Decided on the encoded size the server reports, before any byte is fetched (calendar-part-rule.ts). */
function tooLarge(ref: CalendarPartRef): boolean {
	return isTooLarge(decodedSizeBound(ref.size, ref.transferEncoding));
}

type Candidate = {uid: number; seen: boolean; parts: CalendarPartRef[]};

/** Fetches headers and calendar parts of one message (one FETCH, BODY.PEEK only). */
async function fetchReply(client: ImapFlow, folder: string, candidate: Candidate): Promise<ReplyMessage | undefined> {
	const wanted = candidate.parts.filter(part => !tooLarge(part));
	const skipped = candidate.parts.filter(part => tooLarge(part) && !part.sniff);
	const message: FetchMessageObject | false | undefined = await client.fetchOne(String(candidate.uid), {
		uid: true,
		headers: headerFields,
		bodyParts: wanted.map(part => part.part),
	}, {uid: true});
	if (!message) {
		// Expunged between the two fetches.
		return undefined;
	}

	const reply: ReplyMessage = {
		folder,
		uid: candidate.uid,
		seen: candidate.seen,
		headers: await parseReplyHeaders(message.headers),
		calendarParts: (await Promise.all(wanted.flatMap(ref => {
			const raw = message.bodyParts?.get(ref.part);
			return raw ? [decodePart(ref, raw)] : [];
		}))).filter(part => part !== undefined),
	};
	if (reply.calendarParts.length === 0 && skipped.length === 0) {
		// Only octet-stream attachments, none of them a calendar.
		return undefined;
	}

	if (skipped.length > 0) {
		reply.skippedParts = skipped.map(({part, contentType, filename, size}) => ({part, contentType, filename, size}));
	}

	return reply;
}

/**
 * How much one answer of /v1/replies may hold (issue 12, item 10): a mailbox with thousands of new calendar mails,
 * or a stranger's flood of them, is returned in pages rather than in one answer the relay must hold in memory and
 * the browser must parse before its worker is stopped. The cursor of a cut page stops after the last message in
 * it, and the answer says `more`, so the caller asks again for the rest.
 */
export type RepliesPage = {
	/** Most messages in one answer. */
	messages: number;
	/** Most calendar-part bytes (as encoded on the server) in one answer; the first message always fits. */
	bytes: number;
	/** Most messages looked at (BODYSTRUCTURE) in one answer, calendar or not. */
	scanned: number;
};

export const defaultRepliesPage: RepliesPage = {messages: 100, bytes: 4 * 1024 * 1024, scanned: 2000};

/** What is left of a page while the folders are polled. */
type PageBudget = {messages: number; bytes: number; scanned: number; taken: number};

/** `complete`: every message up to `highestUid` was looked at; false when the page filled first. */
type FolderScan = {messages: ReplyMessage[]; plainAnswers: PlainAnswerMessage[]; highestUid: number; complete: boolean};

/**
 * The UIDs this page looks at, in a folder opened read-only: after `afterUid`, or (without one) arrived since
 * `since`; at most `budget.scanned` of them. Without a window to cut, `n:*` alone (no SEARCH).
 */
async function scanRange(client: ImapFlow, from: {afterUid: number; lastUid: number} | {since: Date}, budget: PageBudget): Promise<{range: string; complete: boolean} | undefined> {
	if ('afterUid' in from && from.lastUid - from.afterUid <= budget.scanned) {
		return {range: `${from.afterUid + 1}:*`, complete: true};
	}

	const query = 'since' in from ? {since: from.since} : {uid: `${from.afterUid + 1}:*`};
	const found = await client.search(query, {uid: true});
	// `n:*` always includes the newest message, even when its UID is below n (RFC 3501 §6.4.8).
	const uids = (found || []).filter(uid => !('afterUid' in from) || uid > from.afterUid).sort((a, b) => a - b);
	if (uids.length === 0) {
		return undefined;
	}

	return {range: toSequenceSet(uids.slice(0, budget.scanned)), complete: uids.length <= budget.scanned};
}

/** The encoded bytes of the parts a candidate would bring (the oversized ones are only listed). */
function candidateBytes(candidate: Candidate): number {
	return candidate.parts.filter(part => !tooLarge(part)).reduce((sum, part) => sum + part.size, 0);
}

type PlainCandidate = {uid: number; seen: boolean; text: TextPartRef | undefined};

/** Fetches the headers and the first text part's start (BODY.PEEK[part]<0.max>) of a mail answering an invitation. */
async function fetchPlainAnswer(client: ImapFlow, folder: string, candidate: PlainCandidate): Promise<PlainAnswerMessage | undefined> {
	const {text} = candidate;
	const message: FetchMessageObject | false | undefined = await client.fetchOne(String(candidate.uid), {
		uid: true,
		headers: [...headerFields, 'in-reply-to', 'references'],
		bodyParts: text ? [{key: text.part, start: 0, maxLength: maxPlainAnswerBytes}] : [],
	}, {uid: true});
	if (!message) {
		return undefined;
	}

	const threading = message.headers ? await PostalMime.parse(message.headers) : undefined;
	const raw = text ? message.bodyParts?.get(text.part) : undefined;
	const body = text && raw ? textInCharset(decodeTransferEncoding(raw, text.transferEncoding), text.charset) : '';
	return {
		folder,
		uid: candidate.uid,
		seen: candidate.seen,
		headers: {
			...await parseReplyHeaders(message.headers),
			inReplyTo: referencedIds(threading?.inReplyTo, null)[0] ?? null,
			references: referencedIds(null, threading?.references ?? null),
		},
		text: body,
		truncated: text !== undefined && text.size > maxPlainAnswerBytes,
		answer: visibleAnswer(body),
	};
}


/**
 * Looks at the messages after `afterUid`, or (without one) those that arrived since `since`, in a folder
 * opened read-only, as far as the page's budget goes.
 */
async function scanFolder(client: ImapFlow, folder: string, from: {afterUid: number; lastUid: number} | {since: Date}, budget: PageBudget, answers: AnswerFilter | undefined): Promise<FolderScan> {
	const lock = await client.getMailboxLock(folder, {readOnly: true, description: 'relay replies'});
	try {
		const window = await scanRange(client, from, budget);
		if (!window) {
			return {messages: [], plainAnswers: [], highestUid: 0, complete: true};
		}

		const candidates: Candidate[] = [];
		const plainCandidates: PlainCandidate[] = [];
		let highestUid = 0;
		// With answers asked about, three threading headers come along, so no body is read to decide.
		const query = {uid: true, flags: true, bodyStructure: true, ...(answers ? {headers: threadingHeaders} : {})};
		for await (const message of client.fetch(window.range, query, {uid: true})) {
			// `n:*` always includes the newest message, even when its UID is below n (RFC 3501 §6.4.8).
			if ('afterUid' in from && message.uid <= from.afterUid) {
				continue;
			}

			highestUid = Math.max(highestUid, message.uid);
			budget.scanned--;
			const parts = message.bodyStructure ? findCalendarParts(message.bodyStructure) : [];
			if (parts.length > 0) {
				candidates.push({uid: message.uid, seen: message.flags?.has('\\Seen') ?? false, parts});
			} else if (answers && await answersOneOf(message.headers, answers)) {
				const text = message.bodyStructure ? findFirstTextPart(message.bodyStructure) : undefined;
				plainCandidates.push({uid: message.uid, seen: message.flags?.has('\\Seen') ?? false, text});
			}
		}

		candidates.sort((a, b) => a.uid - b.uid);
		const messages: ReplyMessage[] = [];
		let cut: number | undefined;
		for (const candidate of candidates) {
			const bytes = candidateBytes(candidate);
			if (budget.messages <= 0 || (budget.taken > 0 && bytes > budget.bytes)) {
				// The page is full: stop just before this message, which the next page starts with.
				cut = candidate.uid - 1;
				break;
			}

			budget.messages--;
			budget.bytes -= bytes;
			budget.taken++;
			const reply = await fetchReply(client, folder, candidate);
			if (reply) {
				messages.push(reply);
			}
		}

		// Plain answers after a cut are looked at again by the next page: only those before it are returned now.
		const plainAnswers: PlainAnswerMessage[] = [];
		for (const candidate of plainCandidates.filter(plain => cut === undefined || plain.uid <= cut)) {
			const answer = await fetchPlainAnswer(client, folder, candidate);
			if (answer) {
				plainAnswers.push(answer);
			}
		}

		return cut === undefined ? {messages, plainAnswers, highestUid, complete: window.complete} : {messages, plainAnswers, highestUid: cut, complete: false};
	} finally {
		lock.release();
		await leaveFolder(client);
	}
}

/**
 * Deselects the folder again. Dovecot answers STATUS on the selected folder from the session's own, possibly
 * stale view (RFC 3501 §6.3.10 advises against asking), so the next no-news check must find nothing selected.
 * CLOSE removes nothing from a folder opened read-only (RFC 3501 §6.4.2); on a read-write one it would expunge,
 * so it is only sent after EXAMINE.
 */
export async function leaveFolder(client: ImapFlow): Promise<void> {
	if (!client.mailbox || client.mailbox.readOnly !== true || !client.usable) {
		return;
	}

	// mailboxClose() reports failure as false; a session left selected would answer stale STATUS, so drop it.
	const closed = await client.mailboxClose().catch(() => false);
	if (closed === false) {
		client.close();
	}
}

/**
 * Polls the requested folders for calendar-bearing mail since the cursor, one page of it: when the page fills,
 * the folders after it keep their old cursor, the answer says `more`, and the next call continues.
 * @param now the clock, for the date window
 * @param page how much one answer may hold
 * @throws {RelayError} UPSTREAM when the server will not report a folder's status
 */
export async function pollReplies(
	session: ImapSession,
	request: Pick<RepliesRequest, 'folders' | 'cursor' | 'answersTo'>,
	now: Date = new Date(),
	page: RepliesPage = defaultRepliesPage,
): Promise<RepliesResponse> {
	const {client} = session;
	const requested = request.folders ?? defaultReplyFolders;
	const previous: Record<string, FolderCursor> = request.cursor?.folders ?? {};
	const cursor: RepliesCursor = {folders: {...previous}};
	const messages: ReplyMessage[] = [];
	const plainAnswers: PlainAnswerMessage[] = [];
	const answers = request.answersTo ? answerFilter(request.answersTo) : undefined;
	const notices: FolderNotice[] = [];
	// INBOX needs no LIST; roles and other names do. The list is cached on the session and asked again when a
	// name is not in it: at once for a folder named by path (it may be new), at most once a minute for a role
	// (an account without Junk would otherwise pay a LIST on every poll).
	let list = requested.every(name => name.toUpperCase() === 'INBOX') ? [] : await session.folders();
	const unresolved = requested.filter(name => resolveFolder(name, list) === undefined);
	if (unresolved.length > 0) {
		list = await session.folders({maxAgeMs: unresolved.every(name => isRoleName(name)) ? roleRecheckMs : 0});
	}

	const budget: PageBudget = {...page, taken: 0};
	let more = false;
	const done = new Set<string>();
	for (const name of requested) {
		if (more) {
			break;
		}

		const folder = resolveFolder(name, list);
		if (folder === undefined) {
			notices.push({folder: name, kind: 'missing'});
			continue;
		}

		if (done.has(folder)) {
			continue;
		}

		done.add(folder);
		const status = await client.status(folder, {uidNext: true, uidValidity: true});
		if (!status || status.uidNext === undefined || status.uidValidity === undefined) {
			throw new RelayError('UPSTREAM', `IMAP server gave no UIDNEXT/UIDVALIDITY for ${folder}`);
		}

		const uidValidity = String(status.uidValidity);
		const lastUid = status.uidNext - 1;
		const known = Object.hasOwn(previous, folder) ? previous[folder] : undefined;
		const continues = known?.uidValidity === uidValidity;
		if (continues && lastUid <= known.highestUid) {
			// Nothing new: this STATUS was the whole poll for this folder.
			continue;
		}

		if (budget.messages <= 0 || budget.scanned <= 0) {
			// The page is full: this folder keeps its cursor and is polled by the next page.
			more = true;
			break;
		}

		let scan: FolderScan;
		if (continues) {
			scan = await scanFolder(client, folder, {afterUid: known.highestUid, lastUid}, budget, answers);
			scan.highestUid = Math.max(scan.highestUid, known.highestUid);
		} else {
			// UIDs from another UIDVALIDITY mean nothing here (RFC 3501 §2.3.1.1): fall back to arrival dates.
			const since = new Date(now.getTime() - (dateWindowDays * 24 * 60 * 60 * 1000));
			notices.push({folder, kind: 'date-window', reason: known ? 'uidvalidity-changed' : 'no-cursor', since: since.toISOString()});
			scan = await scanFolder(client, folder, {since}, budget, answers);
		}

		messages.push(...scan.messages);
		plainAnswers.push(...scan.plainAnswers);
		// A cut page stops the cursor after what it looked at; a date-window page then continues by UID.
		cursor.folders[folder] = {uidValidity, highestUid: scan.complete ? Math.max(lastUid, scan.highestUid) : scan.highestUid};
		more = !scan.complete;
	}

	return {messages, cursor, notices, ...(more ? {more} : {}), ...(answers ? {plainAnswers} : {})};
}
