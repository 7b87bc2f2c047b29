/**
 * Shared by the CalDAV integration tests: a sandbox started for CalDAV only, event text, PARTSTAT edits done the
 * way the reply loop will (parse, change, serialize), and a fetch that records what went over the wire.
 */
import ICAL from 'ical.js';
import type {RunningSandbox, SandboxAccount} from '../../sandbox/index.ts';

export type Recorded = {method: string; url: string; headers: Headers};

/** A fetch that records each request (method, URL, headers) before passing it to the real one. */
export function recordingFetch(): {fetch: typeof fetch; requests: Recorded[]} {
	const requests: Recorded[] = [];
	return {
		requests,
		fetch: async (input, init) => {
			requests.push({method: init?.method ?? 'GET', url: String(input), headers: new Headers(init?.headers)});
			return fetch(input, init);
		},
	};
}

export function organizerOf(sandbox: RunningSandbox): SandboxAccount {
	return sandbox.accounts.find(account => account.email === 'organizer@sandbox.test')!;
}

/** `<caldav root><id>/calendar/`, the sandbox's one calendar per account. */
export function calendarUrlOf(sandbox: RunningSandbox, account: SandboxAccount): string {
	return new URL(`${account.id}/calendar/`, sandbox.caldav.url).href;
}

let counter = 0;

/** A fresh UID per call, so tests in one sandbox never meet each other's events. */
export function freshUid(label: string): string {
	counter++;
	return `${label}-${counter}-${Date.now()}@purelymail-invites.test`;
}

/** An event as the invite flow stores it: no METHOD, the organizer and two attendees who have not answered. */
export function eventIcs(uid: string, summary = 'Project sync'): string {
	return [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Purelymail Invites//tests//EN',
		'BEGIN:VEVENT',
		`UID:${uid}`,
		'DTSTAMP:20261101T090000Z',
		'DTSTART:20261102T100000Z',
		'DTEND:20261102T110000Z',
		`SUMMARY:${summary}`,
		'SEQUENCE:0',
		'ORGANIZER;CN=Olivia Organizer:mailto:organizer@sandbox.test',
		'ATTENDEE;CN=Alex Attendee;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alex@sandbox.test',
		'ATTENDEE;CN=Sam Attendee;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:sam@sandbox.test',
		'END:VEVENT',
		'END:VCALENDAR',
		'',
	].join('\r\n');
}

function attendee(calendar: ICAL.Component, email: string): ICAL.Property {
	const event = calendar.getFirstSubcomponent('vevent')!;
	const found = event.getAllProperties('attendee').find(property => String(property.getFirstValue()).toLowerCase() === `mailto:${email}`);
	if (!found) {
		throw new Error(`no ATTENDEE ${email}`);
	}

	return found;
}

/** The PARTSTAT of one attendee. */
export function partstatOf(ics: string, email: string): string {
	return String(attendee(new ICAL.Component(ICAL.parse(ics)), email).getParameter('partstat'));
}

/** The event with one attendee's PARTSTAT set, serialized again (a reply applied, in miniature). */
export function withPartstat(ics: string, email: string, partstat: string): string {
	const calendar = new ICAL.Component(ICAL.parse(ics));
	attendee(calendar, email).setParameter('partstat', partstat);
	return calendar.toString();
}
