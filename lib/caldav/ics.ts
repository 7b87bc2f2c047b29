/**
 * What lib/caldav checks before it writes: a calendar, no top-level METHOD, the right UID. Line-based on purpose
 * (lib/ical-lines.ts, no full parse): it must run on every PUT and accept whatever the server returns.
 */
import {topLevelMethod, uidOf} from '../ical-lines.ts';
import {CaldavInvalidObject} from './errors.ts';

/** Whether the text starts as an iCalendar object (a BOM and blank lines allowed). */
function isCalendar(ics: string): boolean {
	return /^\uFEFF?\s*BEGIN:VCALENDAR\r?\n/i.test(ics);
}

/**
 * Refuses what must not be PUT: anything but a VCALENDAR, a top-level METHOD (RFC 4791 §4.1: a calendar object
 * resource carries no METHOD; Purelymail rejects the PUT) and, when `uid` is given, another UID.
 * @throws {CaldavInvalidObject}
 */
export function assertStorable(ics: string, uid?: string): void {
	if (typeof ics !== 'string' || !isCalendar(ics)) {
		throw new CaldavInvalidObject('ics must be iCalendar text starting with BEGIN:VCALENDAR');
	}

	const method = topLevelMethod(ics);
	if (method !== undefined) {
		throw new CaldavInvalidObject(`ics has METHOD:${method}; a stored event must not carry METHOD (RFC 4791 §4.1), remove it before writing`);
	}

	if (uid !== undefined && uidOf(ics) !== uid) {
		throw new CaldavInvalidObject(`ics has UID ${JSON.stringify(uidOf(ics) ?? null)}, not ${JSON.stringify(uid)}`);
	}
}
