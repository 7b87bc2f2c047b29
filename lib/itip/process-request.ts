/**
 * processRequest: an invitation or an update received by an attendee (RFC 5546 §3.2.2), and the user's calendar
 * copy after it. The attendee-side twin of applyReply; shaped like sabre/vobject's Broker::processMessageRequest,
 * except that nothing from a stranger (not the organizer, not inviting the user) changes the copy: that is `review`.
 */
import type ICAL from 'ical.js';
import {addressOf, compareReplies, parameterValues} from './attendee-state.ts';
import {addressSet, changedFields, componentKey, myAttendee, organizerOf, sameTime} from './attendee-copy.ts';
import {cloneComponent, eventsOf, masterOf, parseCalendar, sequenceOf, withMethod} from './calendar.ts';
import {keyOfProperty, type InstantKey} from './instants.ts';
import {organizerTrustProblem} from './organizer-trust.ts';
import {findOccurrence} from './recurrence.ts';
import {serialize} from './serialize.ts';
import type {ChangedField, ProcessContext, ProcessResult} from './types.ts';
import {completeTimeZones, tzidsUsed} from './zone-completion.ts';

type Stored = {text: string; calendar: ICAL.Component} | undefined;

function result(stored: Stored, outcome: ProcessResult['outcome'], reason: string, extra: Partial<ProcessResult> = {}): ProcessResult {
	return {method: 'REQUEST', outcome, reason, event: stored?.text ?? null, ...extra};
}

/** RFC 5545 §3.8.7.2: DTSTAMP is UTC; anything else (Roundcube once wrote `20120713T1254140`) cannot be ordered. */
function dtstampOf(event: ICAL.Component): string | undefined {
	const property = event.getFirstProperty('dtstamp');
	const key: InstantKey | undefined = property ? keyOfProperty(property, []) : undefined;
	return key?.kind === 'utc' ? key.value : undefined;
}

/**
 * Checks the shape every REQUEST must have before anything else is looked at. Returns the reason to ignore it.
 */
function shapeProblem(events: readonly ICAL.Component[], calendar: ICAL.Component): string | undefined {
	if (events.length === 0) {
		const other = calendar.getAllSubcomponents().find(component => component.name !== 'vtimezone');
		return other ? `The REQUEST is about a ${other.name.toUpperCase()}; only events (VEVENT) are handled.` : 'The REQUEST holds no event.';
	}

	// RFC 5546 §3.2.2: all components of a REQUEST share one UID.
	const uids = new Set(events.map(event => String(event.getFirstPropertyValue('uid') ?? '')));
	if (uids.size !== 1 || uids.has('')) {
		return uids.has('') ? 'The REQUEST has an event without UID.' : 'The REQUEST mixes events with different UIDs.';
	}

	// RFC 5545 §3.8.4.4: components sharing a UID are told apart by RECURRENCE-ID. iCloud has sent two VEVENTs with one
	// UID and none; which of them is "the" event cannot be known, so nothing is guessed.
	const keys = events.map(event => componentKey(event, [calendar]));
	if (new Set(keys).size !== keys.length) {
		return `The REQUEST holds ${events.length} events with one UID that are not told apart by RECURRENCE-ID, so which one is meant cannot be known.`;
	}

	return undefined;
}

/**
 * Processes a REQUEST against the user's copy (or none).
 * @param message The parsed REQUEST.
 * @param existing The user's stored copy (iCalendar text), or undefined.
 */
