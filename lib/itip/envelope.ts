/**
 * The envelope checks of an incoming iTIP message, before anything in it is acted on: its METHOD and size, that it is
 * about the stored event (UID) and that we organize it, who answers, whether they are invited, and whether the mail
 * shows they sent it. Shared by REPLY and COUNTER (as sabre/vobject's Broker checks before processMessageReply), and
 * cheap: no occurrence is located here, so a crafted message costs no more than parsing it.
 */
import type ICAL from 'ical.js';
import {normalizeAddress, punycodeAddress} from '../address.ts';
import {addressOf, parameterValues} from './attendee-state.ts';
import {eventsOf, masterOf, parseCalendar} from './calendar.ts';
import {cleanLine} from './clean-text.ts';
import {lookalikeWarnings} from './lookalike.ts';
import type {ReplyContext, ReviewCheck} from './types.ts';

/**
 * The most VEVENTs one message may carry. Thunderbird answers a recurring event with the master and one override per
 * instance the attendee answered differently; Google, Outlook and iCloud send one VEVENT per reply (or two). 25 covers
 * a series with two dozen separately answered instances; anything above is not a person's answer but work thrown at us.
 */
export const maxMessageEvents = 25;

export type Envelope = {
	method: 'REPLY' | 'COUNTER';
	storedCalendar: ICAL.Component;
	replyCalendar: ICAL.Component;
	replyEvents: ICAL.Component[];
	/** The attendee answering (REPLY); '' for a COUNTER, which names its proposer in its own way. */
	replier: string;
	/** The organizer, one of the user's addresses. */
	organizer: string;
};

/** Why a message needs a person, and the one check that "apply anyway" overrides. */
export type ReviewFinding = {check: ReviewCheck; reason: string; warnings: string[]};

export type EnvelopeVerdict =
	| {kind: 'ignored'; reason: string}
	| {kind: 'checked'; envelope: Envelope; review: ReviewFinding | undefined};

/**
 * Counts the VEVENTs of iCalendar text without parsing it (a line-start scan), so that an oversized message is turned
 * away before ical.js builds a component tree for every one of them.
 */
export function countEvents(text: string): number {
	return text.match(/^BEGIN:VEVENT[ \t]*\r?$/gim)?.length ?? 0;
}

/** Why a message with this many VEVENTs is not read, or undefined when it is within the limit. */
export function tooManyEventsReason(text: string): string | undefined {
	const count = countEvents(text);
	return count > maxMessageEvents ? `The message carries ${count} events; an answer carries at most ${maxMessageEvents}, so it was not read.` : undefined;
}

/** Every address the stored event names as an attendee, in any component. */
function storedAttendees(storedCalendar: ICAL.Component): ICAL.Property[] {
	return eventsOf(storedCalendar).flatMap(event => event.getAllProperties('attendee'));
}

/** True when `address` is an ATTENDEE of the master or of any override. */
export function isInvited(storedCalendar: ICAL.Component, address: string): boolean {
	return storedAttendees(storedCalendar).some(property => addressOf(property) === address);
}

/**
 * Checks a REPLY or COUNTER against the stored event. `ignored` when the message is not one we act on at all;
 * otherwise the parsed envelope and, when a person must decide, the first check that failed.
 */
