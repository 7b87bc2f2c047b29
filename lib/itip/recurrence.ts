/**
 * Occurrences of a recurring master (RRULE, RDATE, minus EXDATE; RFC 5545 §3.8.5) and per-occurrence overrides
 * (RECURRENCE-ID, RFC 5545 §3.8.4.4).
 */
import ICAL from 'ical.js';
import {cloneComponent} from './calendar.ts';
import {InvalidSpecError} from './errors.ts';
import {keyOfProperty, keyOfWallClock, rawTime, sameInstant, type InstantKey} from './instants.ts';
import {resolveZone} from './timezones.ts';

/**
 * How many RRULE steps locating occurrences may take for one message, in all. Stepping is the only way ical.js has to
 * find an occurrence, and a crafted reply can name instants centuries ahead; 1,000 steps reach about three years of a
 * daily event and nineteen of a weekly one, far beyond the instances anyone answers one by one.
 */
export const maxOccurrenceSteps = 1000;

/** What is left of the steps one message may take; shared by every occurrence it names. */
export type StepBudget = {remaining: number};

export function newStepBudget(): StepBudget {
	return {remaining: maxOccurrenceSteps};
}

/** The organizer's own edits (cancel or move one instance) are no attack: enough for a daily event over 100 years. */
export function organizerStepBudget(): StepBudget {
	return {remaining: 100_000};
}

/** Where an occurrence is, or why it was not found: there is none, or finding out would take too many steps. */
export type OccurrenceSearch = {kind: 'found'; time: ICAL.Time} | {kind: 'absent'} | {kind: 'too-far'};

/** A master's DTSTART as ical.js times: the zone resolved when we can, floating otherwise. */
type StartInfo = {start: ICAL.Time; utc: boolean; tzid: string | undefined; zone: ICAL.Timezone | undefined};

function startInfo(master: ICAL.Component, calendars: readonly ICAL.Component[]): StartInfo | undefined {
	const property = master.getFirstProperty('dtstart');
	const raw = property ? rawTime(property) : undefined;
	if (!property || !raw) {
		return undefined;
	}

	const tzidParameter = property.getParameter('tzid');
	const tzid = typeof tzidParameter === 'string' && !raw.utc && !raw.time.isDate ? tzidParameter : undefined;
	let zone: ICAL.Timezone | undefined = raw.utc ? ICAL.Timezone.utcTimezone : undefined;
	if (tzid) {
		for (const calendar of [...calendars, undefined]) {
			zone = resolveZone(tzid, calendar);
			if (zone) {
				break;
			}
		}
	}

	const start = raw.time.clone();
	if (zone) {
		start.zone = zone;
	}

	return {start, utc: raw.utc, tzid, zone};
}

function keyOfTime(time: ICAL.Time, info: StartInfo): InstantKey {
	if (time.isDate) {
		return {kind: 'date', value: time.toICALString()};
	}

	if (info.zone) {
		const utc = time.convertToZone(ICAL.Timezone.utcTimezone);
		return {kind: 'utc', value: utc.toICALString().replace(/Z?$/, 'Z')};
	}

	return {kind: 'floating', value: time.toICALString().replace(/Z$/, '')};
}

/** True when `candidate` can no longer reach `target` (recurrence sets are produced in ascending order). */
function isPast(candidate: InstantKey, target: InstantKey): boolean {
	return candidate.kind !== target.kind || candidate.value > target.value;
}

/**
 * The start (in the master's own zone) of the master's occurrence at `target`. A UTC RECURRENCE-ID matches a TZID
 * occurrence at the same instant. Costs at most the steps from DTSTART to `target`, and never more than `budget`
 * holds (it is spent); then the answer is `too-far`.
 */