export function processRequest(message: ICAL.Component, existing: string | undefined, context: ProcessContext): ProcessResult {
	let stored: Stored;
	if (existing !== undefined && existing.trim() !== '') {
		const parsed = parseCalendar(existing);
		if (!parsed.ok) {
			return {method: 'REQUEST', outcome: 'ignored', reason: `Your stored copy could not be read: ${parsed.reason}.`, event: existing};
		}

		stored = {text: existing, calendar: parsed.calendar};
	}

	const events = eventsOf(message);
	const shape = shapeProblem(events, message);
	if (shape) {
		return result(stored, 'ignored', shape);
	}

	const uid = String(events[0]!.getFirstPropertyValue('uid'));
	const organizerProperty = organizerOf(message);
	const organizer = organizerProperty ? addressOf(organizerProperty) : '';
	if (!organizerProperty || !organizer) {
		return result(stored, 'ignored', 'The REQUEST has no ORGANIZER, so it is not a meeting anyone can answer (RFC 5546 §3.2.2).');
	}

	const me = addressSet(context.me);
	if (me.has(organizer)) {
		return result(stored, 'ignored', 'You organize this event; your own invitation is not answered.', {ownEvent: true});
	}

	const storedEvents = stored ? eventsOf(stored.calendar) : [];
	if (stored && storedEvents.length > 0) {
		const storedUid = String(storedEvents[0]!.getFirstPropertyValue('uid') ?? '');
		if (storedUid !== uid) {
			return result(stored, 'ignored', `The REQUEST is for another event (UID ${uid}), not your copy (UID ${storedUid}).`);
		}
	}

	// Only the organizer may change the user's copy. For an update it is the organizer of the copy the user has: a
	// REQUEST naming someone else as ORGANIZER for a known UID is someone taking over the meeting.
	const storedOrganizer = stored ? organizerOf(stored.calendar) : undefined;
	if (storedOrganizer && addressOf(storedOrganizer) !== organizer && !context.trustSender) {
		return result(stored, 'review', `The update names ${organizer} as organizer, but ${addressOf(storedOrganizer)} organizes your copy; an organizer change is not applied without you.`, {review: 'organizer-changed'});
	}

	const trust = organizerTrustProblem(storedOrganizer ?? organizerProperty, context);
	if (trust) {
		return result(stored, 'review', trust.reason, {review: trust.code});
	}

	// An invitation that does not list the user (a mailing list, a forward) is never added silently.
	if (!events.some(event => myAttendee(event, me))) {
		return result(stored, 'review', `The invitation does not list you (${[...me].join(', ') || 'no address given'}) as an attendee; it may have reached you through a list or a forward.`, {review: 'not-invited'});
	}

	const incoming = withMethod(message, undefined);
	if (!stored || storedEvents.length === 0) {
		completeTimeZones(incoming);
		const title = String(masterOf(incoming)?.getFirstPropertyValue('summary') ?? events[0]!.getFirstPropertyValue('summary') ?? '');
		return {
			method: 'REQUEST',
			outcome: 'applied',
			reason: `New invitation${title ? ` "${title}"` : ''} from ${organizer}; it becomes your calendar copy.`,
			event: serialize(incoming),
		};
	}

	return update(stored, incoming, organizer, me);
}

/** RFC 5546 §2.1.5: the stored component a received one is ordered against: the same one, else the series. */
function counterpart(component: ICAL.Component, stored: ICAL.Component, calendars: readonly ICAL.Component[]): ICAL.Component | undefined {
	const key = componentKey(component, calendars);
	const events = eventsOf(stored);
	return events.find(event => componentKey(event, calendars) === key) ?? masterOf(stored) ?? events[0];
}

