/** The organizer's event as a CalDAV client reads it from the sandbox's Radicale, for the e2e tests' checks. */
import ICAL from 'ical.js';
import {createCaldavClient} from '../../../lib/caldav/index.ts';
import type {SandboxAccount} from '../../sandbox/index.ts';

export type AttendeeOnServer = {partstat: string; params: Record<string, unknown>};

export type ReadEvent = {
	method: string | undefined;
	/** The master VEVENT (the one without RECURRENCE-ID), or the first when there is none. */
	vevent: ICAL.Component;
	attendees: Map<string, AttendeeOnServer>;
	/** Each override of one occurrence, by its RECURRENCE-ID as written (e.g. 20261208T100000), with its attendees. */
	overrides: Map<string, Map<string, AttendeeOnServer>>;
};

/** A date `days` ahead (YYYY-MM-DD), so that the event is upcoming whenever the test runs. */
export function dateAhead(days: number): string {
	return new Date(Date.now() + (days * 24 * 60 * 60 * 1000)).toISOString().slice(0, 10);
}

function attendeesOf(vevent: ICAL.Component): Map<string, AttendeeOnServer> {
	const attendees = new Map<string, AttendeeOnServer>();
	for (const property of vevent.getAllProperties('attendee')) {
		const address = String(property.getFirstValue()).replace(/^mailto:/i, '').toLowerCase();
		attendees.set(address, {partstat: String(property.getParameter('partstat') ?? 'NEEDS-ACTION'), params: property.toJSON()[1] as Record<string, unknown>});
	}

	return attendees;
}

/** The event's master VEVENT, its top-level METHOD if any, and each ATTENDEE's PARTSTAT by address (lower-case), per override too. */
export function readEvent(ics: string): ReadEvent {
	const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
	const vevents = calendar.getAllSubcomponents('vevent');
	// A REPLY for one occurrence holds only that occurrence's VEVENT.
	const vevent = vevents.find(item => !item.hasProperty('recurrence-id')) ?? vevents[0];
	if (!vevent) {
		throw new Error(`no VEVENT in ${ics}`);
	}

	const overrides = new Map<string, Map<string, AttendeeOnServer>>();
	for (const override of vevents.filter(item => item.hasProperty('recurrence-id'))) {
		// The value as written, without separators: what the RECURRENCE-ID line says.
		overrides.set(String(override.getFirstProperty('recurrence-id')!.toJSON()[3]).replaceAll(/[-:]/g, ''), attendeesOf(override));
	}

	const method = calendar.getFirstPropertyValue('method');
	return {method: method === null ? undefined : String(method), vevent, attendees: attendeesOf(vevent), overrides};
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
