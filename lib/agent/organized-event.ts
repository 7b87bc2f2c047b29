/**
 * An event found in the calendar, as the reply loop's record of an event we organize (`TrackedEvent`). The agent
 * knows the user's events from the calendar itself, not from what one browser sent, so a reply to an event made
 * in any app is applied: every calendar object whose ORGANIZER is one of the user's addresses counts.
 */
import ICAL from 'ical.js';
import {sameAddress} from '../address.ts';
import {eventFacts} from '../itip/index.ts';
import {readStoredEvent} from '../itip/stored-event.ts';
import type {TrackedEvent} from '../model.ts';

/** `2026-12-08T16:00:00` (the event's own wall clock), as `InviteSpec` spells times. */
function specTime(time: ICAL.Time): string {
	return time.isDate ? time.toString() : time.toString().slice(0, 19);
}

/**
 * The record for the event stored at `href`, or undefined when it is not one of ours (no ORGANIZER, another
 * organizer, unreadable). Never throws: a calendar may hold anything.
 */
export function organizedEvent(stored: {href: string; etag: string; ics: string}, calendarUrl: string, me: readonly string[], now: Date): TrackedEvent | undefined {
	let event;
	try {
		event = readStoredEvent(stored.ics);
	} catch {
		return undefined;
	}

	if (!me.some(address => sameAddress(address, event.organizer))) {
		return undefined;
	}

	try {
		const wrapped = new ICAL.Event(event.master);
		const start = wrapped.startDate;
		const end = wrapped.endDate ?? start;
		const timeZone = event.master.getFirstProperty('dtstart')?.getParameter('tzid');
		const summary = String(event.master.getFirstPropertyValue('summary') ?? '');
		const facts = eventFacts(stored.ics, now);
		const stamp = now.toISOString();
		return {
			uid: event.uid,
			href: stored.href,
			etag: stored.etag,
			calendarUrl,
			summary,
			start: start.toJSDate().toISOString(),
			end: end.toJSDate().toISOString(),
			timeZone: typeof timeZone === 'string' ? timeZone : 'UTC',
			allDay: start.isDate,
			sequence: event.sequence,
			...facts,
			// Found in the calendar: whoever sent it, it was sent.
			delivery: {state: 'sent', at: stamp, rejected: []},
			cancelled: String(event.master.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED',
			spec: {
				organizer: {email: event.organizer, name: ''},
				attendees: facts.attendees.map(({email, name, optional}) => ({email, optional, ...(name ? {name} : {})})),
				summary,
				start: specTime(start),
				end: specTime(end),
				timeZone: typeof timeZone === 'string' ? timeZone : 'UTC',
				allDay: start.isDate,
				uid: event.uid,
			},
			createdAt: stamp,
			updatedAt: stamp,
		};
	} catch {
		return undefined;
	}
}
