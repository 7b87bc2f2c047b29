/**
 * Turning the fields of an `InviteSpec` (or `EventChanges`) into VEVENT properties, validating each one.
 * Shared by buildInvite and buildUpdate so both write times, rules and attendees the same way.
 */
import ICAL from 'ical.js';
import {isEmailAddress, normalizeAddress, toMailto} from '../address.ts';
import {InvalidSpecError} from './errors.ts';
import {isUtcZoneName, vtimezoneFor} from './timezones.ts';
import type {AttendeeSpec, RepeatSpec, Weekday} from './types.ts';

/** Start and end of an event as ical.js times, with the zone they are written in. */
export type When = {
	start: ICAL.Time;
	end: ICAL.Time;
	allDay: boolean;
	/** TZID to write; undefined for all-day (VALUE=DATE) and UTC times. */
	tzid: string | undefined;
	/** The VTIMEZONE the calendar must carry for `tzid` (RFC 5545 §3.6: one per TZID used). */
	vtimezone: ICAL.Component | undefined;
	/** The zone `start`/`end` are in (UTC, the IANA zone, or floating for dates). */
	zone: ICAL.Timezone;
};

const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const weekdays = new Set<string>(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);

type DateParts = {year: number; month: number; day: number; hour: number; minute: number; second: number};

function parseParts(value: unknown, field: string, allDay: boolean): DateParts {
	if (typeof value !== 'string') {
		throw new InvalidSpecError(field, `must be a string like ${allDay ? '"2026-12-01"' : '"2026-12-01T16:00"'}`);
	}

	const match = (allDay ? datePattern : dateTimePattern).exec(value);
	if (!match) {
		throw new InvalidSpecError(field, `must look like ${allDay ? '"2026-12-01" for an all-day event' : '"2026-12-01T16:00"'}, got ${JSON.stringify(value)}`);
	}

	const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map(index => Number(match[index] ?? '0')) as [number, number, number, number, number, number];
	const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
		throw new InvalidSpecError(field, `is not a real ${allDay ? 'date' : 'date and time'}: ${JSON.stringify(value)}`);
	}

	return {year, month, day, hour, minute, second};
}

/** The zone for an IANA name, with the VTIMEZONE we will write for it. */
export function zoneFor(timeZone: unknown, field: string): {tzid: string | undefined; vtimezone: ICAL.Component | undefined; zone: ICAL.Timezone} {
	if (typeof timeZone !== 'string' || timeZone.trim() === '') {
		throw new InvalidSpecError(field, 'must be an IANA time zone name such as "Europe/Berlin"');
	}

	if (isUtcZoneName(timeZone)) {
		return {tzid: undefined, vtimezone: undefined, zone: ICAL.Timezone.utcTimezone};
	}

	const vtimezone = vtimezoneFor(timeZone);
	if (!vtimezone) {
		throw new InvalidSpecError(field, `is not a known IANA time zone: ${JSON.stringify(timeZone)}`);
	}

	return {tzid: timeZone, vtimezone, zone: new ICAL.Timezone({component: vtimezone, tzid: timeZone})};
}

/** A local wall-clock time in a zone (or a date when `allDay`). */
export function localTime(value: unknown, field: string, allDay: boolean, zone: ICAL.Timezone): ICAL.Time {
	const parts = parseParts(value, field, allDay);
	if (allDay) {
		return ICAL.Time.fromData({year: parts.year, month: parts.month, day: parts.day, isDate: true});
	}

	return ICAL.Time.fromData({...parts, isDate: false}, zone);
}

/** Validates start/end and returns them with their zone. All-day events are floating dates (RFC 5545 §3.3.4). */
export function parseWhen(fields: {start: unknown; end: unknown; timeZone: unknown; allDay?: unknown}, prefix = ''): When {
	const allDay = fields.allDay === true;
	if (fields.allDay !== undefined && typeof fields.allDay !== 'boolean') {
		throw new InvalidSpecError(`${prefix}allDay`, 'must be a boolean');
	}

	// All-day events carry no zone, but the spec still names one; an invalid name is still a mistake.
	const {tzid, vtimezone, zone} = zoneFor(fields.timeZone, `${prefix}timeZone`);
	const start = localTime(fields.start, `${prefix}start`, allDay, zone);
	const end = localTime(fields.end, `${prefix}end`, allDay, zone);
	// RFC 5545 §3.8.2.2: DTEND MUST be later than DTSTART (for dates: the day after the last day).
	if (end.compare(start) <= 0) {
		throw new InvalidSpecError(`${prefix}end`, allDay ? 'must be after start (the day after the last day: end is exclusive)' : 'must be after start');
	}

	return allDay
		? {start, end, allDay, tzid: undefined, vtimezone: undefined, zone: ICAL.Timezone.localTimezone}
		: {start, end, allDay, tzid, vtimezone, zone};
}

