/** The SchedulingStore on the extension's storage (lib/storage.ts), sharing the events map with the invite flow and reply loop. */
import {storage} from '#imports';
import type {TrackedEvent} from '../model.ts';
import {eventFacts, eventTimes} from '../itip/index.ts';
import {eventsItem, schedulingLogItem, schedulingStateItem, withStorageLock} from '../storage.ts';
import {sequenceOf, eventsOf, parseCalendar} from '../itip/calendar.ts';
import {specOf} from './event-spec.ts';
import type {AdoptedEvent, SchedulingState, SchedulingStore, SentRecord} from './types.ts';

/** The popup lists this many sent mails at most. */
export const keptSentRecords = 100;

function sequenceIn(ics: string): number {
	const parsed = parseCalendar(ics);
	return parsed.ok ? Math.max(0, ...eventsOf(parsed.calendar).map(event => sequenceOf(event))) : 0;
}

/** Our record of a meeting the user organizes in another app, or ours refreshed after a change there. */
export function trackedFrom(event: AdoptedEvent, existing: TrackedEvent | undefined, organizer: {email: string; name: string}, now: Date): TrackedEvent {
	const spec = specOf(event.ics, organizer);
	const times = eventTimes(event.ics);
	return {
		...existing,
		uid: event.uid,
		href: event.href,
		etag: event.etag,
		calendarUrl: event.calendarUrl,
		summary: spec.summary,
		start: times.start,
		end: times.end,
		timeZone: spec.timeZone,
		allDay: spec.allDay ?? false,
		sequence: sequenceIn(event.ics),
		...eventFacts(event.ics, now),
		delivery: existing?.delivery ?? {state: 'sent', at: now.toISOString(), rejected: []},
		cancelled: existing?.cancelled ?? false,
		spec,
		createdAt: existing?.createdAt ?? now.toISOString(),
		updatedAt: now.toISOString(),
	};
}

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

/** Forgets the watch state and the outbox (the option was turned off): turning it on again takes a new baseline. */
export async function resetScheduling(): Promise<void> {
	await withStorageLock(async () => schedulingStateItem.removeValue());
}
