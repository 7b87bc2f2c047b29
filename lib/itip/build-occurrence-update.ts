/**
 * buildOccurrenceUpdate: the organizer changes one occurrence of a repeating event ("move just next Tuesday").
 * The occurrence gets an override (RFC 5545 §3.8.4.4 RECURRENCE-ID) on the stored copy, and the attendees a
 * REQUEST holding that override alone, as in RFC 5546 §4.4.3 ("Modify a Recurring Instance").
 */
import ICAL from 'ical.js';
import {addressOf} from './attendee-state.ts';
import {isSignificant, recurrenceKey, resetsAnswers, touch, validNow} from './organizer-change.ts';
import {storedTimeZone} from './update-when.ts';
import {cloneComponent, eventsOf, newCalendar, sequenceOf, withMethod} from './calendar.ts';
import {InvalidSpecError} from './errors.ts';
import {optionalText, parseWhen, setTimeProperty} from './event-fields.ts';
import {isoOfKey, keyOfProperty, rawTime, sameInstant} from './instants.ts';
import {createOverride, findOccurrence, organizerStepBudget} from './recurrence.ts';
import {resetAnswers} from './reset-answers.ts';
import {serialize} from './serialize.ts';
import {readStoredEvent} from './stored-event.ts';
import type {ChangedField} from './types.ts';

/** Changes to one occurrence. Omitted fields stay as the occurrence has them. */
export type OccurrenceChanges = {
	/**
	 * The occurrence, by its original start: `YYYY-MM-DDTHH:mm` (local, in DTSTART's zone), `YYYY-MM-DD` for
	 * all-day events, or a UTC instant `…Z`.
	 */
	recurrenceId: string;
	/** New start and end (give both), same forms as `InviteSpec.start`, in `timeZone`. */
	start?: string;
	end?: string;
	/** Zone of `start`/`end`; defaults to the stored DTSTART's zone. */
	timeZone?: string;
	summary?: string;
	/** Empty string removes it from the occurrence. */
	location?: string;
	description?: string;
	now?: Date;
};

export type BuiltOccurrenceUpdate = {
	uid: string;
	/** The occurrence as a UTC ISO instant (`YYYY-MM-DD` for all-day events). */
	recurrenceId: string;
	/** The override's SEQUENCE after the change. */
	sequence: number;
	/** True when the time or place changed (RFC 5546 §2.1.4). */
	significant: boolean;
	/** The stored event with the override (no METHOD). */
	caldav: string;
	/** METHOD:REQUEST with the override alone, or null when nothing changed. */
	request: string | null;
	recipients: string[];
};

const knownKeys = new Set(['recurrenceId', 'start', 'end', 'timeZone', 'summary', 'location', 'description', 'now']);

function jcalOf(property: ICAL.Property | null): string {
	return property ? JSON.stringify(property.toJSON()) : '';
}

/** Sets or removes one TEXT property; true when it changed. */
function setText(component: ICAL.Component, name: string, value: string | undefined): boolean {
	if (value === undefined || (component.getFirstPropertyValue(name) ?? '') === value) {
		return false;
	}

	if (value === '') {
		component.removeAllProperties(name);
	} else {
		component.updatePropertyWithValue(name, value);
	}

	return true;
}

/**
 * Changes one occurrence: an existing override is changed in place, otherwise one is made from the master. A new
 * time resets that occurrence's answers (RFC 5546 §2.1.4); the override's SEQUENCE goes above every SEQUENCE the
 * event had when the time or place changed, so that attendees' clients take it as newer.
 *
 * @throws {InvalidStoredEventError} when the stored event cannot be read.
 * @throws {InvalidSpecError} when the event does not repeat, the occurrence does not exist, or a change is malformed.
 */
