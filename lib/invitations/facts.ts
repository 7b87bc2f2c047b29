/** What the popup and the policy need from an invitation's iCalendar: title, times, organizer, the user's answer. */
import {addressSet, myAttendee, organizerOf} from '../itip/attendee-copy.ts';
import {addressOf, isPartStat, parameterValues} from '../itip/attendee-state.ts';
import {eventsOf, masterOf, parseCalendar} from '../itip/calendar.ts';
import {cleanLine, maxNameLength} from '../itip/index.ts';
import type {PartStat} from '../itip/index.ts';
import {eventTimes} from '../itip/describe.ts';

export type InvitationFacts = {
	summary: string;
	/** ISO instants (or dates, all day) of the first start and end. */
	start: string;
	end: string;
	allDay: boolean;
	organizer: {email: string; name?: string};
	/** The user's answer; NEEDS-ACTION until answered. */
	partstat: PartStat;
	cancelled: boolean;
};

/** Reads the facts of an invitation (a REQUEST, or the user's stored copy); undefined when it holds no event. */
export function invitationFacts(ics: string, me: readonly string[]): InvitationFacts | undefined {
	const parsed = parseCalendar(ics);
	if (!parsed.ok) {
		return undefined;
	}

	const main = masterOf(parsed.calendar) ?? eventsOf(parsed.calendar)[0];
	if (!main) {
		return undefined;
	}

	const organizer = organizerOf(parsed.calendar);
	const name = organizer ? parameterValues(organizer, 'cn')[0] : undefined;
	const mine = myAttendee(main, addressSet(me));
	const partstat = (mine ? parameterValues(mine, 'partstat')[0]?.toUpperCase() : undefined) ?? 'NEEDS-ACTION';
	const dtstart = main.getFirstProperty('dtstart');
	return {
		summary: cleanLine(String(main.getFirstPropertyValue('summary') ?? ''), maxNameLength),
		...eventTimes(ics),
		allDay: dtstart?.type === 'date',
		organizer: {email: organizer ? addressOf(organizer) : '', ...(name ? {name: cleanLine(name, maxNameLength)} : {})},
		partstat: isPartStat(partstat) ? partstat as PartStat : 'NEEDS-ACTION',
		// RFC 5545 §3.8.1.11: STATUS:CANCELLED on the master is the whole event cancelled.
		cancelled: String(main.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED',
	};
}