export function findOccurrence(master: ICAL.Component, calendars: readonly ICAL.Component[], target: InstantKey, budget: StepBudget = newStepBudget()): OccurrenceSearch {
	const info = startInfo(master, calendars);
	if (!info) {
		return {kind: 'absent'};
	}

	const excluded = master.getAllProperties('exdate').flatMap(property => exdateKeys(property, calendars));
	const isExcluded = (key: InstantKey): boolean => excluded.some(other => sameInstant(other, key));

	// RFC 5545 §3.8.5.3: DTSTART is always the first instance of the recurrence set.
	const candidates: Array<{time: ICAL.Time; key: InstantKey}> = [{time: info.start, key: keyOfTime(info.start, info)}];

	for (const property of master.getAllProperties('rdate')) {
		const key = keyOfProperty(property, calendars);
		const raw = rawTime(property);
		if (key && raw) {
			// An RDATE may be written in another form than DTSTART (UTC, another TZID); the override must be in
			// DTSTART's zone, so convert through the instant.
			let time = raw.time.clone();
			if (key.kind === 'utc' && info.zone) {
				const v = key.value;
				const utc = ICAL.Time.fromData({
					year: Number(v.slice(0, 4)), month: Number(v.slice(4, 6)), day: Number(v.slice(6, 8)), hour: Number(v.slice(9, 11)), minute: Number(v.slice(11, 13)), second: Number(v.slice(13, 15)), isDate: false,
				}, ICAL.Timezone.utcTimezone);
				time = utc.convertToZone(info.zone);
			}

			candidates.push({time, key});
		}
	}

	const direct = candidates.find(candidate => sameInstant(candidate.key, target) && !isExcluded(candidate.key));
	if (direct) {
		return {kind: 'found', time: direct.time};
	}

	// Nothing before DTSTART is an occurrence (RFC 5545 §3.8.5.3), and finding that out costs no step.
	if (isPast(candidates[0]!.key, target)) {
		return {kind: 'absent'};
	}

	let tooFar = false;
	for (const property of master.getAllProperties('rrule')) {
		const found = searchRule(property, info, target, budget);
		if (found === 'too-far') {
			tooFar = true;
		} else if (found && !isExcluded(found.key)) {
			return {kind: 'found', time: found.time};
		}
	}

	return tooFar ? {kind: 'too-far'} : {kind: 'absent'};
}

/** Walks one RRULE up to `target`, spending `budget`; a rule ical.js cannot expand (malformed parts) yields nothing. */
function searchRule(property: ICAL.Property, info: StartInfo, target: InstantKey, budget: StepBudget): {time: ICAL.Time; key: InstantKey} | 'too-far' | undefined {
	try {
		const rule = property.getFirstValue() as ICAL.Recur;
		// RFC 5545 §3.3.10: nothing after UNTIL; checked without stepping.
		if (rule.until) {
			const until = keyOfTime(rule.until, info);
			if (until.kind === target.kind && until.value < target.value) {
				return undefined;
			}
		}

		const iterator = rule.iterator(info.start.clone());
		while (budget.remaining > 0) {
			budget.remaining--;
			const next = iterator.next();
			if (!next) {
				return undefined;
			}

			const key = keyOfTime(next, info);
			if (sameInstant(key, target)) {
				return {time: next, key};
			}

			if (isPast(key, target)) {
				return undefined;
			}
		}

		return 'too-far';
	} catch {
		// ical.js throws on some malformed rules (e.g. BYDAY without a weekday); such a rule names no occurrence.
	}

	return undefined;
}

function exdateKeys(property: ICAL.Property, calendars: readonly ICAL.Component[]): InstantKey[] {
	// EXDATE may hold several comma-separated values (RFC 5545 §3.8.5.1); check each one.
	const tzid = property.getParameter('tzid');
	const values = property.toJSON().slice(3);
	return values.flatMap((value: unknown) => {
		const single = new ICAL.Property(['exdate', typeof tzid === 'string' ? {tzid} : {}, property.type, value]);
		const key = keyOfProperty(single, calendars);
		return key ? [key] : [];
	});
}

function jcalValue(time: ICAL.Time, utc: boolean): string {
	const text = time.toString().replace(/Z$/, '');
	return utc ? `${text}Z` : text;
}

/**
 * A new override for one occurrence: a copy of the master at that start, with RECURRENCE-ID written the way the
 * master writes DTSTART (RFC 5545 §3.8.4.4: same value type, same TZID) and no RRULE/RDATE/EXDATE of its own.
 */