export function checkEnvelope(stored: string, message: string, context: ReplyContext): EnvelopeVerdict {
	const tooMany = tooManyEventsReason(message);
	if (tooMany) {
		return {kind: 'ignored', reason: tooMany};
	}

	const storedParse = parseCalendar(stored);
	if (!storedParse.ok) {
		return {kind: 'ignored', reason: `The stored event could not be read: ${cleanLine(storedParse.reason)}.`};
	}

	const replyParse = parseCalendar(message);
	if (!replyParse.ok) {
		return {kind: 'ignored', reason: `The message is not valid iCalendar: ${cleanLine(replyParse.reason)}.`};
	}

	const storedCalendar = storedParse.calendar;
	const replyCalendar = replyParse.calendar;
	const storedEvents = eventsOf(storedCalendar);
	if (storedEvents.length === 0) {
		return {kind: 'ignored', reason: 'The stored calendar object holds no event.'};
	}

	const method = cleanLine(String(replyCalendar.getFirstPropertyValue('method') ?? '').toUpperCase(), 40);
	// RFC 5546 §1.4: METHOD says what the message asks for; only REPLY (and COUNTER, for review) reach an organizer here.
	if (method !== 'REPLY' && method !== 'COUNTER') {
		return {kind: 'ignored', reason: method ? `The message is a ${method}, not a REPLY.` : 'The message has no METHOD, so it is not an iTIP reply.'};
	}

	const replyEvents = eventsOf(replyCalendar);
	if (replyEvents.length === 0) {
		const other = replyCalendar.getAllSubcomponents().find(component => component.name !== 'vtimezone');
		return {kind: 'ignored', reason: other ? `The ${method} is about a ${cleanLine(other.name.toUpperCase(), 40)}; only events (VEVENT) are handled.` : `The ${method} holds no event.`};
	}

	// RFC 5546 §3.2.3: all components of a REPLY MUST have the same UID, the UID of the original REQUEST.
	const storedUid = String(storedEvents[0]?.getFirstPropertyValue('uid') ?? '');
	const replyUids = new Set(replyEvents.map(event => String(event.getFirstPropertyValue('uid') ?? '')));
	if (replyUids.size !== 1) {
		return {kind: 'ignored', reason: `The ${method} mixes events with different UIDs.`};
	}

	const [replyUid] = replyUids;
	if (!replyUid || replyUid !== storedUid) {
		return {kind: 'ignored', reason: `The ${method} is for another event (UID ${cleanLine(replyUid ?? '') || 'missing'}), not this one (UID ${cleanLine(storedUid)}).`};
	}

	// RFC 6047 §2.2.1: only the organizer may change the event, so we act only on events we organize.
	const organizerProperty = (masterOf(storedCalendar) ?? storedEvents[0])?.getFirstProperty('organizer')
		?? storedEvents.map(event => event.getFirstProperty('organizer')).find(Boolean);
	const organizer = organizerProperty ? addressOf(organizerProperty) : '';
	const me = new Set(context.me.map(address => normalizeAddress(address)).filter(Boolean));
	if (!organizer) {
		return {kind: 'ignored', reason: 'The stored event has no ORGANIZER, so it is not a meeting anyone can reply to.'};
	}

	if (!me.has(organizer)) {
		return {kind: 'ignored', reason: `The event is organized by ${organizer}, not by you (${[...me].join(', ') || 'no address given'}).`};
	}

	if (method === 'COUNTER') {
		return {kind: 'checked', envelope: {method, storedCalendar, replyCalendar, replyEvents, replier: '', organizer}, review: undefined};
	}

	// RFC 5546 §3.2.3: each VEVENT of a REPLY carries exactly one ATTENDEE, the one replying.
	// A REPLY without ORGANIZER (some Outlook versions) is accepted: the UID already ties it to our event.
	const repliers = new Set<string>();
	for (const event of replyEvents) {
		const attendees = event.getAllProperties('attendee');
		if (attendees.length !== 1) {
			return {kind: 'ignored', reason: `A reply must name exactly one attendee per event, the one answering; this one names ${attendees.length}.`};
		}

		repliers.add(addressOf(attendees[0]!));
	}

	const [replier] = repliers;
	if (repliers.size !== 1) {
		return {kind: 'ignored', reason: 'A reply must come from one attendee; this one answers for several.'};
	}

	if (!replier) {
		return {kind: 'ignored', reason: 'The reply\'s ATTENDEE has no address.'};
	}

	const envelope: Envelope = {method, storedCalendar, replyCalendar, replyEvents, replier: cleanLine(replier), organizer};
	return {kind: 'checked', envelope, review: reviewFinding(envelope, context)};
}

