/** The reply loop's state in the extension's storage (lib/storage.ts). */
import {storage} from '#imports';
import type {MessageOutcome, TrackedEvent} from '../model.ts';
import type {RepliesCursor} from '../relay-client/types.ts';
import {cursorItem, eventsItem, keptOutcomes, outcomesItem, withStorageLock} from '../storage.ts';
import type {ReplyLoopState, ReplyLoopStore} from './ports.ts';

/** Newest last, at most `keptOutcomes`, one per message key (a later outcome for the same key replaces it). */
export function mergeOutcomes(existing: readonly MessageOutcome[], added: readonly MessageOutcome[]): MessageOutcome[] {
	const addedKeys = new Set(added.map(outcome => outcome.key));
	return [...existing.filter(outcome => !addedKeys.has(outcome.key)), ...added].slice(-keptOutcomes);
}

async function commitNow(update: {events: TrackedEvent[]; outcomes: MessageOutcome[]}): Promise<void> {
	const [events, outcomes] = await Promise.all([eventsItem.getValue(), outcomesItem.getValue()]);
	const nextEvents = {...events};
	for (const event of update.events) {
		// The popup may have changed the event meanwhile (a cancel): keep its flags, take our href/etag/answers.
		const current = nextEvents[event.uid];
		nextEvents[event.uid] = current ? {...current, href: event.href, etag: event.etag, attendees: event.attendees, updatedAt: event.updatedAt} : event;
	}

	// One storage write for both, so that an outcome is never stored without its event's new state.
	await storage.setItems([
		{item: eventsItem, value: nextEvents},
		{item: outcomesItem, value: mergeOutcomes(outcomes, update.outcomes)},
	]);
}

export function createStorageStore(): ReplyLoopStore {
	return {
		async load(): Promise<ReplyLoopState> {
			const [cursor, events, outcomes] = await Promise.all([cursorItem.getValue(), eventsItem.getValue(), outcomesItem.getValue()]);
			return {cursor, events, doneKeys: new Set(outcomes.map(outcome => outcome.key)), parked: outcomes.filter(outcome => outcome.outcome === 'parked' && !outcome.dismissed)};
		},
		async commit(update: {events: TrackedEvent[]; outcomes: MessageOutcome[]}): Promise<void> {
			await withStorageLock(async () => commitNow(update));
		},
		async saveCursor(cursor: RepliesCursor): Promise<void> {
			await cursorItem.setValue(cursor);
		},
	};
}
