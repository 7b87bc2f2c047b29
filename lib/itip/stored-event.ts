/**
 * Reading the organizer's stored event for the builders, which throw on misuse (unlike applyReply, which never throws).
 */
import type ICAL from 'ical.js';
import {addressOf} from './attendee-state.ts';
import {eventsOf, masterOf, parseCalendar, revisionOf} from './calendar.ts';
import {InvalidStoredEventError} from './errors.ts';

export type StoredEvent = {
	calendar: ICAL.Component;
	master: ICAL.Component;
	uid: string;
	organizer: string;
	sequence: number;
};

/**
 * Parses the stored event and finds its master VEVENT, UID and ORGANIZER.
 * @throws {InvalidStoredEventError} when any of them is missing.
 */
export function readStoredEvent(text: string): StoredEvent {
	const parsed = parseCalendar(text);
	if (!parsed.ok) {
		throw new InvalidStoredEventError(`The stored event could not be read: ${parsed.reason}`);
	}

	const master = masterOf(parsed.calendar);
	if (!master) {
		throw new InvalidStoredEventError(eventsOf(parsed.calendar).length === 0 ? 'The stored calendar object holds no VEVENT' : 'The stored event has overrides but no master VEVENT');
	}

	const uid = master.getFirstPropertyValue('uid');
	if (typeof uid !== 'string' || uid === '') {
		throw new InvalidStoredEventError('The stored event has no UID');
	}

	const organizerProperty = master.getFirstProperty('organizer');
	const organizer = organizerProperty ? addressOf(organizerProperty) : '';
	if (!organizer) {
		throw new InvalidStoredEventError('The stored event has no ORGANIZER, so it is not a meeting');
	}

	return {calendar: parsed.calendar, master, uid, organizer, sequence: revisionOf(parsed.calendar)};
}

/** Addresses of the ATTENDEEs of all components, organizer excluded, in first-seen order. */
export function attendeeAddresses(calendar: ICAL.Component, organizer: string): string[] {
	const seen = new Set<string>();
	for (const event of eventsOf(calendar)) {
		for (const property of event.getAllProperties('attendee')) {
			const address = addressOf(property);
			if (address && address !== organizer) {
				seen.add(address);
			}
		}
	}

	return [...seen];
}