/** Sets a DATE or DATE-TIME property, with TZID when the time is in a named zone (RFC 5545 §3.2.19). */
export function setTimeProperty(event: ICAL.Component, name: string, time: ICAL.Time, tzid: string | undefined): ICAL.Property {
	event.removeAllProperties(name);
	const property = new ICAL.Property(name, event);
	property.setValue(time);
	if (time.isDate) {
		property.resetType('date');
		property.setValue(time);
	} else if (tzid) {
		property.setParameter('tzid', tzid);
	}

	event.addProperty(property);
	return property;
}

function positiveInteger(value: unknown, field: string): number | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
		throw new InvalidSpecError(field, 'must be a positive whole number');
	}

	return value;
}

/**
 * The RRULE for a repeat (RFC 5545 §3.3.10). UNTIL is inclusive; with a zoned DTSTART it MUST be UTC, with a
 * DATE DTSTART it MUST be a DATE. A bare date as `until` for a timed event means "up to the end of that day".
 */
export function recurrenceRule(repeat: RepeatSpec, when: When, field = 'repeat'): ICAL.Recur {
	if (typeof repeat !== 'object' || repeat === null) {
		throw new InvalidSpecError(field, 'must be an object');
	}

	const freq = repeat.freq as unknown;
	if (freq !== 'daily' && freq !== 'weekly' && freq !== 'monthly' && freq !== 'yearly') {
		throw new InvalidSpecError(`${field}.freq`, 'must be one of daily, weekly, monthly, yearly');
	}

	const parts = [`FREQ=${freq.toUpperCase()}`];
	const interval = positiveInteger(repeat.interval, `${field}.interval`);
	if (interval !== undefined && interval !== 1) {
		parts.push(`INTERVAL=${interval}`);
	}

	const count = positiveInteger(repeat.count, `${field}.count`);
	// RFC 5545 §3.3.10: "UNTIL or COUNT rule parts are OPTIONAL, but they MUST NOT occur in the same 'recur'."
	if (count !== undefined && repeat.until !== undefined) {
		throw new InvalidSpecError(`${field}.until`, 'cannot be given together with count');
	}

	if (count !== undefined) {
		parts.push(`COUNT=${count}`);
	}

	if (repeat.until !== undefined) {
		parts.push(`UNTIL=${untilValue(repeat.until, when, `${field}.until`)}`);
	}

	if (repeat.byDay !== undefined) {
		const byDay: unknown = repeat.byDay;
		if (!Array.isArray(byDay) || byDay.length === 0 || !byDay.every(day => typeof day === 'string' && weekdays.has(day))) {
			throw new InvalidSpecError(`${field}.byDay`, 'must be a non-empty list of MO, TU, WE, TH, FR, SA, SU');
		}

		parts.push(`BYDAY=${[...new Set(byDay as Weekday[])].join(',')}`);
	}

	return ICAL.Recur.fromString(parts.join(';'));
}

function untilValue(until: unknown, when: When, field: string): string {
	if (typeof until !== 'string') {
		throw new InvalidSpecError(field, 'must be a string like "2027-06-30"');
	}

	let last: ICAL.Time;
	if (when.allDay) {
		last = localTime(until, field, true, when.zone);
	} else if (datePattern.test(until)) {
		last = localTime(`${until}T23:59:59`, field, false, when.zone);
	} else {
		last = localTime(until, field, false, when.zone);
	}

	if (last.compare(when.start) < 0) {
		throw new InvalidSpecError(field, 'is before the start');
	}

	if (when.allDay) {
		return last.toICALString();
	}

	return last.convertToZone(ICAL.Timezone.utcTimezone).toICALString();
}

