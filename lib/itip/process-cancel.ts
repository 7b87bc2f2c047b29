/**
 * processCancel: the organizer cancelled the event, or one occurrence of it, or took the user off it
 * (RFC 5546 §3.2.5), and the user's copy after it. Only the organizer of the user's copy may do this.
 */
import type ICAL from 'ical.js';
import {addressOf} from './attendee-state.ts';
import {addressSet, componentKey, myAttendee, organizerOf} from './attendee-copy.ts';
import {cloneComponent, eventsOf, masterOf, parseCalendar, sequenceOf, withMethod} from './calendar.ts';
import {isoOfKey, keyOfProperty} from './instants.ts';
import {organizerTrustProblem} from './organizer-trust.ts';
import {exdateFor, findOccurrence} from './recurrence.ts';
import {serialize} from './serialize.ts';
import type {ProcessContext, ProcessResult} from './types.ts';

function result(event: string | null, outcome: ProcessResult['outcome'], reason: string, extra: Partial<ProcessResult> = {}): ProcessResult {
	return {method: 'CANCEL', outcome, reason, event, ...extra};
}

function isCancelled(component: ICAL.Component): boolean {
	return String(component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
}

function cancel(component: ICAL.Component, sequence: number): void {
	component.updatePropertyWithValue('status', 'CANCELLED');
	component.updatePropertyWithValue('sequence', Math.max(sequence, sequenceOf(component)));
}

/**
 * Processes a CANCEL against the user's copy.
 * @param message The parsed CANCEL.
 * @param existing The user's stored copy (iCalendar text), or undefined.
 */
export function processCancel(message: ICAL.Component, existing: string | undefined, context: ProcessContext): ProcessResult {
	const events = eventsOf(message);
	const given = existing !== undefined && existing.trim() !== '' ? existing : null;
	if (events.length === 0) {
		return result(given, 'ignored', 'The CANCEL holds no event.');
	}

	if (given === null) {
		return result(null, 'ignored', 'The event is not in your calendar, so there is nothing to cancel.');
	}

	const parsed = parseCalendar(given);
	if (!parsed.ok) {
		return result(given, 'ignored', `Your stored copy could not be read: ${parsed.reason}.`);
	}

	const stored = parsed.calendar;
	const storedEvents = eventsOf(stored);
	const uid = String(events[0]!.getFirstPropertyValue('uid') ?? '');
	const storedUid = String(storedEvents[0]?.getFirstPropertyValue('uid') ?? '');
	if (events.some(event => String(event.getFirstPropertyValue('uid') ?? '') !== uid) || !uid || uid !== storedUid) {
		return result(given, 'ignored', `The CANCEL is for another event (UID ${uid || 'missing'}), not your copy (UID ${storedUid || 'missing'}).`);
	}

	// RFC 5546 §3.2.5: only the organizer cancels; it is the organizer of the user's copy that counts.
	const storedOrganizer = organizerOf(stored);
	if (!storedOrganizer) {
		return result(given, 'ignored', 'Your copy has no ORGANIZER, so nobody can cancel it by mail.');
	}

	const trust = organizerTrustProblem(storedOrganizer, context);
	if (trust) {
		return result(given, 'review', trust.reason, {review: trust.code});
	}

	const messageOrganizer = organizerOf(message);
	if (messageOrganizer && addressOf(messageOrganizer) !== addressOf(storedOrganizer) && !context.trustSender) {
		return result(given, 'review', `The CANCEL names ${addressOf(messageOrganizer)} as organizer, but ${addressOf(storedOrganizer)} organizes your copy.`, {review: 'organizer-changed'});
	}

	// RFC 5546 §3.2.5: without STATUS:CANCELLED a CANCEL takes the attendees it lists off the event; one that lists
	// others only is not about the user.
	const me = addressSet(context.me);
	const forMe = events.some(event => isCancelled(event) || event.getAllProperties('attendee').length === 0 || myAttendee(event, me));
	if (!forMe) {
		return result(given, 'ignored', 'The CANCEL takes other attendees off the event, not you.');
	}

	const calendars = [stored, message];
	for (const event of events) {
		const key = componentKey(event, calendars);
		const before = eventsOf(stored).find(other => componentKey(other, calendars) === key) ?? masterOf(stored) ?? storedEvents[0]!;
		// RFC 5546 §2.1.5: a CANCEL older than the copy (lower SEQUENCE) is out of date.
		if (sequenceOf(event) < sequenceOf(before)) {
			return result(given, 'ignored', `The CANCEL is older than your copy (SEQUENCE ${sequenceOf(event)} < ${sequenceOf(before)}), so it was not applied (RFC 5546 §2.1.5).`);
		}
	}

	const work = cloneComponent(stored);
	const occurrences: string[] = [];
	const notes: string[] = [];
	for (const event of events) {
		const recurrence = event.getFirstProperty('recurrence-id');
		if (!recurrence) {
			for (const component of eventsOf(work)) {
				cancel(component, sequenceOf(event));
			}

			continue;
		}

		const target = keyOfProperty(recurrence, calendars);
		if (!target) {
			notes.push('One cancelled occurrence has a RECURRENCE-ID that is not a date.');
			continue;
		}

		const override = eventsOf(work).find(component => componentKey(component, calendars) === `${target.kind}:${target.value}`);
		const master = masterOf(work);
		const search = master ? findOccurrence(master, calendars, target) : undefined;
		const occurrence = search?.kind === 'found' ? search.time : undefined;
		if (override) {
			// RFC 5545 §3.8.1.11: a cancelled override keeps the occurrence visible as cancelled.
			cancel(override, sequenceOf(event));
		} else if (master && occurrence) {
			// RFC 5545 §3.8.5.1: an EXDATE takes the occurrence out of the series.
			master.addProperty(exdateFor(master, occurrence));
			master.updatePropertyWithValue('sequence', Math.max(sequenceOf(event), sequenceOf(master)));
		} else {
			notes.push(`Your copy has no occurrence at ${isoOfKey(target)}.`);
			continue;
		}

		occurrences.push(isoOfKey(target));
	}

	const event = serialize(withMethod(work, undefined));
	if (event === serialize(withMethod(stored, undefined))) {
		const already = eventsOf(stored).every(component => isCancelled(component));
		return result(given, already || notes.length === 0 ? 'unchanged' : 'ignored', already ? 'Your copy is already cancelled.' : (notes.join(' ') || 'Your copy already has this cancellation.'));
	}

	const organizer = addressOf(storedOrganizer);
	const what = occurrences.length > 0 && occurrences.length === events.length ? `the occurrence${occurrences.length > 1 ? 's' : ''} of ${occurrences.join(', ')}` : 'the event';
	return result(event, 'applied', [`Cancelled by the organizer ${organizer}: ${what}.`, ...notes].join(' '), occurrences.length === events.length ? {cancelledOccurrences: occurrences} : {});
}
