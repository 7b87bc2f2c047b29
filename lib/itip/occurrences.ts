/**
 * A repeating event as the popup shows it: the starts still to come (RRULE and RDATE minus EXDATE, RFC 5545 §3.8.5)
 * and the answers given for single occurrences (overrides, RFC 5545 §3.8.4.4).
 */
import ICAL from 'ical.js';
import {addressOf, readState} from './attendee-state.ts';
import {eventsOf, masterOf, parseCalendar} from './calendar.ts';
import {isoOfKey, keyOfProperty, rawTime} from './instants.ts';
import {resolveZone} from './timezones.ts';
import type {PartStat} from './types.ts';

/** Enough to step over years of past daily occurrences; a guard against rules that never end. */
const maxSteps = 20_000;

function isoOf(time: ICAL.Time, utc: boolean, zone: ICAL.Timezone | undefined): string {
	if (time.isDate) {
		return time.toString();
	}

	if (zone) {
		const copy = time.clone();
		copy.zone = zone;
		return `${copy.convertToZone(ICAL.Timezone.utcTimezone).toString().replace(/Z?$/, '')}Z`;
	}

	return utc ? `${time.toString().replace(/Z?$/, '')}Z` : time.toString();
}

/** Up to `limit` starts of the series at or after `after`, ISO (UTC instants, or dates), in order. */
export function upcomingStarts(ics: string, after: Date, limit: number): string[] {
	// Most events do not repeat: no need to parse them again (this runs on every write of an event).
	if (!/^(RRULE|RDATE)[:;]/m.test(ics)) {
		return [];
	}

	const parsed = parseCalendar(ics);
	const master = parsed.ok ? masterOf(parsed.calendar) : undefined;
	const dtstart = master?.getFirstProperty('dtstart');
	const raw = dtstart ? rawTime(dtstart) : undefined;
	// A one-off event has no further starts; the zone work below is the costly part, so skip it.
	if (!parsed.ok || !master || !dtstart || !raw || (!master.hasProperty('rrule') && !master.hasProperty('rdate'))) {
		return [];
	}

	const tzid = dtstart.getParameter('tzid');
	const zone = raw.utc ? ICAL.Timezone.utcTimezone : typeof tzid === 'string' ? resolveZone(tzid, parsed.calendar) : undefined;
	const start = raw.time.clone();
	if (zone) {
		start.zone = zone;
	}

	const excluded = new Set(master.getAllProperties('exdate').flatMap(property => {
		const values = property.toJSON().slice(3);
		return values.map((value: unknown) => {
			const single = new ICAL.Property(['exdate', typeof tzid === 'string' ? {tzid} : {}, property.type, value]);
			const key = keyOfProperty(single, [parsed.calendar]);
			return key ? isoOfKey(key) : '';
		});
	}));
	const from = after.toISOString().replace(/\.\d+Z$/, 'Z');
	const isUpcoming = (iso: string): boolean => (iso.length === 10 ? iso >= from.slice(0, 10) : iso >= from) && !excluded.has(iso);
	const starts = new Set<string>();
	const first = isoOf(start, raw.utc, zone);
	if (isUpcoming(first)) {
		starts.add(first);
	}

	for (const property of master.getAllProperties('rrule')) {
		try {
			const iterator = (property.getFirstValue() as ICAL.Recur).iterator(start.clone());
			for (let step = 0, found = 0; step < maxSteps && found < limit; step++) {
				const next = iterator.next();
				if (!next) {
					break;
				}

				const iso = isoOf(next, raw.utc, zone);
				if (isUpcoming(iso)) {
					starts.add(iso);
					found++;
				}
			}
		} catch {
			// A rule ical.js cannot expand names no further occurrences.
		}
	}

	for (const property of master.getAllProperties('rdate')) {
		const key = keyOfProperty(property, [parsed.calendar]);
		if (key && isUpcoming(isoOfKey(key))) {
			starts.add(isoOfKey(key));
		}
	}

	return [...starts].sort().slice(0, limit);
}

export type OccurrenceAnswerEntry = {recurrenceId: string; email: string; name?: string; partstat: PartStat};

/** Each attendee's answer on an override where it differs from their answer to the series. */
export function occurrenceAnswers(ics: string): OccurrenceAnswerEntry[] {
	if (!/^RECURRENCE-ID[:;]/m.test(ics)) {
		return [];
	}

	const parsed = parseCalendar(ics);
	const master = parsed.ok ? masterOf(parsed.calendar) : undefined;
	if (!parsed.ok || !master) {
		return [];
	}

	const organizerProperty = master.getFirstProperty('organizer');
	const organizer = organizerProperty ? addressOf(organizerProperty) : '';
	const series = new Map(master.getAllProperties('attendee').map(property => [addressOf(property), readState(property).partstat]));
	const answers: OccurrenceAnswerEntry[] = [];
	for (const override of eventsOf(parsed.calendar).filter(event => event !== master)) {
		const recurrence = override.getFirstProperty('recurrence-id');
		const key = recurrence ? keyOfProperty(recurrence, [parsed.calendar]) : undefined;
		if (!key) {
			continue;
		}

		for (const property of override.getAllProperties('attendee')) {
			const email = addressOf(property);
			const {partstat} = readState(property);
			if (email && email !== organizer && partstat !== series.get(email)) {
				const name = property.getParameter('cn');
				answers.push({recurrenceId: isoOfKey(key), email, ...(typeof name === 'string' && name ? {name} : {}), partstat});
			}
		}
	}

	return answers.sort((a, b) => a.recurrenceId.localeCompare(b.recurrenceId));
}
