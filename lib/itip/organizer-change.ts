/**
 * What every organizer change shares (update, cancel, one occurrence, replies and DECLINECOUNTER): a valid clock,
 * SEQUENCE and DTSTAMP on each changed component (RFC 5546 §2.1.4), the attendees it may name, the occurrence a
 * `recurrenceId` names, and which changes are significant.
 */
import type ICAL from 'ical.js';
import {normalizeAddress} from '../address.ts';
import {utcStamp} from './calendar.ts';
import {InvalidSpecError} from './errors.ts';
import {emailAddress} from './event-fields.ts';
import type {InstantKey} from './instants.ts';
import {occurrenceKey} from './recurrence.ts';
import {attendeeAddresses, type StoredEvent} from './stored-event.ts';
import type {ChangedField} from './types.ts';

/**
 * RFC 5546 §2.1.4: the changes that are "significant" (SEQUENCE+1, attendees asked again): the time
 * (DTSTART/DTEND/DURATION), the recurrence (RRULE, RDATE, EXDATE), the place (§2.1.4's own example of a change that
 * "will jeopardize the validity of the participation status"), or someone uninvited (the CANCEL they get MUST carry
 * a higher SEQUENCE). The one rule for the Edit flow (buildUpdate, buildOccurrenceUpdate) and for changes made in
 * other calendar apps (changesToMessages).
 */
const significantFields: ReadonlySet<ChangedField> = new Set(['time', 'repeat', 'location']);

/** The fields whose change voids earlier answers (RFC 5546 §2.1.4): they are reset to NEEDS-ACTION. */
const answerResettingFields: ReadonlySet<ChangedField> = new Set(['time', 'repeat']);

export function isSignificant(changed: readonly ChangedField[], removedAttendees: number): boolean {
	return removedAttendees > 0 || changed.some(field => significantFields.has(field));
}

export function resetsAnswers(changed: readonly ChangedField[]): boolean {
	return changed.some(field => answerResettingFields.has(field));
}

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

