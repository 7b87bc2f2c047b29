/**
 * The answer flow's InvitationsStore on the extension's storage (lib/storage.ts `invitationsItem`). Like the events'
 * store (lib/stored-events.ts, issue 11 item 3), a record only changes through `update(uid, current => next)` under
 * the storage lock, so a flow never writes back a copy it read before a CalDAV or mail round trip.
 */
import {invitationsItem, withStorageLock} from '../storage.ts';
import type {InvitationsStore} from './types.ts';

export function createStorageInvitations(): InvitationsStore {
	return {
		async get(uid) {
			return (await invitationsItem.getValue())[uid];
		},
		async update(uid, change) {
			return withStorageLock(async () => {
				const records = await invitationsItem.getValue();
				const next = change(records[uid]);
				if (next) {
					await invitationsItem.setValue({...records, [uid]: next});
				}

				return next ?? records[uid];
			});
		},
		async remove(uid) {
			await withStorageLock(async () => {
				const {[uid]: _removed, ...rest} = await invitationsItem.getValue();
				await invitationsItem.setValue(rest);
			});
		},
	};
}
