/** The invitations' records in the extension's storage: lib/attendee's copies and the loop's received list. */
import {invitationsItem, receivedItem, withStorageLock} from '../storage.ts';
import type {FiledMail} from '../reply-loop/file-messages.ts';
import type {InvitationStore} from './ports.ts';
import type {ReceivedInvitation} from './types.ts';

export function createInvitationStore(): InvitationStore {
	return {
		async load() {
			const [copies, received] = await Promise.all([invitationsItem.getValue(), receivedItem.getValue()]);
			return {copies, received};
		},
		async save(changes) {
			await withStorageLock(async () => {
				// Read again under the lock: the answer flow may have stored an answer meanwhile; an answer it stored is kept.
				const [copies, received] = await Promise.all([invitationsItem.getValue(), receivedItem.getValue()]);
				const nextCopies = {...copies};
				for (const copy of changes.copies) {
					const current = nextCopies[copy.uid];
					nextCopies[copy.uid] = current?.reply ? {...copy, reply: current.reply} : copy;
				}

				for (const uid of changes.removedCopies) {
					delete nextCopies[uid];
				}

				await invitationsItem.setValue(nextCopies);
				await receivedItem.setValue({...received, ...Object.fromEntries(changes.received.map(invitation => [invitation.uid, invitation]))});
			});
		},
		async relocate(moved) {
			await withStorageLock(async () => {
				await receivedItem.setValue(relocated(await receivedItem.getValue(), moved));
			});
		},
	};
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

/** A cancelled invitation is shown once: after the popup showed these, they are gone from it. */
export async function markCancelledShown(uids: readonly string[]): Promise<void> {
	if (uids.length === 0) {
		return;
	}

	await withStorageLock(async () => {
		const received = await receivedItem.getValue();
		const next = {...received};
		for (const uid of uids) {
			if (next[uid]) {
				next[uid] = {...next[uid], cancelShown: true};
			}
		}

		await receivedItem.setValue(next);
	});
}
