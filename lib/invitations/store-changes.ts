/**
 * How an InvitationStore's writes change its records, for every store (the extension's storage, the agent's
 * SQLite or PostgreSQL): pure functions, so that each store keeps the same rules.
 */
import type {InvitationRecord} from '../attendee/types.ts';
import type {FiledMail} from '../reply-loop/file-messages.ts';
import type {InvitationStore} from './ports.ts';
import type {ReceivedInvitation} from './types.ts';

/**
 * A tick's copy as it replaces the stored one: the tick owns the copy (what it wrote to the calendar), the answer
 * flow its `reply`, so an answer stored meanwhile (between the tick's read and its write) is kept.
 */
export function savedCopy(copy: InvitationRecord): (current: InvitationRecord | undefined) => InvitationRecord {
	return current => current?.reply ? {...copy, reply: current.reply} : copy;
}

/**
 * A tick's record of a received invitation as it replaces the stored one: the popup owns `cancelShown` (a cancelled
 * invitation shown once), so one it marked meanwhile stays marked.
 */
export function savedReceived(invitation: ReceivedInvitation): (current: ReceivedInvitation | undefined) => ReceivedInvitation {
	return current => current?.cancelShown ? {...invitation, cancelShown: true} : invitation;
}

/** The copies after a tick's `save`: each changed one as `savedCopy` says, removed ones gone. Every InvitationStore saves through this or `savedCopy`. */
export function savedCopies(copies: Record<string, InvitationRecord>, changes: Pick<Parameters<InvitationStore['save']>[0], 'copies' | 'removedCopies'>): Record<string, InvitationRecord> {
	const next = {...copies};
	for (const copy of changes.copies) {
		next[copy.uid] = savedCopy(copy)(next[copy.uid]);
	}

	for (const uid of changes.removedCopies) {
		delete next[uid];
	}

	return next;
}

/** The received invitations with the mails filing moved at their new place (the folder alone when the new UID is unknown). */
export function relocated(received: Record<string, ReceivedInvitation>, moved: readonly FiledMail[]): Record<string, ReceivedInvitation> {
	const next = {...received};
	for (const [uid, invitation] of Object.entries(received)) {
		const mail = moved.find(entry => entry.folder === invitation.mail.folder && entry.uid === invitation.mail.uid);
		if (mail) {
			next[uid] = {...invitation, mail: {...invitation.mail, folder: mail.to, uid: mail.newUid ?? invitation.mail.uid}};
		}
	}

	return next;
}
