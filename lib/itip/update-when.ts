/**
 * The time and repeat part of an organizer's update (RFC 5546 §2.1.4): the new DTSTART/DTEND and RRULE, and the
 * series' EXDATEs and overrides moved to where the same occurrences now fall.
 */
import ICAL from 'ical.js';
import {eventsOf} from './calendar.ts';
import {InvalidSpecError} from './errors.ts';
import {parseWhen, recurrenceRule, setTimeProperty, zoneFor, type When} from './event-fields.ts';
import {keyOfProperty, rawTime, sameInstant} from './instants.ts';
import {findOccurrence, organizerStepBudget} from './recurrence.ts';
import type {StoredEvent} from './stored-event.ts';
import {isKnownTimeZone} from './timezones.ts';
import type {EventChanges} from './types.ts';

/** The stored DTSTART/DTEND as a `When`, for a new rule's UNTIL and for remapping when only the rule changes. */
function storedWhen(event: StoredEvent): When {
	const dtstart = event.master.getFirstProperty('dtstart');
	const raw = dtstart ? rawTime(dtstart) : undefined;
	if (!dtstart || !raw) {
		throw new InvalidSpecError('start', 'must be given: the stored event has no usable DTSTART');
	}

	const dtend = event.master.getFirstProperty('dtend');
	const endRaw = dtend ? rawTime(dtend) : undefined;
	const duration: unknown = event.master.getFirstProperty('duration')?.getFirstValue();
	const end = endRaw?.time.clone() ?? raw.time.clone();
	if (!endRaw && duration instanceof ICAL.Duration) {
		end.addDuration(duration);
	}

	const tzid = dtstart.getParameter('tzid');
	if (raw.time.isDate) {
		return {start: raw.time, end, allDay: true, tzid: undefined, vtimezone: undefined, zone: ICAL.Timezone.localTimezone};
	}

	const zone = raw.utc || typeof tzid !== 'string' || !isKnownTimeZone(tzid) ? zoneFor('UTC', 'timeZone') : zoneFor(tzid, 'timeZone');
	const start = raw.time.clone();
	start.zone = zone.zone;
	end.zone = zone.zone;
	return {start, end, allDay: false, ...zone, tzid: raw.utc || typeof tzid !== 'string' ? undefined : tzid};
}

/** The IANA zone the stored event is written in, as the default for a new start/end. */
export function storedTimeZone(event: StoredEvent): string {
	const dtstart = event.master.getFirstProperty('dtstart');
	const raw = dtstart ? rawTime(dtstart) : undefined;
	const tzid = dtstart?.getParameter('tzid');
	if (raw?.utc || raw?.time.isDate || tzid === undefined) {
		return 'UTC';
	}

	if (typeof tzid !== 'string' || !isKnownTimeZone(tzid)) {
		throw new InvalidSpecError('timeZone', `must be given: the stored zone ${String(tzid)} is not an IANA name`);
	}

	return tzid;
}

function jcalOf(property: ICAL.Property | null): string {
	return property ? JSON.stringify(property.toJSON()) : '';
}

/** A wall-clock copy of a time, without zone, so arithmetic happens on the clock face. */
function floating(time: ICAL.Time): ICAL.Time {
	return ICAL.Time.fromData({
		year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second, isDate: time.isDate,
	});
}

/**
 * After a new DTSTART, moves EXDATEs and overrides' RECURRENCE-IDs to where the same occurrences now fall: the same
 * number of days from the new start, at the new time of day. Those that no longer name an occurrence are dropped
 * (RFC 5545 §3.8.4.4: a RECURRENCE-ID names an occurrence of the recurrence set).
 */
