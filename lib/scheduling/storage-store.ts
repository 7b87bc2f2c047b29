/** The SchedulingStore on the extension's storage (lib/storage.ts), sharing the events map with the invite flow and reply loop. */
import {storage} from '#imports';
import {eventsItem, schedulingLogItem, schedulingStateItem, withStorageLock} from '../storage.ts';
import {keptSentRecords} from './run-scheduling.ts';
import {trackedFrom} from './tracked-from.ts';
import type {AdoptedEvent, SchedulingState, SchedulingStore, SentRecord} from './types.ts';

export function createSchedulingStore(organizer: {email: string; name: string}, now: () => Date = () => new Date()): SchedulingStore {
	return {
		async load(): Promise<SchedulingState> {
			return schedulingStateItem.getValue();
		},
		async save(state: SchedulingState): Promise<void> {
			await withStorageLock(async () => schedulingStateItem.setValue(state));
		},
		async ownEtags(): Promise<Map<string, string>> {
			const events = await eventsItem.getValue();
			return new Map(Object.values(events).map(event => [event.uid, event.etag]));
		},
		async adopt(event: AdoptedEvent): Promise<void> {
			await withStorageLock(async () => {
				const events = await eventsItem.getValue();
				await eventsItem.setValue({...events, [event.uid]: trackedFrom(event, events[event.uid], organizer, now())});
			});
		},
		async recordSent(record: SentRecord): Promise<void> {
			await withStorageLock(async () => {
				const [state, log] = await Promise.all([schedulingStateItem.getValue(), schedulingLogItem.getValue()]);
				// One write for both: a mail is never out of the outbox without its line in the log, nor the reverse.
				await storage.setItems([
					{item: schedulingStateItem, value: {...state, outbox: state.outbox.filter(entry => entry.id !== record.id)}},
					{item: schedulingLogItem, value: [...log.filter(entry => entry.id !== record.id), record].slice(-keptSentRecords)},
				]);
			});
		},
	};
}
