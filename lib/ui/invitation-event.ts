/**
 * An event from an iTIP message or a stored copy, as the invitation card shows it: title, when (in the viewer's zone,
 * and the event's own when it differs), how it repeats in words, where (a link only for http(s)), organizer,
 * attendees with their answers, description. Text from the sender is cleaned (lib/itip `cleanText`).
 */
import {formatRepeat} from '../imip/index.ts';
import {cleanLine, cleanText, invitationDetails, type DetailsPerson, type PartStat, type RepeatRule} from '../itip/index.ts';
import {partstatLabel} from './event-list.ts';
import {formatEventWhen, formatOccurrence, type FormatOptions} from './format.ts';

export type CardPerson = {email: string; name?: string};
export type CardAttendee = CardPerson & {partstat: PartStat; label: string; optional: boolean};

export type CardEvent = {
	uid: string;
	title: string;
	/** In the viewer's zone. */
	when: string;
	/** The organizer's own clock, when it differs: `15:00 – 16:00 New York (America)`. */
	organizerWhen?: string;
	repeat?: string;
	location?: {text: string; href?: string};
	organizer?: CardPerson;
	attendees: CardAttendee[];
	description?: string;
	/** Upcoming occurrences of a repeating event, for "this one": RECURRENCE-ID (ISO) and a label. */
	occurrences: Array<{id: string; label: string}>;
};

/** Longer descriptions (Teams joining instructions run to a few KB) are cut: the mail below the card has them whole. */
export const maxDescriptionLength = 4000;

/** How many upcoming occurrences "this one" offers. */
export const offeredOccurrences = 12;

/** RRULE in words when it is one the composer could have made (lib/imip `formatRepeat`), else "repeats (RRULE)". */
function repeatWords(rule: RepeatRule): string {
	return rule.exact && rule.spec ? formatRepeat(rule.spec) : `repeats (${cleanLine(rule.text)})`;
}

/** A location with a link only for http(s) URLs (never javascript:, data: or mailto: from a stranger's mail). */
export function locationOf(text: string): {text: string; href?: string} {
	const match = /\bhttps?:\/\/[^\s<>"]+/i.exec(text);
	if (!match) {
		return {text};
	}

	try {
		const url = new URL(match[0]);
		return url.protocol === 'https:' || url.protocol === 'http:' ? {text, href: url.href} : {text};
	} catch {
		return {text};
	}
}

function person({email, name: written}: DetailsPerson): CardPerson {
	const name = cleanLine(written).trim();
	return {email, ...(name && name.toLowerCase() !== email ? {name} : {})};
}

/**
 * Reads the event (the series, else the first component) of an iCalendar text for the card.
 * @returns undefined when the text holds no event.
 */
export function invitationEvent(ics: string, options: FormatOptions, now: Date): CardEvent | undefined {
	const event = invitationDetails(ics, now, offeredOccurrences);
	if (!event) {
		return undefined;
	}

	// Times in UTC (Google writes them so) say nothing about the organizer's own clock: only a TZID does.
	const timeZone = event.zone ?? options.timeZone;
	const when = formatEventWhen({start: event.start, end: event.end, allDay: event.allDay, timeZone: event.allDay ? options.timeZone : timeZone}, options);
	const location = cleanLine(event.location).trim();
	const description = cleanText(event.description, maxDescriptionLength).trim();
	const organizer = event.organizer ? person(event.organizer) : undefined;
	const attendees = event.attendees.map(attendee => ({...person(attendee), partstat: attendee.partstat, label: partstatLabel(attendee.partstat), optional: attendee.optional}));
	return {
		uid: event.uid,
		title: cleanLine(event.summary).trim() || '(no title)',
		when: when.text,
		...(when.note ? {organizerWhen: when.note} : {}),
		...(event.repeat ? {repeat: repeatWords(event.repeat)} : {}),
		...(location ? {location: locationOf(location)} : {}),
		...(organizer ? {organizer} : {}),
		attendees,
		...(description ? {description} : {}),
		occurrences: event.upcoming.map(id => ({id, label: formatOccurrence(id, options)})),
	};
}