export function createOverride(master: ICAL.Component, occurrence: ICAL.Time, calendars: readonly ICAL.Component[]): ICAL.Component {
	const override = cloneComponent(master);
	for (const name of ['rrule', 'rdate', 'exdate', 'recurrence-id', 'dtstart', 'dtend']) {
		override.removeAllProperties(name);
	}

	const startProperty = master.getFirstProperty('dtstart');
	const info = startInfo(master, calendars);
	if (!startProperty || !info) {
		return override;
	}

	const [, parameters, type] = startProperty.toJSON() as [string, Record<string, unknown>, string, ...unknown[]];
	const startValue = jcalValue(occurrence, info.utc);
	override.addProperty(new ICAL.Property(['dtstart', structuredClone(parameters), type, startValue]));

	const endProperty = master.getFirstProperty('dtend');
	const endRaw = endProperty ? rawTime(endProperty) : undefined;
	if (endProperty && endRaw) {
		// RFC 5545 §3.8.5.3: every instance lasts as long as the master. Measured on the wall clock of the master's
		// zone when DTEND is written like DTSTART, so 10:00-11:00 stays 10:00-11:00 across a DST change.
		const endTzid = endProperty.getParameter('tzid');
		const sameForm = endRaw.utc === info.utc && endRaw.time.isDate === info.start.isDate && (endRaw.utc || endTzid === startProperty.getParameter('tzid'));
		let end: ICAL.Time;
		if (sameForm || !info.zone) {
			end = floating(occurrence);
			end.addDuration(floating(endRaw.time).subtractDate(floating(info.start)));
		} else {
			// DTEND in another zone than DTSTART: keep the exact length in seconds instead.
			const endKey = keyOfProperty(endProperty, calendars);
			const seconds = endKey?.kind === 'utc' ? unixOfUtcKey(endKey) - info.start.toUnixTime() : 0;
			const instant = ICAL.Time.fromData({year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0}, ICAL.Timezone.utcTimezone);
			instant.fromUnixTime(occurrence.toUnixTime() + seconds);
			end = floating(instant.convertToZone(info.zone));
		}

		override.addProperty(new ICAL.Property(['dtend', structuredClone(parameters), type, jcalValue(end, info.utc)]));
	}

	// DURATION, when the master uses it instead of DTEND, was copied with the clone.
	override.addProperty(new ICAL.Property(['recurrence-id', structuredClone(parameters), type, startValue]));
	return override;
}

/** The same wall-clock fields with no zone, so arithmetic happens on the clock face. */
function floating(time: ICAL.Time): ICAL.Time {
	return ICAL.Time.fromData({
		year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second, isDate: time.isDate,
	});
}

function unixOfUtcKey(key: InstantKey): number {
	const v = key.value;
	return Date.UTC(Number(v.slice(0, 4)), Number(v.slice(4, 6)) - 1, Number(v.slice(6, 8)), Number(v.slice(9, 11)), Number(v.slice(11, 13)), Number(v.slice(13, 15))) / 1000;
}

/**
 * An EXDATE for one occurrence of `master` (as `findOccurrence` returns it), written the way DTSTART is
 * (RFC 5545 §3.8.5.1: same value type; same TZID).
 */
export function exdateFor(master: ICAL.Component, occurrence: ICAL.Time): ICAL.Property {
	const startProperty = master.getFirstProperty('dtstart')!;
	const [, parameters, type] = startProperty.toJSON() as [string, Record<string, unknown>, string];
	const startRaw = rawTime(startProperty);
	return new ICAL.Property(['exdate', structuredClone(parameters), type, jcalValue(occurrence, startRaw?.utc ?? false)]);
}

const isoUtc = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2})(?::?(\d{2}))?Z$/;
const isoLocal = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const isoDate = /^(\d{4})-?(\d{2})-?(\d{2})$/;

/**
 * The instant an occurrence option names (`--occurrence`, `recurrenceId`): `YYYY-MM-DDTHH:mm` on the wall clock of
 * the master's DTSTART zone, `YYYY-MM-DD`, or a UTC instant `…Z`.
 * @throws {InvalidSpecError} for anything else; `field` names the option.
 */
export function occurrenceKey(value: unknown, master: ICAL.Component, calendar: ICAL.Component, field: string): InstantKey {
	if (typeof value !== 'string') {
		throw new InvalidSpecError(field, 'must be a string like "2026-12-08T16:00"');
	}

	const numbers = (match: RegExpExecArray): number[] => [1, 2, 3, 4, 5, 6].map(index => Number(match[index] ?? '0'));
	const utc = isoUtc.exec(value);
	const local = isoLocal.exec(value);
	const date = isoDate.exec(value);
	const dtstart = master.getFirstProperty('dtstart');
	const tzid = dtstart?.getParameter('tzid');
	if (utc) {
		const [year, month, day, hour, minute, second] = numbers(utc) as [number, number, number, number, number, number];
		return keyOfWallClock(ICAL.Time.fromData({year, month, day, hour, minute, second, isDate: false}), true, undefined, []);
	}

	if (local) {
		const [year, month, day, hour, minute, second] = numbers(local) as [number, number, number, number, number, number];
		const startRaw = dtstart ? rawTime(dtstart) : undefined;
		return keyOfWallClock(ICAL.Time.fromData({year, month, day, hour, minute, second, isDate: false}), startRaw?.utc ?? false, typeof tzid === 'string' ? tzid : undefined, [calendar]);
	}

	if (date) {
		const [year, month, day] = numbers(date) as [number, number, number];
		return keyOfWallClock(ICAL.Time.fromData({year, month, day, isDate: true}), false, undefined, []);
	}

	throw new InvalidSpecError(field, `must look like "2026-12-08T16:00", "2026-12-08" or "2026-12-08T15:00:00Z", got ${JSON.stringify(value)}`);
}
