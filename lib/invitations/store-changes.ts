/**
 * How an InvitationStore's writes change its records, for every store (the extension's storage, the agent's
 * SQLite or PostgreSQL): pure functions, so that each store keeps the same rules.
 */
import type {InvitationRecord} from '../attendee/types.ts';
import type {FiledMail} from '../reply-loop/file-messages.ts';
import type {InvitationStore} from './ports.ts';
import type {ReceivedInvitation} from './types.ts';

/**
 * The copies after a tick's `save`: changed ones replaced, removed ones gone, and an answer the user stored
 * meanwhile (the answer flow, between the tick's read and its write) kept. Every InvitationStore saves through this.
 */
export function savedCopies(copies: Record<string, InvitationRecord>, changes: Pick<Parameters<InvitationStore['save']>[0], 'copies' | 'removedCopies'>): Record<string, InvitationRecord> {
	const next = {...copies};
	for (const copy of changes.copies) {
		const current = next[copy.uid];
		next[copy.uid] = current?.reply ? {...copy, reply: current.reply} : copy;
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
