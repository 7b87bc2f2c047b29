/**
 * Comparing DTSTART/RECURRENCE-ID values by the instant they name, whatever zone each side writes them in.
 *
 * ical.js resolves a TZID only through a VTIMEZONE in the same calendar; replies (and some stored events) name zones
 * without one. So values are read from their raw jCal text and zones resolved with `resolveZone`, which falls back
 * to the IANA definitions.
 */
import ICAL from 'ical.js';
import {resolveZone} from './timezones.ts';

/** A DATE or DATE-TIME reduced to something comparable: UTC instant, floating wall-clock time, or date. */
export type InstantKey = {
	kind: 'utc' | 'floating' | 'date';
	/** `YYYYMMDDTHHMMSSZ`, `YYYYMMDDTHHMMSS` or `YYYYMMDD`. */
	value: string;
};

const jcalDateTime = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(Z)?)?$/;

/**
 * The wall-clock time a property holds, without zone, and whether it was marked UTC.
 * Undefined for values that are not real dates (ical.js keeps garbage like `DTSTAMP:**ANY**` as text).
 */
export function rawTime(property: ICAL.Property): {time: ICAL.Time; utc: boolean} | undefined {
	const value: unknown = property.toJSON()[3];
	if (typeof value !== 'string') {
		return undefined;
	}

	const match = jcalDateTime.exec(value);
	if (!match) {
		return undefined;
	}

	const [year, month, day] = [1, 2, 3].map(index => Number(match[index]));
	if (!year || !month || !day || month > 12 || day > 31) {
		return undefined;
	}

	if (match[4] === undefined) {
		return {time: ICAL.Time.fromData({year, month, day, isDate: true}), utc: false};
	}

	const [hour, minute, second] = [4, 5, 6].map(index => Number(match[index]));
	if (hour === undefined || minute === undefined || second === undefined || hour > 23 || minute > 59 || second > 60) {
		return undefined;
	}

	return {time: ICAL.Time.fromData({year, month, day, hour, minute, second, isDate: false}), utc: match[7] === 'Z'};
}

function compact(time: ICAL.Time): string {
	return time.toICALString().replace(/Z$/, '');
}

/** Turns a wall-clock time into a key, resolving `tzid` through `calendars` (first match wins) and then IANA data. */
export function keyOfWallClock(time: ICAL.Time, utc: boolean, tzid: string | undefined, calendars: readonly ICAL.Component[]): InstantKey {
	if (time.isDate) {
		return {kind: 'date', value: compact(time)};
	}

	// RFC 5545 §3.3.5: a value ending in Z is UTC whatever TZID says (some clients write both).
	if (utc) {
		return {kind: 'utc', value: `${compact(time)}Z`};
	}

	if (tzid) {
		for (const calendar of [...calendars, undefined]) {
			const zone = resolveZone(tzid, calendar);
			if (zone) {
				const zoned = ICAL.Time.fromData({
					year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second, isDate: false,
				}, zone);
				return {kind: 'utc', value: `${compact(zoned.convertToZone(ICAL.Timezone.utcTimezone))}Z`};
			}
		}
	}

	// RFC 5545 §3.3.5 form #1: floating time, the same wall clock everywhere.
	return {kind: 'floating', value: compact(time)};
}

/** The instant a DATE/DATE-TIME property names, or undefined when its value is not a date. */
export function keyOfProperty(property: ICAL.Property, calendars: readonly ICAL.Component[]): InstantKey | undefined {
	const raw = rawTime(property);
	if (!raw) {
		return undefined;
	}

	const tzid = property.getParameter('tzid');
	return keyOfWallClock(raw.time, raw.utc, typeof tzid === 'string' ? tzid : undefined, calendars);
}

export function sameInstant(a: InstantKey, b: InstantKey): boolean {
	return a.kind === b.kind && a.value === b.value;
}

/** ISO form for people and JSON: `2026-12-01T15:00:00Z`, `2026-12-01T16:00:00` (floating) or `2026-12-01`. */
export function isoOfKey(key: InstantKey): string {
	const v = key.value;
	if (key.kind === 'date') {
		return `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
	}

	return `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}T${v.slice(9, 11)}:${v.slice(11, 13)}:${v.slice(13, 15)}${key.kind === 'utc' ? 'Z' : ''}`;
}