function remapSeries(work: ICAL.Component, master: ICAL.Component, oldStart: ICAL.Time, when: When): void {
	const startProperty = master.getFirstProperty('dtstart')!;
	const [, parameters, type] = startProperty.toJSON() as [string, Record<string, unknown>, string];
	const utc = !when.allDay && when.tzid === undefined;
	const newProperty = (name: string, value: string): ICAL.Property => new ICAL.Property([name, structuredClone(parameters), type, value]);
	const move = (property: ICAL.Property): string | undefined => {
		const raw = rawTime(property);
		if (!raw) {
			return undefined;
		}

		const days = Math.round(floating(raw.time).subtractDate(floating(oldStart)).toSeconds() / 86_400);
		const moved = ICAL.Time.fromData({year: when.start.year, month: when.start.month, day: when.start.day, isDate: true});
		moved.addDuration(ICAL.Duration.fromSeconds(days * 86_400));
		if (when.allDay) {
			return moved.toString();
		}

		const time = ICAL.Time.fromData({year: moved.year, month: moved.month, day: moved.day, hour: when.start.hour, minute: when.start.minute, second: when.start.second, isDate: false});
		return `${time.toString()}${utc ? 'Z' : ''}`;
	};

	const isOccurrence = (value: string): boolean => {
		const key = keyOfProperty(newProperty('recurrence-id', value), [work]);
		return key !== undefined && findOccurrence(master, [work], key, organizerStepBudget()).kind === 'found';
	};

	const exdates = master.getAllProperties('exdate').flatMap(property => {
		const [, exdateParameters, exdateType, ...values] = property.toJSON() as [string, Record<string, unknown>, string, ...unknown[]];
		return values.map(value => new ICAL.Property(['exdate', exdateParameters, exdateType, value]));
	});
	master.removeAllProperties('exdate');
	const kept = exdates.map(exdate => move(exdate)).filter((value): value is string => value !== undefined && isOccurrence(value));
	for (const value of kept) {
		master.addProperty(newProperty('exdate', value));
	}

	for (const override of eventsOf(work).filter(event => event !== master)) {
		const recurrence = override.getFirstProperty('recurrence-id');
		const value = recurrence ? move(recurrence) : undefined;
		if (!recurrence || !value || !isOccurrence(value)) {
			work.removeSubcomponent(override);
			continue;
		}

		// An override keeps its own start if the organizer had moved that occurrence; one that only held replies
		// (start equal to its RECURRENCE-ID) moves with the series.
		const ownStart = override.getFirstProperty('dtstart');
		const ownKey = ownStart ? keyOfProperty(ownStart, [work]) : undefined;
		const oldKey = keyOfProperty(recurrence, [work]);
		const wasMoved = !ownKey || !oldKey || !sameInstant(ownKey, oldKey);
		override.removeAllProperties('recurrence-id');
		override.addProperty(newProperty('recurrence-id', value));
		if (!wasMoved) {
			for (const name of ['dtstart', 'dtend', 'duration']) {
				override.removeAllProperties(name);
			}

			override.addProperty(newProperty('dtstart', value));
			const end = floating(rawTime(newProperty('dtstart', value))!.time);
			end.addDuration(floating(when.end).subtractDate(floating(when.start)));
			override.addProperty(newProperty('dtend', `${end.toString()}${utc ? 'Z' : ''}`));
		}
	}
}

/**
 * Applies `changes`' start, end, zone, all-day and repeat to `master` (in `work`, a copy of the stored calendar)
 * and says what changed. Work out the new DTSTART/DTEND first, since a new rule's UNTIL is read in the new zone.
 */
export function changeWhen(work: ICAL.Component, master: ICAL.Component, event: StoredEvent, changes: EventChanges): {timeChanged: boolean; recurrenceChanged: boolean} {
	const storedStart = master.getFirstProperty('dtstart');
	const storedRaw = storedStart ? rawTime(storedStart) : undefined;
	let when: When | undefined;
	if (changes.start !== undefined || changes.end !== undefined || changes.timeZone !== undefined || changes.allDay !== undefined) {
		if (changes.start === undefined || changes.end === undefined) {
			throw new InvalidSpecError(changes.start === undefined ? 'start' : 'end', 'must be given together with the other end of the event');
		}

		when = parseWhen({
			start: changes.start,
			end: changes.end,
			timeZone: changes.timeZone ?? storedTimeZone(event),
			allDay: changes.allDay ?? storedRaw?.time.isDate ?? false,
		});
	}

	let timeChanged = false;
	if (when) {
		const probe = new ICAL.Component('vevent');
		setTimeProperty(probe, 'dtstart', when.start, when.tzid);
		setTimeProperty(probe, 'dtend', when.end, when.tzid);
		const before = jcalOf(master.getFirstProperty('dtstart')) + jcalOf(master.getFirstProperty('dtend')) + jcalOf(master.getFirstProperty('duration'));
		timeChanged = jcalOf(probe.getFirstProperty('dtstart')) + jcalOf(probe.getFirstProperty('dtend')) !== before;
	}

	let rule: ICAL.Recur | null | undefined;
	let recurrenceChanged = false;
	if (changes.repeat !== undefined) {
		const before = master.getAllProperties('rrule').map(property => jcalOf(property)).join();
		rule = changes.repeat === null ? null : recurrenceRule(changes.repeat, when ?? storedWhen(event));
		const probe = new ICAL.Component('vevent');
		if (rule) {
			probe.addPropertyWithValue('rrule', rule);
		}

		recurrenceChanged = probe.getAllProperties('rrule').map(property => jcalOf(property)).join() !== before;
	}

	if (recurrenceChanged) {
		master.removeAllProperties('rrule');
		if (rule) {
			master.addPropertyWithValue('rrule', rule);
		} else {
			// No longer repeating: occurrences, and with them EXDATEs, RDATEs and overrides, are gone.
			for (const name of ['rdate', 'exdate']) {
				master.removeAllProperties(name);
			}
		}
	}

	if (timeChanged && when) {
		master.removeAllProperties('duration');
		setTimeProperty(master, 'dtstart', when.start, when.tzid);
		setTimeProperty(master, 'dtend', when.end, when.tzid);
		if (when.vtimezone && !work.getAllSubcomponents('vtimezone').some(zone => zone.getFirstPropertyValue('tzid') === when.tzid)) {
			work.addSubcomponent(when.vtimezone);
		}
	}

	if (timeChanged || recurrenceChanged) {
		if (storedRaw && (master.hasProperty('rrule') || master.hasProperty('rdate'))) {
			remapSeries(work, master, storedRaw.time, when ?? storedWhen(event));
		} else {
			for (const override of eventsOf(work).filter(component => component !== master)) {
				work.removeSubcomponent(override);
			}
		}
	}

	return {timeChanged, recurrenceChanged};
}
