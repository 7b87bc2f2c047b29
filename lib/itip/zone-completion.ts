/**
 * Making a received calendar self-contained: every TZID a component uses gets a VTIMEZONE (RFC 5545 §3.2.19: "An
 * individual VTIMEZONE calendar component MUST be specified for each unique TZID parameter value"). Senders leave
 * some out (Apple, Roundcube) and Outlook writes Windows names whose VTIMEZONE starts in 1601 with only today's rule;
 * both get the real rules from our zone data (timezones-ical-library, mapped through windows-iana).
 */
import type ICAL from 'ical.js';
import {isUtcZoneName, isWindowsZoneName, vtimezoneForTzid} from './timezones.ts';

/** The TZID values used by the properties of a component and its subcomponents (VALARM, overrides), in order. */
export function tzidsUsed(component: ICAL.Component): string[] {
	const found = new Set<string>();
	const walk = (current: ICAL.Component): void => {
		if (current.name === 'vtimezone') {
			return;
		}

		for (const property of current.getAllProperties()) {
			const tzid: unknown = property.getParameter('tzid');
			if (typeof tzid === 'string' && tzid !== '') {
				found.add(tzid);
			}
		}

		for (const child of current.getAllSubcomponents()) {
			walk(child);
		}
	};

	walk(component);
	return [...found];
}

/**
 * Adds the missing VTIMEZONEs to `calendar` (in place) and replaces those of Windows zone names with the mapped IANA
 * zone's rules, keeping the TZID as written. Returns the TZIDs nobody knows (their times stay as the sender wrote
 * them, read as floating when no definition comes with them).
 */
export function completeTimeZones(calendar: ICAL.Component): string[] {
	const unknown: string[] = [];
	const zones = [...calendar.getAllSubcomponents('vtimezone')];
	for (const tzid of tzidsUsed(calendar)) {
		if (isUtcZoneName(tzid)) {
			continue;
		}

		const own = zones.find(zone => zone.getFirstPropertyValue('tzid') === tzid);
		if (own && !isWindowsZoneName(tzid)) {
			continue;
		}

		const replacement = vtimezoneForTzid(tzid);
		if (!replacement) {
			if (!own) {
				unknown.push(tzid);
			}

			continue;
		}

		if (own) {
			calendar.removeSubcomponent(own);
		}

		calendar.addSubcomponent(replacement);
	}

	zonesFirst(calendar);
	return unknown;
}

/** Puts the VTIMEZONEs before the other components (in place), as every client writes them: RFC 5545 allows any order, some readers don't. */
export function zonesFirst(calendar: ICAL.Component): ICAL.Component {
	const all = [...calendar.getAllSubcomponents()];
	for (const component of all) {
		calendar.removeSubcomponent(component);
	}

	for (const component of [...all.filter(item => item.name === 'vtimezone'), ...all.filter(item => item.name !== 'vtimezone')]) {
		calendar.addSubcomponent(component);
	}

	return calendar;
}
