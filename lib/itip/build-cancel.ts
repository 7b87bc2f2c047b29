/**
 * buildCancel: METHOD:CANCEL (RFC 5546 §3.2.5) for a whole event, for some attendees, or for one occurrence,
 * with the stored copy to match.
 */
import ICAL from 'ical.js';
import {addressOf} from './attendee-state.ts';
import {cloneComponent, eventsOf, newCalendar, withMethod} from './calendar.ts';
import {InvalidSpecError} from './errors.ts';
import {keyOfProperty, sameInstant} from './instants.ts';
import {createOverride, exdateFor, findOccurrence, organizerStepBudget} from './recurrence.ts';
import {recurrenceKey, touch, validAttendeeList, validNow} from './organizer-change.ts';
import {serialize} from './serialize.ts';
import {attendeeAddresses, readStoredEvent, type StoredEvent} from './stored-event.ts';
import type {BuiltCancel, CancelOptions} from './types.ts';

/** Properties a CANCEL copies from the cancelled component, besides the required ones (RFC 5546 §3.2.5 table). */
const copiedProperties = ['dtstart', 'dtend', 'duration', 'summary', 'location', 'recurrence-id'];

/**
 * One VEVENT of a CANCEL: UID, DTSTAMP, SEQUENCE and ORGANIZER (all required), the time and summary so the attendee's
 * client can show what was cancelled, and the attendees it is for.
 */
export function cancelComponent(source: ICAL.Component, options: {sequence: number; now: ICAL.Time; attendees: readonly string[] | 'all'; wholeEvent: boolean}): ICAL.Component {
	const event = new ICAL.Component('vevent');
	event.addPropertyWithValue('uid', String(source.getFirstPropertyValue('uid')));
	event.addPropertyWithValue('dtstamp', options.now.clone());
	event.addPropertyWithValue('sequence', options.sequence);
	const organizer = source.getFirstProperty('organizer');
	if (organizer) {
		event.addProperty(new ICAL.Property(structuredClone(organizer.toJSON()) as unknown[]));
	}

	for (const property of source.getAllProperties('attendee')) {
		if (options.attendees === 'all' || options.attendees.includes(addressOf(property))) {
			event.addProperty(new ICAL.Property(structuredClone(property.toJSON()) as unknown[]));
		}
	}

	for (const name of copiedProperties) {
		for (const property of source.getAllProperties(name)) {
			event.addProperty(new ICAL.Property(structuredClone(property.toJSON()) as unknown[]));
		}
	}

	// RFC 5546 §3.2.5: STATUS "MUST be set to CANCELLED to cancel the entire event. If uninviting specific Attendees,
	// then MUST NOT be included."
	if (options.wholeEvent) {
		event.addPropertyWithValue('status', 'CANCELLED');
	}

	return event;
}

/** A CANCEL calendar: METHOD:CANCEL, the VTIMEZONEs of the stored event, and the given VEVENTs. */
export function cancelCalendar(stored: ICAL.Component, events: readonly ICAL.Component[]): ICAL.Component {
	const calendar = newCalendar('CANCEL');
	for (const zone of stored.getAllSubcomponents('vtimezone')) {
		calendar.addSubcomponent(cloneComponent(zone));
	}

	for (const event of events) {
		calendar.addSubcomponent(event);
	}

	return calendar;
}

/**
 * Cancels a whole event, an occurrence, or the event for some attendees.
 *
 * - no options: every attendee gets METHOD:CANCEL with STATUS:CANCELLED; the stored copy is marked CANCELLED too;
 * - `attendees`: only they get the CANCEL (no STATUS), and they are removed from the stored copy;
 * - `recurrenceId`: one occurrence is cancelled for everyone; the stored master gets an EXDATE for it.
 *
 * SEQUENCE goes up by one in every case (RFC 5546 §2.1.4: "MUST be incremented each time the Organizer uses the
 * ... CANCEL" method).
 *
 * @throws {InvalidStoredEventError} when the stored event cannot be read or has no master, UID or ORGANIZER.
 * @throws {InvalidSpecError} when an option is malformed, names someone not invited, or no such occurrence exists.
 */
export function buildCancel(stored: string, options: CancelOptions = {}): BuiltCancel {
	if (typeof options !== 'object' || options === null) {
		throw new InvalidSpecError('options', 'must be an object');
	}

	const event = readStoredEvent(stored);
	const now = validNow(options.now);
	const sequence = event.sequence + 1;
	if (options.attendees !== undefined && options.recurrenceId !== undefined) {
		throw new InvalidSpecError('recurrenceId', 'cannot be combined with attendees: cancel the occurrence for everyone, or remove the attendees from the whole event');
	}

	if (options.recurrenceId !== undefined) {
		return cancelOccurrence(event, options.recurrenceId, sequence, now);
	}

	if (options.attendees !== undefined) {
		return cancelForAttendees(event, validAttendeeList(options.attendees, 'attendees', event), sequence, now);
	}

	const work = cloneComponent(event.calendar);
	for (const component of eventsOf(work)) {
		touch(component, sequence, now);
		component.updatePropertyWithValue('status', 'CANCELLED');
	}

	const recipients = attendeeAddresses(event.calendar, event.organizer);
	const master = seriesCancel(event, 'all', sequence, now, true);
	return {
		uid: event.uid,
		sequence,
		cancel: serialize(cancelCalendar(event.calendar, [master])),
		recipients,
		caldav: serialize(withMethod(work, undefined)),
	};
}

