/**
 * buildReply: the attendee's answer as an iTIP REPLY (RFC 5546 §3.2.3) and the user's copy carrying it.
 */
import ICAL from 'ical.js';
import {normalizeAddress} from '../address.ts';
import {addressOf, parameterValues} from './attendee-state.ts';
import {addressSet, componentKey, myAttendee, organizerOf} from './attendee-copy.ts';
import {validNow} from './organizer-change.ts';
import {cloneComponent, eventsOf, masterOf, newCalendar, parseCalendar, withMethod} from './calendar.ts';
import {InvalidSpecError, InvalidStoredEventError} from './errors.ts';
import {isoOfKey} from './instants.ts';
import {createOverride, findOccurrence, occurrenceKey} from './recurrence.ts';
import {serialize} from './serialize.ts';
import type {Answer, BuiltReply, ReplyOptions} from './types.ts';
import {completeTimeZones, tzidsUsed, zonesFirst} from './zone-completion.ts';

const answers: readonly Answer[] = ['ACCEPTED', 'TENTATIVE', 'DECLINED'];

/** Properties a REPLY copies so the organizer's client can show what was answered (RFC 5546 §3.2.3 table). */
const copied = ['recurrence-id', 'dtstart', 'dtend', 'duration', 'summary'];

function copyProperty(property: ICAL.Property): ICAL.Property {
	return new ICAL.Property(structuredClone(property.toJSON()) as unknown[]);
}

/** The components the answer is for: one occurrence (made an override if needed), the series, or every override. */
function answeredComponents(work: ICAL.Component, occurrence: string | undefined): {components: ICAL.Component[]; recurrenceId?: string} {
	const master = masterOf(work);
	if (occurrence === undefined) {
		return {components: master ? [master] : eventsOf(work)};
	}

	if (!master || (!master.hasProperty('rrule') && !master.hasProperty('rdate'))) {
		throw new InvalidSpecError('occurrence', 'is given, but the event does not repeat; answer the whole event instead');
	}

	const target = occurrenceKey(occurrence, master, work, 'occurrence');
	const override = eventsOf(work).find(event => componentKey(event, [work]) === `${target.kind}:${target.value}`);
	if (override) {
		return {components: [override], recurrenceId: isoOfKey(target)};
	}

	const search = findOccurrence(master, [work], target);
	const start = search.kind === 'found' ? search.time : undefined;
	if (!start) {
		throw new InvalidSpecError('occurrence', `(${occurrence}) is not an occurrence of the event`);
	}

	// RFC 5545 §3.8.4.4: the answer for one occurrence lives on an override of it.
	const created = createOverride(master, start, [work]);
	work.addSubcomponent(created);
	return {components: [created], recurrenceId: isoOfKey(target)};
}

function setAnswer(property: ICAL.Property, answer: Answer): void {
	property.setParameter('partstat', answer);
	// RFC 5545 §3.2.17: once answered, no reply is expected any more.
	property.removeParameter('rsvp');
}

/**
 * Builds the user's answer to an invitation: a REPLY with one VEVENT per answered instance, the same UID, SEQUENCE
 * and ORGANIZER, a fresh DTSTAMP and exactly one ATTENDEE (the user, spelled as the invitation lists them); and the
 * user's copy with the same PARTSTAT.
 *
 * @param copy The user's copy of the event, or the invitation itself (its METHOD is dropped).
 * @throws {InvalidStoredEventError} when `copy` is no event with UID and ORGANIZER.
 * @throws {InvalidSpecError} when an option is wrong (`me` not invited, unknown `occurrence`, bad `answer`…).
 * @example
 * const {reply, caldav} = buildReply(invitation, {me: ['alex@example.com'], answer: 'TENTATIVE', comment: 'Late by 10 min'});
 */
