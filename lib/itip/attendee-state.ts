/**
 * An ATTENDEE's scheduling state on the organizer's copy, read from and written to its parameters.
 *
 * Besides PARTSTAT/RSVP/DELEGATED-TO, we record on each stored attendee the SEQUENCE and DTSTAMP of the last reply
 * applied, because RFC 5546 §2.1.5 asks organizer CUAs to persist exactly these to discard replies that arrive out of
 * order. They are X- parameters (RFC 5545 §3.2 x-param), which CalDAV servers store as they are, like the
 * attendee's COMMENT and REQUEST-STATUS we keep next to them for display.
 */
import ICAL from 'ical.js';
import {normalizeAddress, toMailto} from '../address.ts';
import type {PartStat} from './types.ts';

export const replySequenceParameter = 'x-pmi-reply-sequence';
export const replyDtstampParameter = 'x-pmi-reply-dtstamp';
export const commentParameter = 'x-pmi-comment';
export const requestStatusParameter = 'x-pmi-request-status';

/** RFC 5545 §3.2.12 PARTSTAT values that apply to a VEVENT. */
export const eventPartStats: readonly PartStat[] = ['NEEDS-ACTION', 'ACCEPTED', 'DECLINED', 'TENTATIVE', 'DELEGATED'];

export function isPartStat(value: string): value is PartStat {
	return (eventPartStats as readonly string[]).includes(value);
}

/** What a reply says about its attendee, and what we store after applying it. */
export type AttendeeState = {
	partstat: PartStat;
	rsvp: string | undefined;
	delegatedTo: string[];
	comment: string | undefined;
	requestStatus: string | undefined;
	replySequence: number | undefined;
	replyDtstamp: string | undefined;
};

/** All values of a parameter as strings (ical.js returns one string or an array for multi-valued ones). */
export function parameterValues(property: ICAL.Property, name: string): string[] {
	const value: unknown = property.getParameter(name);
	if (value === undefined || value === null) {
		return [];
	}

	return (Array.isArray(value) ? value : [value]).map(String).flatMap(item => item.split(',')).map(item => item.trim()).filter(item => item !== '');
}

function firstParameter(property: ICAL.Property, name: string): string | undefined {
	return parameterValues(property, name)[0];
}

/** The address of an ATTENDEE/ORGANIZER property, normalised; '' when it has none. */
export function addressOf(property: ICAL.Property): string {
	const value: unknown = property.toJSON()[3];
	return typeof value === 'string' ? normalizeAddress(value) : '';
}

export function readState(property: ICAL.Property): AttendeeState {
	const partstat = (firstParameter(property, 'partstat') ?? 'NEEDS-ACTION').toUpperCase();
	const sequence = firstParameter(property, replySequenceParameter);
	const parsedSequence = sequence === undefined ? undefined : Number.parseInt(sequence, 10);
	return {
		// RFC 5545 §3.2.12: an absent PARTSTAT means NEEDS-ACTION; unknown values are treated the same way.
		partstat: isPartStat(partstat) ? partstat : 'NEEDS-ACTION',
		rsvp: firstParameter(property, 'rsvp')?.toUpperCase(),
		delegatedTo: parameterValues(property, 'delegated-to').map(value => normalizeAddress(value)).sort(),
		comment: property.getParameter(commentParameter) as string | undefined,
		requestStatus: property.getParameter(requestStatusParameter) as string | undefined,
		replySequence: parsedSequence !== undefined && Number.isSafeInteger(parsedSequence) ? parsedSequence : undefined,
		replyDtstamp: firstParameter(property, replyDtstampParameter),
	};
}

export function sameState(a: AttendeeState, b: AttendeeState): boolean {
	return a.partstat === b.partstat
		&& a.rsvp === b.rsvp
		&& a.delegatedTo.join(',') === b.delegatedTo.join(',')
		&& a.comment === b.comment
		&& a.requestStatus === b.requestStatus
		&& a.replySequence === b.replySequence
		&& a.replyDtstamp === b.replyDtstamp;
}

function setOrRemove(property: ICAL.Property, name: string, value: string | string[] | undefined): void {
	if (value === undefined || (Array.isArray(value) && value.length === 0)) {
		property.removeParameter(name);
	} else {
		property.setParameter(name, value);
	}
}

export function writeState(property: ICAL.Property, state: AttendeeState): void {
	property.setParameter('partstat', state.partstat);
	setOrRemove(property, 'rsvp', state.rsvp);
	setOrRemove(property, 'delegated-to', state.delegatedTo.map(address => toMailto(address)));
	setOrRemove(property, commentParameter, state.comment);
	setOrRemove(property, requestStatusParameter, state.requestStatus);
	setOrRemove(property, replySequenceParameter, state.replySequence === undefined ? undefined : String(state.replySequence));
	setOrRemove(property, replyDtstampParameter, state.replyDtstamp);
}

/** Which of two replies for the same attendee and occurrence is newer (RFC 5546 §2.1.5 rules 3 and 4). */
export function compareReplies(
	reply: {sequence: number; dtstamp: string | undefined},
	recorded: {sequence: number | undefined; dtstamp: string | undefined},
): 'newer' | 'same' | 'older' | 'unordered' {
	if (recorded.sequence === undefined) {
		return 'newer';
	}

	// Rule 3: the reply with the highest SEQUENCE obsoletes the others.
	if (reply.sequence !== recorded.sequence) {
		return reply.sequence > recorded.sequence ? 'newer' : 'older';
	}

	// Rule 4: same SEQUENCE, the latest DTSTAMP wins. Without a DTSTAMP on either side (some clients omit it,
	// against RFC 5546 §3.2.3) there is no order to go by; the caller falls back to arrival order.
	if (reply.dtstamp === undefined || recorded.dtstamp === undefined) {
		return 'unordered';
	}

	if (reply.dtstamp === recorded.dtstamp) {
		return 'same';
	}

	return reply.dtstamp > recorded.dtstamp ? 'newer' : 'older';
}

/** A new ATTENDEE property for someone not yet on the event (a delegate, or an uninvited replier once reviewed). */
export function newAttendee(address: string, parameters: Record<string, string | string[]>): ICAL.Property {
	const property = new ICAL.Property('attendee');
	property.setValue(toMailto(address));
	for (const [name, value] of Object.entries(parameters)) {
		property.setParameter(name, value);
	}

	return property;
}
