/**
 * Semantic views of iCalendar objects for iTIP tests, in the spirit of sabre/vobject's assertVObjectEqualsVObject:
 * compare what matters (who answered what, for which occurrence), not bytes, PRODID or DTSTAMP.
 */
import ICAL from 'ical.js';
import {isoOfKey, keyOfProperty} from '../../lib/itip/instants.ts';

/** Address (lower case, no mailto:) → PARTSTAT (NEEDS-ACTION when absent, RFC 5545 §3.2.12). */
export type PartStats = Record<string, string>;

function address(property: ICAL.Property): string {
	return String(property.toJSON()[3]).replace(/^mailto:/i, '').trim().toLowerCase();
}

function parse(text: string): ICAL.Component {
	return new ICAL.Component(ICAL.parse(text) as unknown[]);
}

/** The VEVENTs of a calendar, keyed `master` or by their RECURRENCE-ID instant (UTC ISO when the zone is known). */
export function eventsByOccurrence(text: string): Map<string, ICAL.Component> {
	const calendar = parse(text);
	const result = new Map<string, ICAL.Component>();
	for (const event of calendar.getAllSubcomponents('vevent')) {
		const recurrence = event.getFirstProperty('recurrence-id');
		const key = recurrence ? keyOfProperty(recurrence, [calendar]) : undefined;
		result.set(recurrence ? (key ? isoOfKey(key) : 'invalid') : 'master', event);
	}

	return result;
}

/** Every attendee's PARTSTAT per component: `{master: {a@x: 'ACCEPTED'}, '2014-07-25T04:00:00Z': {...}}`. */
export function partStats(text: string): Record<string, PartStats> {
	const result: Record<string, PartStats> = {};
	for (const [key, event] of eventsByOccurrence(text)) {
		const stats: PartStats = {};
		for (const attendee of event.getAllProperties('attendee')) {
			const value = attendee.getParameter('partstat');
			stats[address(attendee)] = typeof value === 'string' ? value.toUpperCase() : 'NEEDS-ACTION';
		}

		result[key] = stats;
	}

	return result;
}

/** One parameter of one attendee in one component (`master` or an occurrence key). */
export function attendeeParameter(text: string, occurrence: string, attendee: string, parameter: string): string | string[] | undefined {
	const event = eventsByOccurrence(text).get(occurrence);
	const property = event?.getAllProperties('attendee').find(candidate => address(candidate) === attendee);
	const value: unknown = property?.getParameter(parameter);
	return value === undefined || value === null ? undefined : (value as string | string[]);
}

/** A property's value (first) of the component at `occurrence`, as ical.js gives it. */
export function eventValue(text: string, occurrence: string, property: string): unknown {
	return eventsByOccurrence(text).get(occurrence)?.getFirstPropertyValue(property);
}

/** Splits a file holding several VCALENDARs (like the RFC 2446 examples) into one text per calendar. */
export function splitCalendars(text: string): string[] {
	const unix = text.replaceAll('\r\n', '\n');
	return [...unix.matchAll(/BEGIN:VCALENDAR\n[\s\S]*?\nEND:VCALENDAR/g)].map(match => `${match[0].replaceAll('\n', '\r\n')}\r\n`);
}