/** The first check a person must decide on, in the order uninvited, sender, authentication; undefined when none. */
function reviewFinding(envelope: Envelope, context: ReplyContext): ReviewFinding | undefined {
	const overridden = new Set<ReviewCheck>(context.overrides ?? []);
	if (context.allowUninvited) {
		overridden.add('uninvited');
	}

	if (context.trustSender) {
		overridden.add('sender');
		overridden.add('authentication');
	}

	const {storedCalendar} = envelope;
	// Addresses in sentences are shown as mail servers see them, so a lookalike domain shows as the xn-- it is.
	const replier = punycodeAddress(envelope.replier);
	const from = (context.senders ?? []).map(address => cleanLine(normalizeAddress(address))).filter(Boolean);
	// Only worked out for a message that goes to a person: the skeletons cost more than the rest of the checks.
	const finding = (check: ReviewCheck, reason: string): ReviewFinding | undefined => {
		if (overridden.has(check)) {
			return undefined;
		}

		const known = [envelope.organizer, ...storedAttendees(storedCalendar).map(property => addressOf(property))];
		return {check, reason, warnings: lookalikeWarnings([envelope.replier, ...from], known)};
	};

	// The replier must be invited (RFC 5546 §3.2.3 "party crasher"); RFC 5546 leaves accepting them to the organizer.
	if (!isInvited(storedCalendar, envelope.replier)) {
		const attendee = envelope.replyEvents[0]?.getFirstProperty('attendee');
		const delegatedFrom = attendee ? parameterValues(attendee, 'delegated-from').map(value => cleanLine(normalizeAddress(value))).slice(0, 3) : [];
		// A delegate whose delegator's REPLY has not arrived yet looks uninvited too (RFC 5546 §3.2.2.3); say so.
		const hint = delegatedFrom.length > 0 ? ` (it says ${delegatedFrom.join(', ')} delegated to it, but that delegation has not been recorded)` : '';
		const found = finding('uninvited', `${replier} answered but is not invited to the event${hint}; check it before adding them.`);
		if (found) {
			return found;
		}
	}

	const sender = senderFinding(envelope, from, context);
	if (sender) {
		const found = finding('sender', sender);
		if (found) {
			return found;
		}
	}

	if (context.authentication) {
		return finding('authentication', `Your mail provider says the mail claiming to be from ${punycodeAddress(from[0] ?? replier)} failed its check (${cleanLine(context.authentication)}), so it may be forged; confirm it before applying.`);
	}

	return undefined;
}

/**
 * RFC 6047 §2.2.1: "only the respondent has the authorization to indicate their status to the Organizer"; the
 * organizer MUST ignore spoof@ declining for b@. The originator is the mail's From: a Sender header is the sender's
 * own claim and proves nothing, so it is never compared with the replier. Someone answering on another's behalf
 * (RFC 5545 §3.2.18 SENT-BY) counts only when From is that SENT-BY and the organizer's copy already names it for
 * the attendee: the reply itself is written by whoever sent it. Returns the reason for review, or undefined.
 */
function senderFinding(envelope: Envelope, from: readonly string[], context: ReplyContext): string | undefined {
	const {storedCalendar} = envelope;
	const replier = envelope.replier;
	const shown = punycodeAddress(replier);
	if (from.length === 0) {
		return `The reply came without a mail around it, so nothing shows it was sent by ${shown}; confirm it before applying.`;
	}

	if (from.includes(replier)) {
		return undefined;
	}

	const attendee = envelope.replyEvents[0]?.getFirstProperty('attendee');
	const sentByValue = attendee ? parameterValues(attendee, 'sent-by')[0] : undefined;
	const sentBy = sentByValue ? cleanLine(normalizeAddress(sentByValue)) : undefined;
	if (sentBy && from.includes(sentBy)) {
		const listings = storedAttendees(storedCalendar).filter(property => addressOf(property) === replier);
		const known = listings.length > 0 && listings.every(property => parameterValues(property, 'sent-by').map(value => normalizeAddress(value)).includes(sentBy));
		if (known) {
			return undefined;
		}

		return `The mail came from ${punycodeAddress(sentBy)}, answering on behalf of ${shown}; the event does not list ${punycodeAddress(sentBy)} as allowed to answer for them, so confirm it.`;
	}

	const onBehalf = context.senderHeader && normalizeAddress(context.senderHeader) !== from[0] ? ` (its Sender header names ${cleanLine(normalizeAddress(context.senderHeader))}, which proves nothing)` : '';
	return `The mail came from ${from.map(address => punycodeAddress(address)).join(' / ')}${onBehalf}, but the answer is for ${shown}; only ${shown} may answer for themselves (RFC 6047 §2.2.1).`;
}
