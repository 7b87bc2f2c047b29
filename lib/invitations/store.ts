/**
 * The invitations' records in the extension's storage: lib/attendee's copies and the loop's received list. A record
 * changes only as a function of the one stored now, under the storage lock (issue 11, item 3): the copies through
 * lib/attendee's `updateInvitations`, the received list through `updateReceived` here.
 */
import {updateInvitations} from '../attendee/storage-invitations.ts';
import {invitationsItem, receivedItem, withStorageLock} from '../storage.ts';
import type {InvitationStore} from './ports.ts';
import {relocated, savedCopy, savedReceived} from './store-changes.ts';
import type {ReceivedInvitation} from './types.ts';

type ReceivedChange = (current: ReceivedInvitation | undefined) => ReceivedInvitation | undefined;

/** Changes received invitations under the storage lock, each from the one stored now (`undefined`: left as it is). */
async function updateReceived(changes: ReadonlyMap<string, ReceivedChange>): Promise<void> {
	if (changes.size === 0) {
		return;
	}

	await withStorageLock(async () => {
		const next = {...await receivedItem.getValue()};
		for (const [uid, change] of changes) {
			const changed = change(next[uid]);
			if (changed) {
				next[uid] = changed;
			}
		}

		await receivedItem.setValue(next);
	});
}

export function createInvitationStore(): InvitationStore {
	return {
		async load() {
			const [copies, received] = await Promise.all([invitationsItem.getValue(), receivedItem.getValue()]);
			return {copies, received};
		},
		async save(changes) {
			await updateInvitations(new Map(changes.copies.map(copy => [copy.uid, savedCopy(copy)])), changes.removedCopies);
			await updateReceived(new Map(changes.received.map(invitation => [invitation.uid, savedReceived(invitation)])));
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
	await updateReceived(new Map(uids.map(uid => [uid, current => current && {...current, cancelShown: true}])));
}
