/**
 * VTIMEZONE definitions. ical.js carries no zone data, so the rules come from `timezones-ical-library`
 * (vzic output of the IANA database), never from rules written by hand here.
 */
import ICAL from 'ical.js';
import {tzlib_get_ical_block, tzlib_get_timezones} from 'timezones-ical-library';

const utcNames = /^(?:etc\/)?(?:utc|uct|gmt|zulu|universal|greenwich|gmt[+-]?0)$/i;

/** True for the names of UTC itself, which we write as `…Z` times without a VTIMEZONE (RFC 5545 §3.3.5 form #2). */
export function isUtcZoneName(name: string): boolean {
	return utcNames.test(name.trim());
}

let knownZones: Set<string> | undefined;

/** True when `timezones-ical-library` has a definition for this IANA name (links such as `Europe/Amsterdam` included). */
export function isKnownTimeZone(name: string): boolean {
	knownZones ??= new Set(tzlib_get_timezones() as string[]);
	return knownZones.has(name);
}

/**
 * A VTIMEZONE component for an IANA zone, with TZID set to the name asked for.
 * The library resolves links (`Europe/Amsterdam` has the rules of `Europe/Brussels`); we keep the user's name
 * so calendars show the zone they picked. Returns undefined for unknown names.
 */
export function vtimezoneFor(name: string): ICAL.Component | undefined {
	// Checked first: the library logs to the console for names it does not know.
	if (!isKnownTimeZone(name)) {
		return undefined;
	}

	const block = tzlib_get_ical_block(name);
	const text = Array.isArray(block) ? block[0] : undefined;
	if (!text) {
		return undefined;
	}

	const component = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${text}\r\nEND:VCALENDAR\r\n`)).getFirstSubcomponent('vtimezone');
	if (!component) {
		return undefined;
	}

	component.updatePropertyWithValue('tzid', name);
	component.updatePropertyWithValue('x-lic-location', name);
	return component;
}

/**
 * The zone a TZID names, for turning local times into instants: the calendar's own VTIMEZONE first
 * (RFC 5545 §3.2.19 says it must be there), then the library's definition for that IANA name.
 */
export function resolveZone(tzid: string, calendar?: ICAL.Component): ICAL.Timezone | undefined {
	if (isUtcZoneName(tzid)) {
		return ICAL.Timezone.utcTimezone;
	}

	const own = calendar?.getTimeZoneByID(tzid) as ICAL.Timezone | null | undefined;
	if (own) {
		return own;
	}

	const component = vtimezoneFor(tzid);
	return component ? new ICAL.Timezone({component, tzid}) : undefined;
}
