/**
 * buildInvite: the organizer's new event, as an iTIP REQUEST for mail and as a CalDAV resource.
 */
import ICAL from 'ical.js';
import {newCalendar, utcStamp, withMethod} from './calendar.ts';
import {InvalidSpecError} from './errors.ts';
import {
	attendeeProperty,
	emailAddress,
	optionalName,
	optionalText,
	organizerAsAttendee,
	organizerProperty,
	parseWhen,
	recurrenceRule,
	setTimeProperty,
	validateAttendees,
} from './event-fields.ts';
import {serialize} from './serialize.ts';
import type {BuiltInvite, InviteSpec} from './types.ts';

function newUid(): string {
	// RFC 7986 §5.3 recommends a UUID (RFC 4122) as UID; RFC 5545 §3.8.4.7 only asks for global uniqueness.
	return globalThis.crypto.randomUUID();
}

function validUid(value: unknown): string {
	if (value === undefined) {
		return newUid();
	}

	// eslint-disable-next-line no-control-regex -- a UID with control characters could not survive a round trip
	if (typeof value !== 'string' || value.trim() === '' || /[\u0000-\u001F\u007F]/.test(value)) {
		throw new InvalidSpecError('uid', 'must be non-empty text on one line');
	}

	return value;
}

/**
 * Builds a new event from a spec: one VEVENT, returned as the iTIP REQUEST (METHOD:REQUEST, RFC 5546 §3.2.2) to mail
 * to the attendees and as the CalDAV copy without METHOD (RFC 4791 §4.1: a calendar object resource MUST NOT carry
 * METHOD; Purelymail rejects a PUT that does).
 *
 * @throws {InvalidSpecError} when a field of the spec is missing or malformed; `error.field` names it.
 * @example
 * const {uid, request, caldav} = buildInvite({
 * 	organizer: {email: 'me@example.com', name: 'Me'},
 * 	attendees: [{email: 'ann@example.org'}],
 * 	summary: 'Planning', start: '2026-12-01T16:00', end: '2026-12-01T17:00', timeZone: 'Europe/Berlin',
 * });
 */
export function buildInvite(spec: InviteSpec): BuiltInvite {
	if (typeof spec !== 'object' || spec === null) {
		throw new InvalidSpecError('spec', 'must be an object');
	}

	if (typeof spec.organizer !== 'object' || spec.organizer === null) {
		throw new InvalidSpecError('organizer', 'must be an object with email and name');
	}

	const organizer = emailAddress(spec.organizer.email, 'organizer.email');
	const organizerName = optionalName(spec.organizer.name, 'organizer.name');
	const attendees = validateAttendees(spec.attendees, 'attendees', organizer);
	// RFC 5546 §3.2.2: a REQUEST names its attendees; with nobody but the organizer there is nobody to invite.
	if (attendees.length === 0) {
		throw new InvalidSpecError('attendees', 'must list at least one person besides the organizer');
	}

	const summary = optionalText(spec.summary, 'summary');
	if (summary === undefined || summary.trim() === '') {
		throw new InvalidSpecError('summary', 'must be non-empty text');
	}

	const location = optionalText(spec.location, 'location');
	const description = optionalText(spec.description, 'description');
	const when = parseWhen(spec, '');
	const rule = spec.repeat === undefined ? undefined : recurrenceRule(spec.repeat, when);
	const uid = validUid(spec.uid);
	if (spec.now !== undefined && (!(spec.now instanceof Date) || Number.isNaN(spec.now.getTime()))) {
		throw new InvalidSpecError('now', 'must be a valid Date');
	}

	const now = utcStamp(spec.now ?? new Date());

	const calendar = newCalendar();
	if (when.vtimezone) {
		calendar.addSubcomponent(when.vtimezone);
	}

	const event = new ICAL.Component('vevent');
	event.addPropertyWithValue('uid', uid);
	// RFC 5545 §3.8.7.2 DTSTAMP; §3.8.7.1 CREATED; §3.8.7.3 LAST-MODIFIED (all UTC).
	event.addPropertyWithValue('dtstamp', now.clone());
	event.addPropertyWithValue('created', now.clone());
	event.addPropertyWithValue('last-modified', now.clone());
	// RFC 5545 §3.8.7.4: the first version of a component is SEQUENCE 0.
	event.addPropertyWithValue('sequence', 0);
	event.addProperty(organizerProperty(organizer, organizerName));
	event.addProperty(organizerAsAttendee(organizer, organizerName));
	for (const attendee of attendees) {
		event.addProperty(attendeeProperty(attendee));
	}

	event.addPropertyWithValue('summary', summary);
	if (description) {
		event.addPropertyWithValue('description', description);
	}

	if (location) {
		event.addPropertyWithValue('location', location);
	}

	event.addPropertyWithValue('status', 'CONFIRMED');
	setTimeProperty(event, 'dtstart', when.start, when.tzid);
	setTimeProperty(event, 'dtend', when.end, when.tzid);
	if (rule) {
		event.addPropertyWithValue('rrule', rule);
	}

	calendar.addSubcomponent(event);

	return {
		uid,
		request: serialize(withMethod(calendar, 'REQUEST')),
		caldav: serialize(calendar),
		recipients: attendees.map(attendee => attendee.email),
	};
}
