/** What the popup shows, derived from storage: events soonest first, replies that need the user's eye, the loop's status. */
import type {EventView, PopupState} from '../messaging.ts';
import type {LoopStatus, MessageOutcome, TrackedEvent} from '../model.ts';

export function eventView(event: TrackedEvent): EventView {
	return {
		uid: event.uid,
		summary: event.summary,
		start: event.start,
		end: event.end,
		timeZone: event.timeZone,
		allDay: event.allDay,
		attendees: event.attendees,
		delivery: event.delivery,
		cancelled: event.cancelled,
	};
}

export function popupState(input: {configured: boolean; events: Record<string, TrackedEvent>; outcomes: readonly MessageOutcome[]; status: LoopStatus}): PopupState {
	return {
		configured: input.configured,
		events: Object.values(input.events).map(event => eventView(event)).sort((a, b) => a.start.localeCompare(b.start)),
		// Newest first: the popup shows what just arrived at the top.
		review: input.outcomes.filter(outcome => outcome.outcome === 'review' && !outcome.dismissed).reverse(),
		status: input.status,
	};
}
