/**
 * What the attendee's side (lib/attendee, lib/invitations, the card) needs from an invitation or from the user's
 * copy of it: title, times, organizer, SEQUENCE, the user's answer, whether it is cancelled. Read here so that no one
 * outside lib/itip handles ical.js components (issue 11, item 5).
 */
import type ICAL from 'ical.js';
import {addressSet, myAttendee, organizerOf} from './attendee-copy.ts';
import {addressOf, parameterValues, readState} from './attendee-state.ts';
import {eventsOf, masterOf, parseCalendar, sequenceOf} from './calendar.ts';
import {cleanLine, maxNameLength} from './clean-text.ts';
import {eventTimes} from './describe.ts';
import type {PartStat} from './types.ts';

export type InvitationFacts = {
	summary: string;
	/** ISO instants (or dates, all day) of the first start and end. */
	start: string;
	end: string;
	allDay: boolean;
	organizer: {email: string; name?: string};
	/** RFC 5545 §3.8.7.4 SEQUENCE of the master (else the first VEVENT); 0 when absent. */
	sequence: number;
	/** The user's answer; NEEDS-ACTION until answered. */
	partstat: PartStat;
	cancelled: boolean;
};

function partstatIn(calendar: ICAL.Component, me: readonly string[]): PartStat {
	const mine = addressSet(me);
	const components = [masterOf(calendar), ...eventsOf(calendar)].filter(component => component !== undefined);
	const attendee = components.map(component => myAttendee(component, mine)).find(Boolean);
	// RFC 5545 §3.2.12: an absent or unknown PARTSTAT is NEEDS-ACTION (readState).
	return attendee ? readState(attendee).partstat : 'NEEDS-ACTION';
}

/** The user's PARTSTAT on the series (the master, else the first component listing them), NEEDS-ACTION when unknown. */
export function myPartstat(ics: string, me: readonly string[]): PartStat {
	const parsed = parseCalendar(ics);
	return parsed.ok ? partstatIn(parsed.calendar, me) : 'NEEDS-ACTION';
}

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
	const dtstart = main.getFirstProperty('dtstart');
	return {
		summary: cleanLine(String(main.getFirstPropertyValue('summary') ?? ''), maxNameLength),
		...eventTimes(ics),
		allDay: dtstart?.type === 'date',
		organizer: {email: organizer ? addressOf(organizer) : '', ...(name ? {name: cleanLine(name, maxNameLength)} : {})},
		sequence: sequenceOf(main),
		partstat: partstatIn(parsed.calendar, me),
		// RFC 5545 §3.8.1.11: STATUS:CANCELLED on the master is the whole event cancelled.
		cancelled: String(main.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED',
	};
}
