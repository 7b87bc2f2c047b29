/**
 * Small ical.js helpers shared by the builders and the reply logic: parsing without throwing,
 * the VCALENDAR envelope, and cloning.
 */
import ICAL from 'ical.js';

/** PRODID of everything we write (RFC 5545 §3.7.3). */
export const productId = '-//Purelymail Invites//iTIP//EN';

export type ParseResult = {ok: true; calendar: ICAL.Component} | {ok: false; reason: string};

/**
 * Parses iCalendar text into its VCALENDAR, never throwing. Accepts LF-only line ends and tab folding
 * (both seen from Outlook). When the text holds several VCALENDARs, the first is used.
 */
export function parseCalendar(text: string): ParseResult {
	if (typeof text !== 'string' || text.trim() === '') {
		return {ok: false, reason: 'it is empty'};
	}

	let jcal: unknown;
	try {
		jcal = ICAL.parse(text);
	} catch (error) {
		return {ok: false, reason: error instanceof Error ? error.message : String(error)};
	}

	const first: unknown = Array.isArray(jcal) && typeof jcal[0] !== 'string' ? jcal[0] : jcal;
	if (!Array.isArray(first) || typeof first[0] !== 'string') {
		return {ok: false, reason: 'it holds no iCalendar object'};
	}

	const calendar = new ICAL.Component(first as unknown[]);
	if (calendar.name !== 'vcalendar') {
		return {ok: false, reason: `it holds a ${calendar.name.toUpperCase()}, not a VCALENDAR`};
	}

	return {ok: true, calendar};
}

/** A fresh VCALENDAR with PRODID and VERSION (RFC 5545 §3.6), and METHOD when given (RFC 5546 §1.4). */
export function newCalendar(method?: string): ICAL.Component {
	const calendar = new ICAL.Component(['vcalendar', [], []]);
	calendar.addPropertyWithValue('prodid', productId);
	calendar.addPropertyWithValue('version', '2.0');
	calendar.addPropertyWithValue('calscale', 'GREGORIAN');
	if (method) {
		calendar.addPropertyWithValue('method', method);
	}

	return calendar;
}

/** A deep copy that shares nothing with the original (ical.js components wrap mutable jCal arrays). */
export function cloneComponent(component: ICAL.Component): ICAL.Component {
	return new ICAL.Component(structuredClone(component.toJSON()) as unknown[]);
}

/** The same calendar with its METHOD set to `method` (written first, by convention), or removed when undefined. */
export function withMethod(calendar: ICAL.Component, method: string | undefined): ICAL.Component {
	const jcal = structuredClone(calendar.toJSON()) as [string, unknown[][], unknown[]];
	const properties = jcal[1].filter(property => property[0] !== 'method');
	jcal[1] = method ? [['method', {}, 'text', method], ...properties] : properties;
	return new ICAL.Component(jcal);
}

/** UTC date-time at second precision, for DTSTAMP, CREATED and LAST-MODIFIED (RFC 5545 §3.8.7). */
export function utcStamp(date: Date): ICAL.Time {
	const time = ICAL.Time.fromJSDate(new Date(Math.floor(date.getTime() / 1000) * 1000), true);
	return time;
}

/** The VEVENTs of a calendar. */
export function eventsOf(calendar: ICAL.Component): ICAL.Component[] {
	return calendar.getAllSubcomponents('vevent');
}

/** The VEVENT without RECURRENCE-ID (the master), if any. */
export function masterOf(calendar: ICAL.Component): ICAL.Component | undefined {
	return eventsOf(calendar).find(event => !event.hasProperty('recurrence-id'));
}

/** SEQUENCE as a number, 0 when absent or malformed (RFC 5545 §3.8.7.4 default). */
export function sequenceOf(event: ICAL.Component): number {
	const value: unknown = event.getFirstPropertyValue('sequence');
	const number = typeof value === 'number' ? value : Number.parseInt(String(value ?? '0'), 10);
	return Number.isSafeInteger(number) && number >= 0 ? number : 0;
}

/** The revision of an event: the highest SEQUENCE of any of its components (RFC 5546 §2.1.4), 0 for none. */
export function revisionOf(calendar: ICAL.Component): number {
	return Math.max(0, ...eventsOf(calendar).map(event => sequenceOf(event)));
}
