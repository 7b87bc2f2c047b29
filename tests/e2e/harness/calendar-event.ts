/** The organizer's event as a CalDAV client reads it from the sandbox's Radicale, for the e2e tests' checks. */
import ICAL from 'ical.js';
import {createCaldavClient} from '../../../lib/caldav/index.ts';
import type {SandboxAccount} from '../../sandbox/index.ts';

export type AttendeeOnServer = {partstat: string; params: Record<string, unknown>};

export type ReadEvent = {method: string | undefined; vevent: ICAL.Component; attendees: Map<string, AttendeeOnServer>};

/** A date `days` ahead (YYYY-MM-DD), so that the event is upcoming whenever the test runs. */
export function dateAhead(days: number): string {
	return new Date(Date.now() + (days * 24 * 60 * 60 * 1000)).toISOString().slice(0, 10);
}

/** The event's VEVENT, its top-level METHOD if any, and each ATTENDEE's PARTSTAT by address (lower-case). */
export function readEvent(ics: string): ReadEvent {
	const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
	const vevent = calendar.getFirstSubcomponent('vevent');
	if (!vevent) {
		throw new Error(`no VEVENT in ${ics}`);
	}

	const attendees = new Map<string, AttendeeOnServer>();
	for (const property of vevent.getAllProperties('attendee')) {
		const address = String(property.getFirstValue()).replace(/^mailto:/i, '').toLowerCase();
		attendees.set(address, {partstat: String(property.getParameter('partstat') ?? 'NEEDS-ACTION'), params: property.toJSON()[1] as Record<string, unknown>});
	}

	const method = calendar.getFirstPropertyValue('method');
	return {method: method === null ? undefined : String(method), vevent, attendees};
}

export function uidOf(ics: string): string {
	const uid = /^UID:(.+)$/m.exec(ics.replaceAll(/\r?\n[ \t]/g, ''))?.[1]?.trim();
	if (!uid) {
		throw new Error(`no UID in ${ics}`);
	}

	return uid;
}

/** The organizer's copy of the event `uid` in `calendarUrl`, read the way any CalDAV client would. */
export async function eventOnServer(organizer: SandboxAccount, calendarUrl: string, uid: string): Promise<ReadEvent & {ics: string}> {
	const caldav = createCaldavClient({username: organizer.email, password: organizer.password});
	const found = await caldav.findEventByUid(calendarUrl, uid);
	if (!found) {
		throw new Error(`Radicale has no event ${uid} in ${calendarUrl}`);
	}

	return {...readEvent(found.ics), ics: found.ics};
}
