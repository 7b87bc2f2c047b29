/**
 * What lib/itip tells the rest of the extension about a calendar, so that no one else handles ical.js components
 * (issue 11, item 5): a stored event's answers, times and upcoming starts, the REQUEST to send again for it, and
 * the UID and METHOD of a calendar that came by mail.
 */
import type {AttendeeStatus, TrackedEvent} from '../model.ts';
import {addressOf, readState} from './attendee-state.ts';
import {eventsOf, masterOf, parseCalendar, revisionOf, withMethod} from './calendar.ts';
import {isoOfKey, keyOfProperty} from './instants.ts';
import {occurrenceAnswers, upcomingStarts} from './occurrences.ts';
import {serialize} from './serialize.ts';

/** `20261201T150000Z` → ISO 8601, or undefined for anything else. */
function isoOfStamp(stamp: string | undefined): string | undefined {
	const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp ?? '');
	return match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z` : undefined;
}

/** Each attendee's answer as the stored event says it (the master VEVENT's ATTENDEEs, organizer left out). */
export function attendeeStatuses(ics: string): AttendeeStatus[] {
	const parsed = parseCalendar(ics);
	if (!parsed.ok) {
		return [];
	}

	const master = masterOf(parsed.calendar);
	if (!master) {
		return [];
	}

	const organizerProperty = master.getFirstProperty('organizer');
	const organizer = organizerProperty ? addressOf(organizerProperty) : '';
	return master.getAllProperties('attendee')
		.filter(property => addressOf(property) !== organizer)
		.map(property => {
			const state = readState(property);
			const name = property.getParameter('cn');
			const status: AttendeeStatus = {
				email: addressOf(property),
				optional: String(property.getParameter('role') ?? '').toUpperCase() === 'OPT-PARTICIPANT',
				partstat: state.partstat,
			};
			if (typeof name === 'string' && name !== '') {
				status.name = name;
			}

			if (state.comment) {
				status.comment = state.comment;
			}

			const answeredAt = isoOfStamp(state.replyDtstamp);
			if (answeredAt) {
				status.answeredAt = answeredAt;
			}

			return status;
		});
}

/** How many future starts of a repeating event are kept for the popup's "next" line. */
const keptStarts = 24;

/**
 * What the extension's record of an event keeps from the stored iCalendar each time it is written: the series'
 * answers, the answers for single occurrences, and the starts still to come.
 */
export function eventFacts(ics: string, now: Date = new Date()): Pick<TrackedEvent, 'attendees' | 'occurrenceAnswers' | 'upcomingStarts'> {
	return {attendees: attendeeStatuses(ics), occurrenceAnswers: occurrenceAnswers(ics), upcomingStarts: upcomingStarts(ics, now, keptStarts)};
}

/**
 * The start and end of a calendar's master VEVENT (or, with `first`, of its first VEVENT, whose RECURRENCE-ID
 * stands in for a missing DTSTART) as ISO text: UTC instants, or dates for all-day events; '' when unreadable.
 */
export function eventTimes(ics: string, which: 'master' | 'first' = 'master'): {start: string; end: string} {
	const parsed = parseCalendar(ics);
	const event = parsed.ok ? (which === 'master' ? masterOf(parsed.calendar) : eventsOf(parsed.calendar)[0]) : undefined;
	const isoOf = (name: string): string | undefined => {
		const property = event?.getFirstProperty(name);
		const key = property && parsed.ok ? keyOfProperty(property, [parsed.calendar]) : undefined;
		return key ? isoOfKey(key) : undefined;
	};

	const start = isoOf('dtstart') ?? (which === 'first' ? isoOf('recurrence-id') : undefined) ?? '';
	return {start, end: isoOf('dtend') ?? start};
}

/**
 * The REQUEST to send again for an event as it is stored (RFC 5546 §3.2.2: a re-sent REQUEST with the same
 * SEQUENCE is a resend, not an update). The stored copy has no METHOD (RFC 4791 §4.1); the mail copy needs one.
 */
export function requestFromStored(stored: string): string {
	const parsed = parseCalendar(stored);
	if (!parsed.ok) {
		throw new Error(`The stored event cannot be read: ${parsed.reason}`);
	}

	return serialize(withMethod(parsed.calendar, 'REQUEST'));
}

/** A calendar that came by mail as the copy a calendar server stores: without its METHOD (RFC 4791 §4.1). */
export function storedCopyOf(message: string): string | undefined {
	const parsed = parseCalendar(message);
	return parsed.ok ? serialize(withMethod(parsed.calendar, undefined)) : undefined;
}

/** The revision of a stored event (RFC 5546 §2.1.4: its highest SEQUENCE); 0 when unreadable. */
export function eventSequence(ics: string): number {
	const parsed = parseCalendar(ics);
	return parsed.ok ? revisionOf(parsed.calendar) : 0;
}

/** The UID (of the first VEVENT) and METHOD of a calendar that came by mail, or why it cannot be matched to an event. */
export function calendarHead(text: string): {ok: true; uid: string; method: string | null} | {ok: false; reason: string} {
	const parsed = parseCalendar(text);
	if (!parsed.ok) {
		return {ok: false, reason: `The calendar in this mail could not be read: ${parsed.reason}.`};
	}

	const uid = eventsOf(parsed.calendar)[0]?.getFirstPropertyValue('uid');
	if (typeof uid !== 'string' || uid === '') {
		return {ok: false, reason: 'The calendar in this mail has no UID, so it cannot be matched to an event.'};
	}

	const method = parsed.calendar.getFirstPropertyValue('method');
	return {ok: true, uid, method: typeof method === 'string' ? method.toUpperCase() : null};
}