/**
 * RFC 5546 §3.2.5: "To cancel the complete range of a recurring event, the UID property value for the event MUST be
 * specified and a RECURRENCE-ID MUST NOT be specified". One VEVENT made from the master, naming the attendees of
 * every component that the cancellation is for.
 */
export function seriesCancel(event: StoredEvent, addresses: readonly string[] | 'all', sequence: number, now: ICAL.Time, wholeEvent: boolean): ICAL.Component {
	const cancel = cancelComponent(event.master, {sequence, now, attendees: addresses, wholeEvent});
	const listed = new Set(cancel.getAllProperties('attendee').map(property => addressOf(property)));
	for (const component of eventsOf(event.calendar)) {
		for (const property of component.getAllProperties('attendee')) {
			const address = addressOf(property);
			if (!listed.has(address) && (addresses === 'all' || addresses.includes(address))) {
				listed.add(address);
				cancel.addProperty(new ICAL.Property(structuredClone(property.toJSON()) as unknown[]));
			}
		}
	}

	return cancel;
}

/** RFC 5546 §3.2.5: removed attendees get a CANCEL naming them, without STATUS; the others keep the event. */
export function cancelForAttendees(event: StoredEvent, addresses: readonly string[], sequence: number, now: ICAL.Time): BuiltCancel {
	const work = cloneComponent(event.calendar);
	for (const component of eventsOf(work)) {
		for (const property of component.getAllProperties('attendee')) {
			if (addresses.includes(addressOf(property))) {
				component.removeProperty(property);
			}
		}

		touch(component, sequence, now);
	}

	const cancelEvents = [seriesCancel(event, addresses, sequence, now, false)];
	return {
		uid: event.uid,
		sequence,
		cancel: serialize(cancelCalendar(event.calendar, cancelEvents)),
		recipients: [...addresses],
		caldav: serialize(withMethod(work, undefined)),
	};
}

function cancelOccurrence(event: StoredEvent, recurrenceId: unknown, sequence: number, now: ICAL.Time): BuiltCancel {
	if (!event.master.hasProperty('rrule') && !event.master.hasProperty('rdate')) {
		throw new InvalidSpecError('recurrenceId', 'is given, but the event does not repeat; cancel the whole event instead');
	}

	const target = recurrenceKey(recurrenceId, event);
	const events = eventsOf(event.calendar);
	const overrideIndex = events.findIndex(component => {
		const property = component.getFirstProperty('recurrence-id');
		const key = property ? keyOfProperty(property, [event.calendar]) : undefined;
		return key !== undefined && sameInstant(key, target);
	});
	const search = findOccurrence(event.master, [event.calendar], target, organizerStepBudget());
	const occurrence = search.kind === 'found' ? search.time : undefined;
	if (overrideIndex === -1 && !occurrence) {
		throw new InvalidSpecError('recurrenceId', `(${String(recurrenceId)}) is not an occurrence of the event`);
	}

	const override = overrideIndex === -1 ? undefined : events[overrideIndex]!;
	const recurrenceProperty = override?.getFirstProperty('recurrence-id');
	const exdate = occurrence
		? exdateFor(event.master, occurrence)
		: new ICAL.Property(['exdate', ...structuredClone((recurrenceProperty!.toJSON() as unknown[]).slice(1))]);

	// The CANCEL names the occurrence as the attendees know it: the override if there is one, else the master at
	// that start.
	const source = override ?? createOverride(event.master, occurrence!, [event.calendar]);
	const cancel = cancelComponent(source, {sequence, now, attendees: 'all', wholeEvent: true});

	const work = cloneComponent(event.calendar);
	const workEvents = eventsOf(work);
	if (override) {
		work.removeSubcomponent(workEvents[overrideIndex]!);
	}

	const master = workEvents.find(component => !component.hasProperty('recurrence-id'))!;
	// RFC 5546 §2.1.4: an EXDATE change is significant, so the master's SEQUENCE goes up with the CANCEL's.
	master.addProperty(exdate);
	for (const component of eventsOf(work)) {
		touch(component, sequence, now);
	}

	const recipients = source.getAllProperties('attendee').map(property => addressOf(property)).filter(address => address && address !== event.organizer);
	return {
		uid: event.uid,
		sequence,
		cancel: serialize(cancelCalendar(event.calendar, [cancel])),
		recipients,
		caldav: serialize(withMethod(work, undefined)),
	};
}
