/**
 * What the extension's record of an event (`TrackedEvent`) keeps from the stored iCalendar each time it is written:
 * the series' answers, the answers for single occurrences, and the starts still to come.
 */
import {occurrenceAnswers, upcomingStarts} from '../itip/occurrences.ts';
import type {TrackedEvent} from '../model.ts';
import {attendeeStatuses} from './attendee-statuses.ts';

/** How many future starts of a repeating event are kept for the popup's "next" line. */
const keptStarts = 24;

export function eventFacts(ics: string, now: Date = new Date()): Pick<TrackedEvent, 'attendees' | 'occurrenceAnswers' | 'upcomingStarts'> {
	return {attendees: attendeeStatuses(ics), occurrenceAnswers: occurrenceAnswers(ics), upcomingStarts: upcomingStarts(ics, now, keptStarts)};
}
