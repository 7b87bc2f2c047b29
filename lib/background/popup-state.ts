/** What the popup shows, derived from storage: events soonest first, replies that need the user's eye, the loop's status. */
import type {EventView, PopupState} from '../messaging.ts';
import type {LoopStatus, MessageOutcome, TrackedEvent} from '../model.ts';

/** Purelymail's webmail; "Open in webmail" shows the Sent folder, where the invitation's copy is. */
export const defaultWebmailUrl = 'https://inbox.purelymail.com/';

export function sentFolderUrl(webmailUrl: string): string {
	return new URL('?_task=mail&_mbox=Sent', webmailUrl).href;
}

export function eventView(event: TrackedEvent, webmailUrl = defaultWebmailUrl): EventView {
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
		webmailUrl: sentFolderUrl(webmailUrl),
	};
}

export function popupState(input: {configured: boolean; events: Record<string, TrackedEvent>; outcomes: readonly MessageOutcome[]; status: LoopStatus; webmailUrl?: string}): PopupState {
	return {
		configured: input.configured,
		events: Object.values(input.events).map(event => eventView(event, input.webmailUrl)).sort((a, b) => a.start.localeCompare(b.start)),
		// Newest first: the popup shows what just arrived at the top.
		review: input.outcomes.filter(outcome => outcome.outcome === 'review' && !outcome.dismissed).reverse(),
		status: input.status,
	};
}
