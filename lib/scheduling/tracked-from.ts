/**
 * Our record of a meeting the user organizes in another app, or ours refreshed after a change there: what every
 * SchedulingStore's `adopt` stores (the extension's storage, the agent's SQLite or PostgreSQL).
 */
import type {TrackedEvent} from '../model.ts';
import {eventFacts, eventTimes} from '../itip/index.ts';
import {sequenceOf, eventsOf, parseCalendar} from '../itip/calendar.ts';
import {specOf} from './event-spec.ts';
import type {AdoptedEvent} from './types.ts';

function sequenceIn(ics: string): number {
	const parsed = parseCalendar(ics);
	return parsed.ok ? Math.max(0, ...eventsOf(parsed.calendar).map(event => sequenceOf(event))) : 0;
}

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
