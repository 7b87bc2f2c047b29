/** The invitations' records in the extension's storage: lib/attendee's copies and the loop's received list. */
import {invitationsItem, receivedItem, withStorageLock} from '../storage.ts';
import type {InvitationStore} from './ports.ts';
import {relocated, savedCopies} from './store-changes.ts';

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
				await invitationsItem.setValue(savedCopies(copies, changes));
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
