/** The reply loop's state in the extension's storage (lib/storage.ts). */
import type {MessageOutcome, TrackedEvent} from '../model.ts';
import type {RepliesCursor} from '../relay-client/types.ts';
import {cursorItem, eventsItem, keptOutcomes, outcomesItem} from '../storage.ts';
import {updateEvents} from '../stored-events.ts';
import type {ReplyLoopState, ReplyLoopStore} from './ports.ts';

/** Newest last, at most `keptOutcomes`, one per message key (a later outcome for the same key replaces it). */
export function mergeOutcomes(existing: readonly MessageOutcome[], added: readonly MessageOutcome[]): MessageOutcome[] {
	const addedKeys = new Set(added.map(outcome => outcome.key));
	return [...existing.filter(outcome => !addedKeys.has(outcome.key)), ...added].slice(-keptOutcomes);
}

/** What a tick owns of an event's record: where the stored copy is, its ETag, and what it says about the answers. */
function loopFields(event: TrackedEvent): Partial<TrackedEvent> {
	const {href, etag, attendees, occurrenceAnswers, upcomingStarts, updatedAt} = event;
	return {href, etag, attendees, updatedAt, ...occurrenceAnswers ? {occurrenceAnswers} : {}, ...upcomingStarts ? {upcomingStarts} : {}};
}

export function createStorageStore(): ReplyLoopStore {
	return {
		async load(): Promise<ReplyLoopState> {
			const [cursor, events, outcomes] = await Promise.all([cursorItem.getValue(), eventsItem.getValue(), outcomesItem.getValue()]);
			return {cursor, events, doneKeys: new Set(outcomes.map(outcome => outcome.key)), parked: outcomes.filter(outcome => outcome.outcome === 'parked' && !outcome.dismissed)};
		},
		async commit(update: {events: TrackedEvent[]; outcomes: MessageOutcome[]}): Promise<void> {
			// The popup or an invite flow may have changed an event meanwhile (a cancel, a delivery): keep its fields, take ours.
			await updateEvents(
				new Map(update.events.map(event => [event.uid, (current: TrackedEvent | undefined) => current ? {...current, ...loopFields(event)} : event])),
				outcomes => mergeOutcomes(outcomes, update.outcomes),
			);
		},
		async saveCursor(cursor: RepliesCursor): Promise<void> {
			await cursorItem.setValue(cursor);
		},
	};
}