export function buildReply(copy: string, options: ReplyOptions): BuiltReply {
	const parsed = parseCalendar(copy);
	if (!parsed.ok) {
		throw new InvalidStoredEventError(`The event could not be read: ${parsed.reason}`);
	}

	if (!answers.includes(options.answer)) {
		throw new InvalidSpecError('answer', `must be one of ${answers.join(', ')}`);
	}

	if (options.comment !== undefined && typeof options.comment !== 'string') {
		throw new InvalidSpecError('comment', 'must be text');
	}

	const now = validNow(options.now);
	const work = withMethod(parsed.calendar, undefined);
	const events = eventsOf(work);
	const uid = String(events[0]?.getFirstPropertyValue('uid') ?? '');
	const organizer = organizerOf(work);
	if (events.length === 0 || !uid) {
		throw new InvalidStoredEventError(events.length === 0 ? 'The calendar holds no VEVENT' : 'The event has no UID');
	}

	if (!organizer || !addressOf(organizer)) {
		throw new InvalidStoredEventError('The event has no ORGANIZER, so there is nobody to answer');
	}

	const me = addressSet(options.me);
	if (!events.some(event => myAttendee(event, me))) {
		throw new InvalidSpecError('me', `(${[...me].join(', ')}) is not an attendee of the event`);
	}

	const {components, recurrenceId} = answeredComponents(work, options.occurrence);
	const answered = components.filter(component => myAttendee(component, me));
	if (answered.length === 0) {
		throw new InvalidSpecError('occurrence', 'names an occurrence you are not invited to');
	}

	// The user's copy: the answer on what was answered, and for the whole series on its overrides too.
	for (const component of recurrenceId === undefined ? eventsOf(work) : answered) {
		const mine = myAttendee(component, me);
		if (mine) {
			setAnswer(mine, options.answer);
		}
	}

	completeTimeZones(work);
	const reply = newCalendar('REPLY');
	for (const component of answered) {
		reply.addSubcomponent(replyComponent(component, me, options, now));
	}

	// RFC 5545 §3.2.19: every TZID the REPLY uses comes with its VTIMEZONE.
	const used = new Set(tzidsUsed(reply));
	const zones = work.getAllSubcomponents('vtimezone').filter(zone => used.has(String(zone.getFirstPropertyValue('tzid'))));
	for (const zone of zones) {
		reply.addSubcomponent(cloneComponent(zone));
	}

	const mine = myAttendee(answered[0]!, me)!;
	const attendeeName = displayName(mine);
	const organizerName = displayName(organizer);
	const master = masterOf(work) ?? answered[0]!;
	return {
		uid,
		reply: serialize(zonesFirst(reply)),
		caldav: serialize(work),
		organizer: {email: addressOf(organizer), ...(organizerName ? {name: organizerName} : {})},
		attendee: {email: addressOf(mine), ...(attendeeName ? {name: attendeeName} : {})},
		summary: String(answered[0]!.getFirstPropertyValue('summary') ?? master.getFirstPropertyValue('summary') ?? ''),
		answer: options.answer,
		...(recurrenceId === undefined ? {} : {recurrenceId}),
	};
}

function replyComponent(source: ICAL.Component, me: ReadonlySet<string>, options: ReplyOptions, now: ICAL.Time): ICAL.Component {
	const event = new ICAL.Component('vevent');
	event.addPropertyWithValue('uid', String(source.getFirstPropertyValue('uid')));
	// RFC 5546 §3.2.3: DTSTAMP is when the reply was made; SEQUENCE is the version answered.
	event.addPropertyWithValue('dtstamp', now.clone());
	event.addPropertyWithValue('sequence', Number(source.getFirstPropertyValue('sequence') ?? 0) || 0);
	event.addProperty(copyProperty(source.getFirstProperty('organizer') ?? organizerFallback(source)));
	const attendee = copyProperty(myAttendee(source, me)!);
	setAnswer(attendee, options.answer);
	event.addProperty(attendee);
	for (const name of copied) {
		for (const property of source.getAllProperties(name)) {
			event.addProperty(copyProperty(property));
		}
	}

	if (options.comment !== undefined && options.comment.trim() !== '') {
		event.addPropertyWithValue('comment', options.comment.trim());
	}

	return event;
}

/** An override made by another client may lack ORGANIZER; the series' one is the same person. */
function organizerFallback(source: ICAL.Component): ICAL.Property {
	const parent = source.parent;
	const organizer = parent ? organizerOf(parent) : undefined;
	if (!organizer) {
		throw new InvalidStoredEventError('The event has no ORGANIZER, so there is nobody to answer');
	}

	return organizer;
}

/** The CN of an ATTENDEE/ORGANIZER when it is a name, not the address again (Google writes `CN=ann@example.org`). */
function displayName(property: ICAL.Property): string | undefined {
	const name = parameterValues(property, 'cn')[0]?.trim();
	return name && normalizeAddress(name) !== addressOf(property) ? name : undefined;
}
