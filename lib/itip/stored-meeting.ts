/**
 * A meeting found in the calendar, read for the agent's record of an event the user organizes (lib/agent
 * `organizedEvent`): who organizes it, its revision and its times. Never throws: a calendar may hold anything.
 */
import ICAL from 'ical.js';
import {readStoredEvent} from './stored-event.ts';

export type StoredMeeting = {
	uid: string;
	organizer: string;
	/** The highest SEQUENCE of its components (RFC 5546 §2.1.4). */
	sequence: number;
	summary: string;
	/** UTC instants (ISO); the end from DTEND, else DTSTART + DURATION, else the start. */
	start: string;
	end: string;
	/** DTSTART's TZID as written, 'UTC' without one. */
	timeZone: string;
	allDay: boolean;
	/** The start and end on the event's own wall clock, as `InviteSpec` spells them (`2026-12-08T16:00:00`, `2026-12-08`). */
	wallStart: string;
	wallEnd: string;
	/** RFC 5545 §3.8.1.11: STATUS:CANCELLED on the master. */
	cancelled: boolean;
};

function specTime(time: ICAL.Time): string {
	return time.isDate ? time.toString() : time.toString().slice(0, 19);
}

/** The stored meeting, or undefined when the text is not one (no master VEVENT, UID or ORGANIZER) or its times cannot be read. */
export function storedMeeting(ics: string): StoredMeeting | undefined {
	try {
		const event = readStoredEvent(ics);
		const wrapped = new ICAL.Event(event.master);
		const start = wrapped.startDate;
		const end = wrapped.endDate ?? start;
		const timeZone = event.master.getFirstProperty('dtstart')?.getParameter('tzid');
		return {
			uid: event.uid,
			organizer: event.organizer,
			sequence: event.sequence,
			summary: String(event.master.getFirstPropertyValue('summary') ?? ''),
			start: start.toJSDate().toISOString(),
			end: end.toJSDate().toISOString(),
			timeZone: typeof timeZone === 'string' ? timeZone : 'UTC',
			allDay: start.isDate,
			wallStart: specTime(start),
			wallEnd: specTime(end),
			cancelled: String(event.master.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED',
		};
	} catch {
		return undefined;
	}
}
