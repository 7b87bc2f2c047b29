/**
 * What every organizer change shares (update, cancel, one occurrence, replies and DECLINECOUNTER): a valid clock,
 * SEQUENCE and DTSTAMP on each changed component (RFC 5546 §2.1.4), the attendees it may name, the occurrence a
 * `recurrenceId` names.
 */
import type ICAL from 'ical.js';
import {normalizeAddress} from '../address.ts';
import {utcStamp} from './calendar.ts';
import {InvalidSpecError} from './errors.ts';
import {emailAddress} from './event-fields.ts';
import type {InstantKey} from './instants.ts';
import {occurrenceKey} from './recurrence.ts';
import {attendeeAddresses, type StoredEvent} from './stored-event.ts';

/** `now` as a UTC DATE-TIME; a given one must be a valid Date. */
export function validNow(now: unknown): ICAL.Time {
	if (now !== undefined && (!(now instanceof Date) || Number.isNaN(now.getTime()))) {
		throw new InvalidSpecError('now', 'must be a valid Date');
	}

	return utcStamp((now as Date | undefined) ?? new Date());
}

/** Stamps a changed component: its SEQUENCE, DTSTAMP and LAST-MODIFIED. */
export function touch(event: ICAL.Component, sequence: number, now: ICAL.Time): void {
	event.updatePropertyWithValue('sequence', sequence);
	event.updatePropertyWithValue('dtstamp', now.clone());
	event.updatePropertyWithValue('last-modified', now.clone());
}

/** Validates a list of attendee addresses that must all be on the event. */
export function validAttendeeList(value: unknown, field: string, event: StoredEvent): string[] {
	if (!Array.isArray(value) || value.length === 0) {
		throw new InvalidSpecError(field, 'must be a non-empty list of addresses');
	}

	const invited = new Set(attendeeAddresses(event.calendar, event.organizer));
	return [...new Set((value as unknown[]).map((item, index) => {
		const address = emailAddress(typeof item === 'string' ? normalizeAddress(item) : item, `${field}[${index}]`);
		if (address === event.organizer) {
			throw new InvalidSpecError(`${field}[${index}]`, 'is the organizer, who cannot be uninvited');
		}

		if (!invited.has(address)) {
			throw new InvalidSpecError(`${field}[${index}]`, `(${address}) is not an attendee of the event`);
		}

		return address;
	}))];
}

/** The instant a `recurrenceId` option names, read in the master's DTSTART zone unless it is UTC. */
export function recurrenceKey(value: unknown, event: StoredEvent): InstantKey {
	return occurrenceKey(value, event.master, event.calendar, 'recurrenceId');
}

