/**
 * An event from an iTIP message or a stored copy, as the invitation card shows it: title, when (in the viewer's zone,
 * and the event's own when it differs), how it repeats in words, where (a link only for http(s)), organizer,
 * attendees with their answers, description. Text from the sender is cleaned (lib/itip `cleanText`).
 */
import type ICAL from 'ical.js';
import {formatRepeat} from '../imip/index.ts';
import {addressOf, readState} from '../itip/attendee-state.ts';
import {masterOf, eventsOf, parseCalendar} from '../itip/calendar.ts';
import {cleanLine, cleanText, ianaZoneName, type PartStat, type RepeatSpec, type Weekday} from '../itip/index.ts';
import {isoOfKey, keyOfProperty} from '../itip/instants.ts';
import {upcomingStarts} from '../itip/occurrences.ts';
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

const weekdays = new Set<string>(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);
const frequencies: Readonly<Record<string, RepeatSpec['freq']>> = {DAILY: 'daily', WEEKLY: 'weekly', MONTHLY: 'monthly', YEARLY: 'yearly'};

/** RRULE in words when it is one the composer could have made (lib/imip `formatRepeat`), else "repeats (RRULE)". */
export function repeatWords(rule: ICAL.Recur): string {
	const freq = frequencies[rule.freq];
	const parts = rule.parts as Record<string, unknown[]>;
	const byDay = (parts.BYDAY ?? []).map(String);
	const plain = freq && Object.keys(parts).every(name => name === 'BYDAY') && byDay.every(day => weekdays.has(day));
	if (!plain) {
		return `repeats (${cleanLine(rule.toString())})`;
	}

	return formatRepeat({
		freq,
		...(rule.interval > 1 ? {interval: rule.interval} : {}),
		...(byDay.length > 0 ? {byDay: byDay as Weekday[]} : {}),
		...(rule.count ? {count: rule.count} : {}),
		...(rule.until ? {until: rule.until.toString().slice(0, 10)} : {}),
	});
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

function person(property: ICAL.Property | null): CardPerson | undefined {
	if (!property) {
		return undefined;
	}

	const email = addressOf(property);
	const name = cleanLine(String(property.getParameter('cn') ?? '')).trim();
	return {email, ...(name && name.toLowerCase() !== email ? {name} : {})};
}

function isoOf(property: ICAL.Property | null, calendar: ICAL.Component): string {
	const key = property ? keyOfProperty(property, [calendar]) : undefined;
	return key ? isoOfKey(key) : '';
}

/**
 * Reads the event (the series, else the first component) of an iCalendar text for the card.
 * @returns undefined when the text holds no event.
 */
export function invitationEvent(ics: string, options: FormatOptions, now: Date): CardEvent | undefined {
	const parsed = parseCalendar(ics);
	if (!parsed.ok) {
		return undefined;
	}

	const event = masterOf(parsed.calendar) ?? eventsOf(parsed.calendar)[0];
	if (!event) {
		return undefined;
	}

	const start = event.getFirstProperty('dtstart');
	const end = event.getFirstProperty('dtend');
	const allDay = start ? /^\d{4}-\d{2}-\d{2}$/.test(String(start.toJSON()[3])) : false;
	const tzid = start?.getParameter('tzid');
	// Times in UTC (Google writes them so) say nothing about the organizer's own clock: only a TZID does.
	const timeZone = typeof tzid === 'string' ? ianaZoneName(tzid) ?? options.timeZone : options.timeZone;
	const startIso = isoOf(start, parsed.calendar);
	const when = formatEventWhen({start: startIso, end: isoOf(end, parsed.calendar) || startIso, allDay, timeZone: allDay ? options.timeZone : timeZone}, options);
	const rule = event.getFirstPropertyValue('rrule') as ICAL.Recur | null;
	const location = cleanLine(String(event.getFirstPropertyValue('location') ?? '')).trim();
	const description = cleanText(String(event.getFirstPropertyValue('description') ?? ''), maxDescriptionLength).trim();
	const organizer = person(event.getFirstProperty('organizer'));
	const attendees = event.getAllProperties('attendee')
		.filter(property => addressOf(property) !== organizer?.email)
		.map(property => {
			const partstat = readState(property).partstat;
			return {...person(property)!, partstat, label: partstatLabel(partstat), optional: String(property.getParameter('role') ?? '').toUpperCase() === 'OPT-PARTICIPANT'};
		});
	return {
		uid: String(event.getFirstPropertyValue('uid') ?? ''),
		title: cleanLine(String(event.getFirstPropertyValue('summary') ?? '')).trim() || '(no title)',
		when: when.text,
		...(when.note ? {organizerWhen: when.note} : {}),
		...(rule ? {repeat: repeatWords(rule)} : {}),
		...(location ? {location: locationOf(location)} : {}),
		...(organizer ? {organizer} : {}),
		attendees,
		...(description ? {description} : {}),
		occurrences: rule ? upcomingStarts(ics, now, offeredOccurrences).map(id => ({id, label: formatOccurrence(id, options)})) : [],
	};
}