export function buildOccurrenceUpdate(stored: string, changes: OccurrenceChanges): BuiltOccurrenceUpdate {
	if (typeof changes !== 'object' || changes === null) {
		throw new InvalidSpecError('changes', 'must be an object');
	}

	for (const key of Object.keys(changes)) {
		if (!knownKeys.has(key)) {
			throw new InvalidSpecError(key, 'is not a change buildOccurrenceUpdate knows');
		}
	}

	const event = readStoredEvent(stored);
	const now = validNow(changes.now);
	if (!event.master.hasProperty('rrule') && !event.master.hasProperty('rdate')) {
		throw new InvalidSpecError('recurrenceId', 'is given, but the event does not repeat; change the whole event instead');
	}

	const target = recurrenceKey(changes.recurrenceId, event);
	const work = cloneComponent(event.calendar);
	const existing = eventsOf(work).find(component => {
		const property = component.getFirstProperty('recurrence-id');
		const key = property ? keyOfProperty(property, [work]) : undefined;
		return key !== undefined && sameInstant(key, target);
	});
	const master = eventsOf(work).find(component => !component.hasProperty('recurrence-id'))!;
	let override = existing;
	if (!override) {
		const occurrence = findOccurrence(master, [work], target, organizerStepBudget());
		if (occurrence.kind !== 'found') {
			throw new InvalidSpecError('recurrenceId', `(${changes.recurrenceId}) is not an occurrence of the event`);
		}

		override = createOverride(master, occurrence.time, [work]);
	}

	let timeChanged = false;
	if (changes.start !== undefined || changes.end !== undefined || changes.timeZone !== undefined) {
		if (changes.start === undefined || changes.end === undefined) {
			throw new InvalidSpecError(changes.start === undefined ? 'start' : 'end', 'must be given together with the other end of the occurrence');
		}

		const startProperty = override.getFirstProperty('dtstart');
		const allDay = startProperty ? rawTime(startProperty)?.time.isDate ?? false : false;
		const when = parseWhen({start: changes.start, end: changes.end, timeZone: changes.timeZone ?? storedTimeZone(event), allDay});
		const before = jcalOf(override.getFirstProperty('dtstart')) + jcalOf(override.getFirstProperty('dtend')) + jcalOf(override.getFirstProperty('duration'));
		const probe = new ICAL.Component('vevent');
		setTimeProperty(probe, 'dtstart', when.start, when.tzid);
		setTimeProperty(probe, 'dtend', when.end, when.tzid);
		timeChanged = jcalOf(probe.getFirstProperty('dtstart')) + jcalOf(probe.getFirstProperty('dtend')) !== before;
		if (timeChanged) {
			override.removeAllProperties('duration');
			setTimeProperty(override, 'dtstart', when.start, when.tzid);
			setTimeProperty(override, 'dtend', when.end, when.tzid);
			if (when.vtimezone && !work.getAllSubcomponents('vtimezone').some(zone => zone.getFirstPropertyValue('tzid') === when.tzid)) {
				work.addSubcomponent(when.vtimezone);
			}
		}
	}

	const summary = optionalText(changes.summary, 'summary');
	if (summary !== undefined && summary.trim() === '') {
		throw new InvalidSpecError('summary', 'must be non-empty text');
	}

	const summaryChanged = setText(override, 'summary', summary);
	const descriptionChanged = setText(override, 'description', optionalText(changes.description, 'description'));
	const textChanged = summaryChanged || descriptionChanged;
	const locationChanged = setText(override, 'location', optionalText(changes.location, 'location'));
	const changed: ChangedField[] = [...(timeChanged ? ['time' as const] : []), ...(locationChanged ? ['location' as const] : [])];
	if (resetsAnswers(changed)) {
		resetAnswers(override, event.organizer);
	}

	const significant = isSignificant(changed, 0);
	const recurrenceProperty = override.getFirstProperty('recurrence-id')!;
	const recurrenceIso = isoOfKey(keyOfProperty(recurrenceProperty, [work]) ?? target);
	if (!significant && !textChanged) {
		return {uid: event.uid, recurrenceId: recurrenceIso, sequence: sequenceOf(override), significant, caldav: serialize(withMethod(event.calendar, undefined)), request: null, recipients: []};
	}

	const sequence = significant ? event.sequence + 1 : sequenceOf(override);
	touch(override, sequence, now);
	if (!existing) {
		work.addSubcomponent(override);
	}

	const request = newCalendar('REQUEST');
	for (const zone of work.getAllSubcomponents('vtimezone')) {
		request.addSubcomponent(cloneComponent(zone));
	}

	request.addSubcomponent(cloneComponent(override));
	const recipients = override.getAllProperties('attendee').map(property => addressOf(property)).filter(address => address && address !== event.organizer);
	return {
		uid: event.uid,
		recurrenceId: recurrenceIso,
		sequence,
		significant,
		caldav: serialize(withMethod(work, undefined)),
		request: serialize(request),
		recipients: [...new Set(recipients)],
	};
}