function update(stored: NonNullable<Stored>, incoming: ICAL.Component, organizer: string, me: ReadonlySet<string>): ProcessResult {
	const calendars = [incoming, stored.calendar];
	const incomingEvents = eventsOf(incoming);

	// RFC 5546 §2.1.5: a higher SEQUENCE, or the same SEQUENCE and a later DTSTAMP, is newer; anything else is old.
	const orders = incomingEvents.map(event => {
		const other = counterpart(event, stored.calendar, calendars)!;
		return compareReplies({sequence: sequenceOf(event), dtstamp: dtstampOf(event)}, {sequence: sequenceOf(other), dtstamp: dtstampOf(other)});
	});
	if (orders.includes('older')) {
		return result(stored, 'ignored', 'The REQUEST is older than your copy (lower SEQUENCE, or an earlier DTSTAMP), so it was not applied (RFC 5546 §2.1.5).');
	}

	if (orders.every(order => order === 'same')) {
		return result(stored, 'unchanged', 'Your copy already has this version of the event.');
	}

	const work = cloneComponent(incoming);
	const workEvents = eventsOf(work);
	const incomingKeys = new Set(workEvents.map(event => componentKey(event, calendars)));
	const incomingMaster = masterOf(work);
	const storedMaster = masterOf(stored.calendar);
	const seriesTimeKept = !incomingMaster || !storedMaster || sameTime(storedMaster, incomingMaster, calendars);

	// What the user made their own stays: their alarms, and their answer where the time did not change.
	for (const event of workEvents) {
		const before = eventsOf(stored.calendar).find(other => componentKey(other, calendars) === componentKey(event, calendars));
		if (before) {
			keepOwn(before, event, me, sameTime(before, event, calendars));
		}
	}

	// Stored components the REQUEST does not mention: an update of one occurrence leaves the rest as they are; a
	// whole-series update keeps the user's per-occurrence answers while the series keeps its times and the occurrence
	// still exists.
	for (const event of eventsOf(stored.calendar)) {
		const key = componentKey(event, calendars);
		if (incomingKeys.has(key)) {
			continue;
		}

		if (!incomingMaster) {
			work.addSubcomponent(cloneComponent(event));
			continue;
		}

		const recurrence = event.getFirstProperty('recurrence-id');
		const target = recurrence ? keyOfProperty(recurrence, calendars) : undefined;
		if (seriesTimeKept && target && findOccurrence(incomingMaster, calendars, target).kind === 'found') {
			work.addSubcomponent(cloneComponent(event));
		}
	}

	// Zones the kept components need and the REQUEST did not bring.
	const present = new Set(work.getAllSubcomponents('vtimezone').map(zone => String(zone.getFirstPropertyValue('tzid'))));
	for (const zone of stored.calendar.getAllSubcomponents('vtimezone')) {
		const tzid = String(zone.getFirstPropertyValue('tzid'));
		if (!present.has(tzid) && tzidsUsed(work).includes(tzid)) {
			work.addSubcomponent(cloneComponent(zone));
		}
	}

	completeTimeZones(work);
	const event = serialize(work);
	if (event === serialize(withMethod(stored.calendar, undefined))) {
		return result(stored, 'unchanged', 'Your copy already has this version of the event.');
	}

	const main = incomingMaster ?? workEvents[0]!;
	const before = counterpart(main, stored.calendar, calendars)!;
	const changed = changedFields(before, main, calendars);
	const mine = myAttendee(main, me);
	const answerKept = mine !== undefined && sameTime(before, main, calendars) && parameterValues(mine, 'partstat')[0] !== 'NEEDS-ACTION';
	return {
		method: 'REQUEST',
		outcome: 'applied',
		reason: `${organizer} updated the event${describeChanges(changed)}${answerKept ? '; your answer still stands' : ''}.`,
		event,
		changed,
	};
}

const changeWords: Record<ChangedField, string> = {
	time: 'the time',
	repeat: 'the repeat',
	location: 'the place',
	summary: 'the title',
	description: 'the description',
	attendees: 'the attendees',
	status: 'the status',
};

function describeChanges(changed: readonly ChangedField[]): string {
	if (changed.length === 0) {
		return '';
	}

	const words = changed.map(field => changeWords[field]);
	const last = words.pop()!;
	return ` (${words.length > 0 ? `${words.join(', ')} and ${last}` : last} changed)`;
}

/**
 * Copies what belongs to the user from their stored component to the organizer's new version: their alarms (RFC 5545
 * §3.6.6; an organizer's VALARM is a suggestion) and, when the time is the same, their answer (RFC 5546 §2.1.4: only
 * a significant change asks attendees to answer again).
 */
function keepOwn(before: ICAL.Component, after: ICAL.Component, me: ReadonlySet<string>, timeKept: boolean): void {
	const alarms = before.getAllSubcomponents('valarm');
	if (alarms.length > 0) {
		after.removeAllSubcomponents('valarm');
		for (const alarm of alarms) {
			after.addSubcomponent(cloneComponent(alarm));
		}
	}

	const previous = myAttendee(before, me);
	const next = myAttendee(after, me);
	if (!timeKept || !previous || !next) {
		return;
	}

	const partstat = parameterValues(previous, 'partstat')[0]?.toUpperCase();
	if (partstat && partstat !== 'NEEDS-ACTION') {
		next.setParameter('partstat', partstat);
		next.setParameter('rsvp', 'FALSE');
	}
}
