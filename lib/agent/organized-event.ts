/**
 * An event found in the calendar, as the reply loop's record of an event we organize (`TrackedEvent`). The agent
 * knows the user's events from the calendar itself, not from what one browser sent, so a reply to an event made
 * in any app is applied: every calendar object whose ORGANIZER is one of the user's addresses counts.
 */
import {sameAddress} from '../address.ts';
import {eventFacts, storedMeeting} from '../itip/index.ts';
import type {TrackedEvent} from '../model.ts';

/**
 * The record for the event stored at `href`, or undefined when it is not one of ours (no ORGANIZER, another
 * organizer, unreadable). Never throws: a calendar may hold anything.
 */
export function organizedEvent(stored: {href: string; etag: string; ics: string}, calendarUrl: string, me: readonly string[], now: Date): TrackedEvent | undefined {
	const event = storedMeeting(stored.ics);
	if (!event || !me.some(address => sameAddress(address, event.organizer))) {
		return undefined;
	}

	try {
		const facts = eventFacts(stored.ics, now);
		const stamp = now.toISOString();
		return {
			uid: event.uid,
			href: stored.href,
			etag: stored.etag,
			calendarUrl,
			summary: event.summary,
			start: event.start,
			end: event.end,
			timeZone: event.timeZone,
			allDay: event.allDay,
			sequence: event.sequence,
			...facts,
			// Found in the calendar: whoever sent it, it was sent.
			delivery: {state: 'sent', at: stamp, rejected: []},
			cancelled: event.cancelled,
			spec: {
				organizer: {email: event.organizer, name: ''},
				attendees: facts.attendees.map(({email, name, optional}) => ({email, optional, ...(name ? {name} : {})})),
				summary: event.summary,
				start: event.wallStart,
				end: event.wallEnd,
				timeZone: event.timeZone,
				allDay: event.allDay,
				uid: event.uid,
			},
			createdAt: stamp,
			updatedAt: stamp,
		};
	} catch {
		return undefined;
	}
}
