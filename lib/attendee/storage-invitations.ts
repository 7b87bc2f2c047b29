/**
 * The answer flow's InvitationsStore on the extension's storage (lib/storage.ts `invitationsItem`). Like the events'
 * store (lib/stored-events.ts, issue 11 item 3), a record only changes through `update(uid, current => next)` under
 * the storage lock, so a flow never writes back a copy it read before a CalDAV or mail round trip.
 */
import {invitationsItem, withStorageLock} from '../storage.ts';
import type {InvitationChange, InvitationRecord, InvitationsStore} from './types.ts';

/**
 * Changes several records under the storage lock in one storage write: each `change` makes the next record from the
 * one stored now (`undefined` leaves it as it is), and the `removed` go. Every write of the records is this one
 * (the answer flow's `update` and `remove`, the reply loop's invitation processing through lib/invitations' store).
 */
export async function updateInvitations(changes: ReadonlyMap<string, InvitationChange>, removed: readonly string[] = []): Promise<Record<string, InvitationRecord>> {
	return withStorageLock(async () => {
		const next = {...await invitationsItem.getValue()};
		let written = false;
		for (const [uid, change] of changes) {
			const changed = change(next[uid]);
			if (changed) {
				next[uid] = changed;
				written = true;
			}
		}

		for (const uid of removed) {
			written ||= uid in next;
			delete next[uid];
		}

		if (written) {
			await invitationsItem.setValue(next);
		}

		return next;
	});
}

export function createStorageInvitations(): InvitationsStore {
	return {
		async get(uid) {
			return (await invitationsItem.getValue())[uid];
		},
		async update(uid, change) {
			return (await updateInvitations(new Map([[uid, change]])))[uid];
		},
		async remove(uid) {
			await updateInvitations(new Map(), [uid]);
		},
	};
}
