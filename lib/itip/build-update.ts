/**
 * buildUpdate: the organizer changes an event already sent. Returns the new stored copy, a REQUEST for the attendees
 * who need one, and a CANCEL for those taken off. The time and repeat part is in update-when.ts.
 */
import type ICAL from 'ical.js';
import {addressOf} from './attendee-state.ts';
import {cancelCalendar, seriesCancel} from './build-cancel.ts';
import {cloneComponent, eventsOf, masterOf, withMethod} from './calendar.ts';
import {InvalidSpecError} from './errors.ts';
import {attendeeProperty, optionalText, validateAttendees} from './event-fields.ts';
import {isSignificant, resetsAnswers, touch, validAttendeeList, validNow} from './organizer-change.ts';
import {resetAnswers} from './reset-answers.ts';
import {serialize} from './serialize.ts';
import {attendeeAddresses, readStoredEvent, type StoredEvent} from './stored-event.ts';
import type {BuiltUpdate, ChangedField, EventChanges} from './types.ts';
import {changeWhen} from './update-when.ts';

const knownKeys = new Set(['summary', 'description', 'location', 'start', 'end', 'timeZone', 'allDay', 'repeat', 'addAttendees', 'removeAttendees', 'now']);

/** Sets or removes a TEXT property on the master and on the overrides that still had the master's old value. */
function setText(events: readonly ICAL.Component[], master: ICAL.Component, name: string, value: string): boolean {
	const old = master.getFirstPropertyValue(name) as string | null;
	if ((old ?? '') === value) {
		return false;
	}

	for (const event of events) {
		const current = event.getFirstPropertyValue(name) as string | null;
		if (event === master || current === old) {
			if (value === '') {
				event.removeAllProperties(name);
			} else {
				event.updatePropertyWithValue(name, value);
			}
		}
	}

	return true;
}

/** Adds and removes attendees on every component of `work`; an address may not be both, nor added twice. */
function changeAttendees(work: ICAL.Component, event: StoredEvent, changes: EventChanges): {added: ReturnType<typeof validateAttendees>; removed: string[]} {
	const added = changes.addAttendees === undefined ? [] : validateAttendees(changes.addAttendees, 'addAttendees', event.organizer);
	const invited = new Set(attendeeAddresses(event.calendar, event.organizer));
	for (const [index, attendee] of added.entries()) {
		if (invited.has(attendee.email)) {
			throw new InvalidSpecError(`addAttendees[${index}].email`, `(${attendee.email}) is already invited`);
		}
	}

	const removed = changes.removeAttendees === undefined ? [] : validAttendeeList(changes.removeAttendees, 'removeAttendees', event);
	for (const [index, address] of removed.entries()) {
		if (added.some(attendee => attendee.email === address)) {
			throw new InvalidSpecError(`removeAttendees[${index}]`, `(${address}) is also in addAttendees`);
		}
	}

	for (const component of eventsOf(work)) {
		for (const property of component.getAllProperties('attendee')) {
			if (removed.includes(addressOf(property))) {
				component.removeProperty(property);
			}
		}

		for (const attendee of added) {
			component.addProperty(attendeeProperty(attendee));
		}
	}

	return {added, removed};
}

/**
 * Applies an organizer's changes to a stored event.
 *
 * SEQUENCE goes up by one when RFC 5546 §2.1.4 requires it: the time (DTSTART/DTEND) or the recurrence (RRULE,
 * EXDATE) changed, or someone is uninvited (the CANCEL they get MUST carry a higher SEQUENCE); also when the
 * LOCATION changes, which §2.1.4 names as the example of a change that "will jeopardize the validity of the
 * participation status". When the time or recurrence changes, every attendee's PARTSTAT goes back to NEEDS-ACTION
 * with RSVP=TRUE. Overrides and EXDATEs follow a new start to the same occurrences.
 *
 * @throws {InvalidStoredEventError} when the stored event cannot be read or has no master, UID or ORGANIZER.
 * @throws {InvalidSpecError} when a change is malformed; `error.field` names it.
 */
export function buildUpdate(stored: string, changes: EventChanges): BuiltUpdate {
	if (typeof changes !== 'object' || changes === null) {
		throw new InvalidSpecError('changes', 'must be an object');
	}

	for (const key of Object.keys(changes)) {
		if (!knownKeys.has(key)) {
			throw new InvalidSpecError(key, 'is not a change buildUpdate knows');
		}
	}

	const event = readStoredEvent(stored);
	const now = validNow(changes.now);
	const work = cloneComponent(event.calendar);
	const master = masterOf(work)!;
	const events = (): ICAL.Component[] => eventsOf(work);

	let textChanged = false;
	let locationChanged = false;
	if (changes.summary !== undefined) {
		const summary = optionalText(changes.summary, 'summary')!;
		if (summary.trim() === '') {
			throw new InvalidSpecError('summary', 'must be non-empty text');
		}

		textChanged = setText(events(), master, 'summary', summary) || textChanged;
	}

	if (changes.description !== undefined) {
		textChanged = setText(events(), master, 'description', optionalText(changes.description, 'description')!) || textChanged;
	}

	if (changes.location !== undefined) {
		locationChanged = setText(events(), master, 'location', optionalText(changes.location, 'location')!);
	}

	const {timeChanged, recurrenceChanged} = changeWhen(work, master, event, changes);

	const {added, removed} = changeAttendees(work, event, changes);

	const changed: ChangedField[] = [...(timeChanged ? ['time' as const] : []), ...(recurrenceChanged ? ['repeat' as const] : []), ...(locationChanged ? ['location' as const] : [])];
	// RFC 5546 §2.1.4: when the time changes, earlier answers no longer hold; ask everyone again.
	if (resetsAnswers(changed)) {
		for (const component of events()) {
			resetAnswers(component, event.organizer);
		}
	}

	const significant = isSignificant(changed, removed.length);
	const contentChanged = significant || textChanged;
	const sequence = significant ? event.sequence + 1 : event.sequence;
	if (contentChanged || added.length > 0) {
		for (const component of events()) {
			touch(component, significant ? sequence : Math.max(sequence, Number(component.getFirstPropertyValue('sequence') ?? 0)), now);
		}
	}

	const remaining = attendeeAddresses(work, event.organizer);
	const requestRecipients = contentChanged ? remaining : added.map(attendee => attendee.email);
	const cancelRecipients = [...removed];
	return {
		uid: event.uid,
		sequence,
		significant,
		caldav: serialize(withMethod(work, undefined)),
		request: requestRecipients.length > 0 ? serialize(withMethod(work, 'REQUEST')) : null,
		requestRecipients,
		cancel: removed.length > 0 ? serialize(cancelCalendar(event.calendar, [seriesCancel(event, removed, sequence, now, false)])) : null,
		cancelRecipients,
	};
}
