/** The answer flow's InvitationsStore on the extension's storage (lib/storage.ts `invitationsItem`). */
import {invitationsItem, withStorageLock} from '../storage.ts';
import type {InvitationRecord, InvitationsStore} from './types.ts';

export function createStorageInvitations(): InvitationsStore {
	return {
		async get(uid) {
			return (await invitationsItem.getValue())[uid];
		},
		async put(record: InvitationRecord) {
			await withStorageLock(async () => {
				const records = await invitationsItem.getValue();
				await invitationsItem.setValue({...records, [record.uid]: record});
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
