/**
 * DECLINECOUNTER (RFC 5546 §3.2.8): the organizer turns down an attendee's COUNTER. Sent to the proposer alone;
 * the stored event does not change.
 */
import ICAL from 'ical.js';
import {normalizeAddress} from '../address.ts';
import {addressOf} from './attendee-state.ts';
import {validNow} from './organizer-change.ts';
import {cloneComponent, eventsOf, newCalendar, parseCalendar, sequenceOf} from './calendar.ts';
import {InvalidSpecError} from './errors.ts';
import {keyOfProperty, sameInstant} from './instants.ts';
import {serialize} from './serialize.ts';
import {readStoredEvent} from './stored-event.ts';

export type BuiltDeclineCounter = {
	uid: string;
	/** METHOD:DECLINECOUNTER iCalendar text. */
	declineCounter: string;
	/** The proposer, lower case. */
	recipients: string[];
};

function copy(property: ICAL.Property): ICAL.Property {
	return new ICAL.Property(structuredClone(property.toJSON()) as unknown[]);
}

/**
 * §3.2.8's table: UID, DTSTAMP, ORGANIZER and the ATTENDEE MUST be there; SEQUENCE echoes the event's ("MUST be
 * present if non-zero"); RECURRENCE-ID only when the COUNTER was about one occurrence; COMMENT is the organizer's
 * reason, if any.
 *
 * @throws {InvalidStoredEventError} when the stored event cannot be read.
 * @throws {InvalidSpecError} when the COUNTER cannot be read, is about another event, or the proposer is unknown.
 */
export function buildDeclineCounter(stored: string, counter: string, options: {proposer: string; comment?: string; now?: Date}): BuiltDeclineCounter {
	const event = readStoredEvent(stored);
	const now = validNow(options.now);
	const parsed = parseCalendar(counter);
	const counterEvent = parsed.ok ? eventsOf(parsed.calendar)[0] : undefined;
	if (!parsed.ok || !counterEvent) {
		throw new InvalidSpecError('counter', 'is not a readable COUNTER');
	}

	if (counterEvent.getFirstPropertyValue('uid') !== event.uid) {
		throw new InvalidSpecError('counter', 'is about another event');
	}

	const proposer = normalizeAddress(options.proposer);
	if (!proposer || proposer === event.organizer) {
		throw new InvalidSpecError('proposer', 'must be the attendee who proposed');
	}

	const recurrence = counterEvent.getFirstProperty('recurrence-id');
	const recurrenceKey = recurrence ? keyOfProperty(recurrence, [parsed.calendar, event.calendar]) : undefined;
	// The component the COUNTER was about: the override of that occurrence if there is one, else the master.
	const about = (recurrenceKey && eventsOf(event.calendar).find(component => {
		const property = component.getFirstProperty('recurrence-id');
		const key = property ? keyOfProperty(property, [event.calendar]) : undefined;
		return key !== undefined && sameInstant(key, recurrenceKey);
	})) || event.master;

	const decline = new ICAL.Component('vevent');
	decline.addPropertyWithValue('uid', event.uid);
	decline.addPropertyWithValue('dtstamp', now.clone());
	decline.addPropertyWithValue('sequence', sequenceOf(about));
	decline.addProperty(copy(event.master.getFirstProperty('organizer')!));
	const attendee = [about, counterEvent].flatMap(component => component.getAllProperties('attendee')).find(property => addressOf(property) === proposer);
	decline.addProperty(attendee ? copy(attendee) : new ICAL.Property(['attendee', {}, 'cal-address', `mailto:${proposer}`]));
	if (recurrence) {
		decline.addProperty(copy(recurrence));
	}

	if (options.comment?.trim()) {
		decline.addPropertyWithValue('comment', options.comment.trim());
	}

	const calendar = newCalendar('DECLINECOUNTER');
	if (recurrence) {
		for (const zone of parsed.calendar.getAllSubcomponents('vtimezone')) {
			calendar.addSubcomponent(cloneComponent(zone));
		}
	}

	calendar.addSubcomponent(decline);
	return {uid: event.uid, declineCounter: serialize(calendar), recipients: [proposer]};
}
