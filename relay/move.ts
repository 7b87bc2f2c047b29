/**
 * Filing (issue 14): moves messages the reply loop has processed out of INBOX or Junk into the folder the user
 * named, creating it when missing. imapflow's messageMove sends UID MOVE (RFC 6851) or, on a server without MOVE,
 * COPY + \Deleted + UID EXPUNGE (RFC 4315), leaving the source untouched when the copy fails.
 */
import type {ImapFlow, ListResponse} from 'imapflow';
import {RelayError} from './errors.ts';
import type {ImapSession} from './imap-pool.ts';
import {leaveFolder, toSequenceSet} from './replies.ts';
import type {MoveRequest, MoveResponse} from '../lib/relay-client/types.ts';

function listed(list: readonly ListResponse[], path: string): boolean {
	return path.toUpperCase() === 'INBOX' || list.some(folder => folder.path === path);
}

/** The folder's path in the session's list, asking the server again once when the cached list lacks it. */
async function exists(session: ImapSession, path: string): Promise<boolean> {
	return listed(await session.folders(), path) || listed(await session.folders({maxAgeMs: 0}), path);
}

/**
 * Deselects a folder opened read-write without expunging anything: CLOSE would expunge every \Deleted message
 * (RFC 3501 §6.4.2), including ones the user flagged in the webmail, so the folder is opened read-only first,
 * then closed (./replies.ts: a session left selected answers STATUS from a stale view).
 */
async function deselect(client: ImapFlow, path: string): Promise<void> {
	if (!client.mailbox || client.mailbox.readOnly === true || !client.usable) {
		await leaveFolder(client);
		return;
	}

	try {
		await client.mailboxOpen(path, {readOnly: true});
	} catch {
		client.close();
		return;
	}

	await leaveFolder(client);
}

/**
 * @throws {RelayError} UPSTREAM when the server refuses to create the folder or to move
 */
export async function moveMessages(session: ImapSession, request: Omit<MoveRequest, 'account'>): Promise<MoveResponse> {
	const {client} = session;
	if (!await exists(session, request.folder)) {
		return {moved: false, reason: 'missing-folder'};
	}

	let created = false;
	if (!await exists(session, request.to)) {
		// An expected outcome, not an error: a folder that appeared meanwhile is simply used (imapflow says created: false).
		created = (await client.mailboxCreate(request.to)).created;
		await session.folders({maxAgeMs: 0});
	}

	const lock = await client.getMailboxLock(request.folder, {description: 'relay move'});
	try {
		// UIDs mean nothing under another UIDVALIDITY (RFC 9051 §2.3.1.1): they could name other messages now.
		if (String(client.mailbox ? client.mailbox.uidValidity : '') !== request.uidValidity) {
			return {moved: false, reason: 'uidvalidity-changed'};
		}

		const result = await client.messageMove(toSequenceSet(request.uids), request.to, {uid: true});
		if (!result) {
			throw new RelayError('UPSTREAM', `The mail server did not move the messages from ${request.folder} to ${request.to}`);
		}

		const uidMap = [...result.uidMap ?? new Map<number, number>()].map(([uid, newUid]) => ({uid, newUid}));
		return {moved: true, to: request.to, created, uidMap};
	} finally {
		lock.release();
		await deselect(client, request.folder);
	}
}
