/**
 * An event from an iTIP message or a stored copy, read for the invitation card (lib/ui/invitation-event.ts formats
 * it): the series, else the first component. Text is the sender's, uncleaned: the card cleans what it shows.
 */
import type ICAL from 'ical.js';
import {addressOf, readState} from './attendee-state.ts';
import {eventsOf, masterOf, parseCalendar} from './calendar.ts';
import {isoOfKey, keyOfProperty} from './instants.ts';
import {upcomingStarts} from './occurrences.ts';
import {repeatRuleOf, type RepeatRule} from './repeat-rule.ts';
import {ianaZoneName} from './timezones.ts';
import type {PartStat} from './types.ts';

export type DetailsPerson = {email: string; /** The CN parameter as written, '' when absent. */ name: string};

export type InvitationDetails = {
	uid: string;
	summary: string;
	/** ISO instants (or dates), '' when unreadable. */
	start: string;
	end: string;
	allDay: boolean;
	/** The IANA zone of DTSTART's TZID, when it names one; UTC times (Google writes them so) have none. */
	zone?: string;
	repeat?: RepeatRule;
	location: string;
	description: string;
	organizer?: DetailsPerson;
	/** The attendees, the organizer left out. */
	attendees: Array<DetailsPerson & {partstat: PartStat; optional: boolean}>;
	/** Up to `occurrences` upcoming starts (ISO) of a repeating event, for "this one"; [] for a single event. */
	upcoming: string[];
};

function person(property: ICAL.Property): DetailsPerson {
	return {email: addressOf(property), name: String(property.getParameter('cn') ?? '')};
}

function isoOf(property: ICAL.Property | null, calendar: ICAL.Component): string {
	const key = property ? keyOfProperty(property, [calendar]) : undefined;
	return key ? isoOfKey(key) : '';
}

/**
 * Reads the event of an iCalendar text for the card.
 * @returns undefined when the text holds no event.
 */
export function invitationDetails(ics: string, now: Date, occurrences: number): InvitationDetails | undefined {
	const parsed = parseCalendar(ics);
	if (!parsed.ok) {
		return undefined;
	}

	const event = masterOf(parsed.calendar) ?? eventsOf(parsed.calendar)[0];
	if (!event) {
		return undefined;
	}

	const start = event.getFirstProperty('dtstart');
	const startIso = isoOf(start, parsed.calendar);
	const tzid = start?.getParameter('tzid');
	const zone = typeof tzid === 'string' ? ianaZoneName(tzid) : undefined;
	const repeat = repeatRuleOf(event);
	const organizerProperty = event.getFirstProperty('organizer');
	const organizer = organizerProperty ? person(organizerProperty) : undefined;
	return {
		uid: String(event.getFirstPropertyValue('uid') ?? ''),
		summary: String(event.getFirstPropertyValue('summary') ?? ''),
		start: startIso,
		end: isoOf(event.getFirstProperty('dtend'), parsed.calendar) || startIso,
		allDay: start ? /^\d{4}-\d{2}-\d{2}$/.test(String(start.toJSON()[3])) : false,
		...(zone ? {zone} : {}),
		...(repeat ? {repeat} : {}),
		location: String(event.getFirstPropertyValue('location') ?? ''),
		description: String(event.getFirstPropertyValue('description') ?? ''),
		...(organizer ? {organizer} : {}),
		attendees: event.getAllProperties('attendee')
			.filter(property => addressOf(property) !== organizer?.email)
			.map(property => ({...person(property), partstat: readState(property).partstat, optional: String(property.getParameter('role') ?? '').toUpperCase() === 'OPT-PARTICIPANT'})),
		upcoming: repeat ? upcomingStarts(ics, now, occurrences) : [],
	};
}