/** Validates a display name: any text but control characters, which no CN parameter can carry. */
export function optionalName(value: unknown, field: string): string | undefined {
	if (value === undefined || value === '') {
		return undefined;
	}

	// eslint-disable-next-line no-control-regex -- control characters are exactly what we reject
	if (typeof value !== 'string' || /[\u0000-\u001F\u007F]/.test(value)) {
		throw new InvalidSpecError(field, 'must be text on one line');
	}

	return value.trim() || undefined;
}

/** Validates an e-mail address and returns its normalised form. */
export function emailAddress(value: unknown, field: string): string {
	if (typeof value !== 'string' || !isEmailAddress(value)) {
		throw new InvalidSpecError(field, `is not an e-mail address: ${JSON.stringify(value)}`);
	}

	return normalizeAddress(value);
}

/** Validates free text (SUMMARY, LOCATION, DESCRIPTION); ical.js escapes it on output (RFC 5545 §3.3.11). */
export function optionalText(value: unknown, field: string): string | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (typeof value !== 'string') {
		throw new InvalidSpecError(field, 'must be a string');
	}

	return value;
}

/** ORGANIZER;CN=…:mailto:… (RFC 5545 §3.8.4.3). */
export function organizerProperty(address: string, name: string | undefined): ICAL.Property {
	const property = new ICAL.Property('organizer');
	property.setValue(toMailto(address));
	if (name) {
		property.setParameter('cn', name);
	}

	return property;
}

/**
 * An invited ATTENDEE (RFC 5545 §3.8.4.1): individual, required or optional, not yet answered,
 * asked to reply (RSVP=TRUE, RFC 5546 §3.2.2).
 */
export function attendeeProperty(attendee: {email: string; name?: string; optional?: boolean}): ICAL.Property {
	const property = new ICAL.Property('attendee');
	property.setValue(toMailto(attendee.email));
	if (attendee.name) {
		property.setParameter('cn', attendee.name);
	}

	property.setParameter('cutype', 'INDIVIDUAL');
	property.setParameter('role', attendee.optional ? 'OPT-PARTICIPANT' : 'REQ-PARTICIPANT');
	property.setParameter('partstat', 'NEEDS-ACTION');
	property.setParameter('rsvp', 'TRUE');
	return property;
}

/** The organizer listed as an attendee who has accepted: Purelymail only shows the event reliably then. */
export function organizerAsAttendee(address: string, name: string | undefined): ICAL.Property {
	const property = new ICAL.Property('attendee');
	property.setValue(toMailto(address));
	if (name) {
		property.setParameter('cn', name);
	}

	property.setParameter('cutype', 'INDIVIDUAL');
	property.setParameter('role', 'CHAIR');
	property.setParameter('partstat', 'ACCEPTED');
	property.setParameter('rsvp', 'FALSE');
	return property;
}

/** Validates a list of attendees: addresses, names, no duplicates, the organizer skipped (already an attendee). */
export function validateAttendees(value: unknown, field: string, organizer: string): Array<{email: string; name?: string; optional?: boolean}> {
	if (!Array.isArray(value)) {
		throw new InvalidSpecError(field, 'must be a list');
	}

	const seen = new Set<string>();
	const result: Array<{email: string; name?: string; optional?: boolean}> = [];
	for (const [index, item] of (value as unknown[]).entries()) {
		if (typeof item !== 'object' || item === null) {
			throw new InvalidSpecError(`${field}[${index}]`, 'must be an object with an email');
		}

		const attendee = item as Partial<AttendeeSpec>;
		const email = emailAddress(attendee.email, `${field}[${index}].email`);
		const name = optionalName(attendee.name, `${field}[${index}].name`);
		if (attendee.optional !== undefined && typeof attendee.optional !== 'boolean') {
			throw new InvalidSpecError(`${field}[${index}].optional`, 'must be a boolean');
		}

		if (seen.has(email)) {
			throw new InvalidSpecError(`${field}[${index}].email`, `lists ${email} a second time`);
		}

		seen.add(email);
		if (email === organizer) {
			continue;
		}

		result.push({email, ...(name ? {name} : {}), ...(attendee.optional ? {optional: true} : {})});
	}

	return result;
}
