/**
 * Reading an event from the attendee's side: which ATTENDEE is the user, which component is which (RFC 5546 §2.1.5
 * rule 1: UID plus RECURRENCE-ID), and what an organizer's update changed. Shared by processRequest, processCancel
 * and buildReply.
 */
import type ICAL from 'ical.js';
import {normalizeAddress} from '../address.ts';
import {addressOf} from './attendee-state.ts';
import {eventsOf, masterOf} from './calendar.ts';
import {keyOfProperty} from './instants.ts';
import type {ChangedField} from './types.ts';

/** The comparable set of the user's addresses. */
export function addressSet(addresses: readonly string[]): Set<string> {
	return new Set(addresses.map(address => normalizeAddress(address)).filter(Boolean));
}

/** The user's ATTENDEE property in a component, if the component lists any of their addresses. */
export function myAttendee(component: ICAL.Component, me: ReadonlySet<string>): ICAL.Property | undefined {
	return component.getAllProperties('attendee').find(property => me.has(addressOf(property)));
}

/** The ORGANIZER of a calendar's event: the master's, else the first component's that has one. */
export function organizerOf(calendar: ICAL.Component): ICAL.Property | undefined {
	return masterOf(calendar)?.getFirstProperty('organizer')
		?? eventsOf(calendar).map(event => event.getFirstProperty('organizer')).find(Boolean)
		?? undefined;
}

/** `master`, or the occurrence's instant (`utc:20261208T090000Z`): which component of an event this is. */
export function componentKey(component: ICAL.Component, calendars: readonly ICAL.Component[]): string {
	const property = component.getFirstProperty('recurrence-id');
	if (!property) {
		return 'master';
	}

	const key = keyOfProperty(property, calendars);
	return key ? `${key.kind}:${key.value}` : `raw:${String(property.toJSON()[3])}`;
}

function instantsOf(component: ICAL.Component, name: string, calendars: readonly ICAL.Component[]): string {
	return component.getAllProperties(name).map(property => {
		const key = keyOfProperty(property, calendars);
		return key ? `${key.kind}:${key.value}` : String(property.toJSON().slice(3).join(','));
	}).sort().join(' ');
}


function text(component: ICAL.Component | undefined, name: string): string {
	return String(component?.getFirstPropertyValue(name) ?? '').trim();
}

/** True when the two components take place at the same times (start, end, recurrence set). */
export function sameTime(before: ICAL.Component, after: ICAL.Component, calendars: readonly ICAL.Component[]): boolean {
	return ['dtstart', 'dtend', 'rdate', 'exdate'].every(name => instantsOf(before, name, calendars) === instantsOf(after, name, calendars))
		&& text(before, 'duration') === text(after, 'duration')
		&& rules(before) === rules(after);
}

function rules(component: ICAL.Component): string {
	return component.getAllProperties('rrule').map(property => String(property.getFirstValue())).sort().join(' ');
}

function attendeeList(component: ICAL.Component): string {
	return component.getAllProperties('attendee').map(property => addressOf(property)).sort().join(' ');
}

/**
 * What an organizer's update changed (RFC 5546 §2.1.4 lists the significant properties: time, recurrence, place,
 * status), plus the title, description and attendee list that a person also wants to see.
 */
export function changedFields(before: ICAL.Component, after: ICAL.Component, calendars: readonly ICAL.Component[]): ChangedField[] {
	const changed: ChangedField[] = [];
	const timeFields = ['dtstart', 'dtend', 'rdate', 'exdate'];
	if (timeFields.slice(0, 2).some(name => instantsOf(before, name, calendars) !== instantsOf(after, name, calendars)) || text(before, 'duration') !== text(after, 'duration')) {
		changed.push('time');
	}

	if (rules(before) !== rules(after) || timeFields.slice(2).some(name => instantsOf(before, name, calendars) !== instantsOf(after, name, calendars))) {
		changed.push('repeat');
	}

	for (const field of ['location', 'summary', 'description', 'status'] as const) {
		if (text(before, field) !== text(after, field)) {
			changed.push(field);
		}
	}

	if (attendeeList(before) !== attendeeList(after)) {
		changed.push('attendees');
	}

	return changed;
}
