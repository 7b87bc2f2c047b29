/**
 * VTIMEZONE definitions. ical.js carries no zone data, so the rules come from `timezones-ical-library`
 * (vzic output of the IANA database), never from rules written by hand here.
 */
import ICAL from 'ical.js';
import {tzlib_get_ical_block, tzlib_get_timezones} from 'timezones-ical-library';
import {findIana} from 'windows-iana';

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
 * The IANA zone a TZID stands for: itself when it is an IANA name, else the zone CLDR's windowsZones mapping gives
 * for a Windows name such as `W. Europe Standard Time` (Outlook and Exchange write those), through `windows-iana`.
 * Undefined when neither knows it.
 */
export function ianaZoneName(tzid: string): string | undefined {
	const name = tzid.trim().replace(/^"(.*)"$/, '$1');
	if (isKnownTimeZone(name)) {
		return name;
	}

	// findIana lists the zone for territory 001 (CLDR's "golden zone") first.
	const [first] = findIana(name);
	return first !== undefined && isKnownTimeZone(first) ? first : undefined;
}

/** True for a Windows zone name that maps to an IANA zone (and is not itself an IANA name). */
export function isWindowsZoneName(tzid: string): boolean {
	const iana = ianaZoneName(tzid);
	return iana !== undefined && iana !== tzid.trim().replace(/^"(.*)"$/, '$1');
}

/**
 * A VTIMEZONE with the real rules of the IANA zone `tzid` stands for (see `ianaZoneName`), its TZID kept as written
 * so the properties that name it still match. Undefined for names we cannot map.
 */
export function vtimezoneForTzid(tzid: string): ICAL.Component | undefined {
	const iana = ianaZoneName(tzid);
	const component = iana === undefined ? undefined : vtimezoneFor(iana);
	if (component && iana !== tzid) {
		component.updatePropertyWithValue('tzid', tzid);
		component.updatePropertyWithValue('x-lic-location', iana);
	}

	return component;
}

/**
 * The zone a TZID names, for turning local times into instants. A Windows name takes the mapped IANA zone's rules,
 * even over the sender's own VTIMEZONE: Outlook's are hand-made per message (starting in 1601, sometimes without the
 * DST part for zones Windows got wrong), while the IANA data is the one every calendar and `Intl` agree on. Otherwise the calendar's own VTIMEZONE first (RFC 5545 §3.2.19 says it must be there), then the library's
 * definition for that IANA name.
 */
export function resolveZone(tzid: string, calendar?: ICAL.Component): ICAL.Timezone | undefined {
	if (isUtcZoneName(tzid)) {
		return ICAL.Timezone.utcTimezone;
	}

	const windows = isWindowsZoneName(tzid);
	const own = windows ? undefined : calendar?.getTimeZoneByID(tzid) as ICAL.Timezone | null | undefined;
	if (own) {
		return own;
	}

	return libraryZone(tzid);
}

/** Zones built from our zone data, by TZID: parsing a definition costs far more than the lookups that need it. */
const libraryZones = new Map<string, ICAL.Timezone | undefined>();

function libraryZone(tzid: string): ICAL.Timezone | undefined {
	if (!libraryZones.has(tzid)) {
		const component = vtimezoneForTzid(tzid);
		libraryZones.set(tzid, component ? new ICAL.Timezone({component, tzid}) : undefined);
	}

	return libraryZones.get(tzid);
}
