/**
 * Our record of a meeting the user organizes in another app, or ours refreshed after a change there: what every
 * SchedulingStore's `adopt` stores (the extension's storage, the agent's SQLite or PostgreSQL).
 */
import type {TrackedEvent} from '../model.ts';
import {eventFacts, eventSequence, eventTimes, inviteSpecOf} from '../itip/index.ts';
import type {AdoptedEvent} from './types.ts';

export function trackedFrom(event: AdoptedEvent, existing: TrackedEvent | undefined, organizer: {email: string; name: string}, now: Date): TrackedEvent {
	const spec = inviteSpecOf(event.ics, organizer);
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
		sequence: eventSequence(event.ics),
		...eventFacts(event.ics, now),
		delivery: existing?.delivery ?? {state: 'sent', at: now.toISOString(), rejected: []},
		cancelled: existing?.cancelled ?? false,
		spec,
		createdAt: existing?.createdAt ?? now.toISOString(),
		updatedAt: now.toISOString(),
	};
}
