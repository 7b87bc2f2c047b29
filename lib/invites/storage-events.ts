/** The invite flow's EventsStore on the extension's storage (lib/storage.ts). */
import type {TrackedEvent} from '../model.ts';
import {eventsItem, withStorageLock} from '../storage.ts';
import type {EventsStore} from './ports.ts';

export function createStorageEvents(): EventsStore {
	return {
		async get(uid: string): Promise<TrackedEvent | undefined> {
			return (await eventsItem.getValue())[uid];
		},
		async put(event: TrackedEvent): Promise<void> {
			await withStorageLock(async () => {
				const events = await eventsItem.getValue();
				await eventsItem.setValue({...events, [event.uid]: event});
			});
		},
	};
}
