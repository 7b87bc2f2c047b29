/**
 * The part of a reply worth keeping for later (a review's "apply anyway", a parked retry): exactly what applyReply
 * reads, cleaned and capped, so a 900 KB reply is kept as a few hundred bytes and applies the same way.
 */
import ICAL from 'ical.js';
import {eventsOf, parseCalendar} from './calendar.ts';
import {cleanLine, cleanText, maxCommentLength} from './clean-text.ts';
import {tooManyEventsReason} from './envelope.ts';
import {serialize} from './serialize.ts';

/** A kept reply is at most this many bytes of iCalendar text; 500 kept outcomes then fit storage.local easily. */
export const maxKeptReplyLength = 3072;

// A COUNTER's proposal is its time and place (RFC 5546 §3.2.7): kept so that "Accept proposal" can read it.
const keptProperties = ['uid', 'recurrence-id', 'dtstamp', 'sequence', 'organizer', 'attendee', 'comment', 'request-status', 'dtstart', 'dtend', 'duration', 'location'];
const keptAttendeeParameters = ['partstat', 'cn', 'sent-by', 'delegated-to', 'delegated-from', 'rsvp', 'role', 'cutype'];

function reduce(calendar: ICAL.Component, commentLength: number, withZones: boolean): string {
	const kept = new ICAL.Component(['vcalendar', [], []]);
	for (const name of ['prodid', 'version', 'method']) {
		const value: unknown = calendar.getFirstPropertyValue(name);
		if (typeof value === 'string') {
			kept.addPropertyWithValue(name, cleanLine(value, 100));
		}
	}

	if (withZones) {
		for (const zone of calendar.getAllSubcomponents('vtimezone')) {
			kept.addSubcomponent(new ICAL.Component(structuredClone(zone.toJSON()) as unknown[]));
		}
	}

	for (const event of eventsOf(calendar)) {
		const copy = new ICAL.Component('vevent');
		for (const property of event.getAllProperties()) {
			if (!keptProperties.includes(property.name)) {
				continue;
			}

			const [name, parameters, type, ...values] = structuredClone(property.toJSON()) as [string, Record<string, unknown>, string, ...unknown[]];
			const cleanParameters = Object.fromEntries(Object.entries(parameters)
				.filter(([key]) => name !== 'attendee' || keptAttendeeParameters.includes(key))
				.map(([key, value]) => [key, Array.isArray(value) ? value.slice(0, 3).map(item => cleanLine(String(item))) : cleanLine(String(value))]));
			const cleanValues = values.slice(0, 3).map(value => (typeof value === 'string'
				? (name === 'comment' ? cleanText(value, commentLength) : cleanLine(value, 300))
				: value));
			copy.addProperty(new ICAL.Property([name, cleanParameters, type, ...cleanValues]));
		}

		kept.addSubcomponent(copy);
	}

	return serialize(kept);
}

/** The reply reduced for keeping, or undefined when even its smallest form is too large (or it is unreadable). */
export function keptReply(text: string): string | undefined {
	if (tooManyEventsReason(text)) {
		return undefined;
	}

	const parsed = parseCalendar(text);
	if (!parsed.ok) {
		return undefined;
	}

	// Largest useful form first: time zones and whole comments; then without zones; then short comments.
	for (const [commentLength, withZones] of [[maxCommentLength, true], [maxCommentLength, false], [200, false]] as const) {
		const reduced = reduce(parsed.calendar, commentLength, withZones);
		if (reduced.length <= maxKeptReplyLength) {
			return reduced;
		}
	}

	return undefined;
}
