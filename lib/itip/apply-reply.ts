/**
 * applyReply: the organizer's decision on an incoming iTIP REPLY (RFC 5546 §3.2.3), and the stored event after it.
 *
 * Shaped like sabre/vobject's Broker::processMessageReply, with these deliberate differences:
 * - a reply from an address that is not invited (a "party crasher") is `review`, never added silently;
 * - the mail's sender must be the replier (RFC 6047 §2.2.1), else `review`;
 * - replies are ordered by SEQUENCE and DTSTAMP (RFC 5546 §2.1.5), so a late, older reply cannot undo a newer one;
 * - the stored event is never modified in place: a fresh copy is returned.
 */
import type ICAL from 'ical.js';
import {normalizeAddress} from './address.ts';
import {
	addressOf,
	compareReplies,
	isPartStat,
	newAttendee,
	parameterValues,
	readState,
	sameState,
	writeState,
	type AttendeeState,
} from './attendee-state.ts';
import {cloneComponent, eventsOf, masterOf, parseCalendar, sequenceOf, withMethod} from './calendar.ts';
import {processCounter} from './counter.ts';
import {isoOfKey, keyOfProperty, sameInstant, type InstantKey} from './instants.ts';
import {createOverride, findOccurrence} from './recurrence.ts';
import {serialize} from './serialize.ts';
import type {ApplyReplyResult, PartStat, ReplyChange, ReplyContext} from './types.ts';

/** One VEVENT of a REPLY: one attendee's answer for the series or for one occurrence. */
type Answer = {
	recurrenceId: InstantKey | undefined;
	partstat: PartStat;
	delegatedTo: string[];
	delegatedFrom: string[];
	comment: string | undefined;
	requestStatus: string[];
	sequence: number;
	dtstamp: string | undefined;
	sentBy: string | undefined;
	name: string | undefined;
};

/** Where an answer lands in the stored event. */
type Target =
	| {kind: 'existing'; index: number}
	| {kind: 'new'; occurrence: ICAL.Time}
	| {kind: 'none'; why: string};

type Decision = {outcome: ApplyReplyResult['outcome']; reason: string};

const verbs: Record<PartStat, string> = {
	ACCEPTED: 'accepted',
	DECLINED: 'declined',
	TENTATIVE: 'tentatively accepted',
	DELEGATED: 'delegated',
	'NEEDS-ACTION': 'has not decided on',
};

function unchangedResult(stored: string, decision: Decision): ApplyReplyResult {
	return {...decision, changes: [], event: stored};
}

function ignored(stored: string, reason: string): ApplyReplyResult {
	return unchangedResult(stored, {outcome: 'ignored', reason});
}

function describeOccurrence(answer: {recurrenceId: InstantKey | undefined}): string {
	return answer.recurrenceId ? `the occurrence of ${isoOfKey(answer.recurrenceId)}` : 'the event';
}

/**
 * Applies an attendee's REPLY to the organizer's stored event.
 *
 * Never throws: malformed input, a foreign event or an unsupported message is an `ignored` outcome with a reason.
 *
 * @param stored The organizer's event as stored (iCalendar text, normally without METHOD).
 * @param reply The iTIP message received (iCalendar text with METHOD:REPLY, or COUNTER).
 * @param context Who sent the mail and who the user is.
 * @returns The decision, the per-attendee changes, and the event after them.
 * @example
 * const result = applyReply(storedIcs, replyIcs, {senders: ['ann@example.org'], me: ['me@example.com']});
 * if (result.outcome === 'applied') await putEvent(result.event);
 */
export function applyReply(stored: string, reply: string, context: ReplyContext): ApplyReplyResult {
	const storedText = typeof stored === 'string' ? stored : '';
	try {
		return processReply(storedText, reply, context);
	} catch (error) {
		// A last resort: every expected problem is handled below, but a parser corner case must not crash the loop.
		return ignored(storedText, `The reply could not be processed: ${error instanceof Error ? error.message : String(error)}.`);
	}
}

function processReply(stored: string, reply: string, context: ReplyContext): ApplyReplyResult {
	const storedParse = parseCalendar(stored);
	if (!storedParse.ok) {
		return ignored(stored, `The stored event could not be read: ${storedParse.reason}.`);
	}

	const replyParse = parseCalendar(reply);
	if (!replyParse.ok) {
		return ignored(stored, `The message is not valid iCalendar: ${replyParse.reason}.`);
	}

	const storedCalendar = storedParse.calendar;
	const replyCalendar = replyParse.calendar;
	const storedEvents = eventsOf(storedCalendar);
	if (storedEvents.length === 0) {
		return ignored(stored, 'The stored calendar object holds no event.');
	}

	const method = String(replyCalendar.getFirstPropertyValue('method') ?? '').toUpperCase();
	const isCounter = method === 'COUNTER';
	// RFC 5546 §1.4: METHOD says what the message asks for; only REPLY (and COUNTER, for review) reach an organizer here.
	if (method !== 'REPLY' && !isCounter) {
		return ignored(stored, method ? `The message is a ${method}, not a REPLY.` : 'The message has no METHOD, so it is not an iTIP reply.');
	}

	const replyEvents = eventsOf(replyCalendar);
	if (replyEvents.length === 0) {
		const other = replyCalendar.getAllSubcomponents().find(component => component.name !== 'vtimezone');
		return ignored(stored, other ? `The ${method} is about a ${other.name.toUpperCase()}; only events (VEVENT) are handled.` : `The ${method} holds no event.`);
	}

	// RFC 5546 §3.2.3: all components of a REPLY MUST have the same UID, the UID of the original REQUEST.
	const storedUid = String(storedEvents[0]?.getFirstPropertyValue('uid') ?? '');
	const replyUids = new Set(replyEvents.map(event => String(event.getFirstPropertyValue('uid') ?? '')));
	if (replyUids.size !== 1) {
		return ignored(stored, `The ${method} mixes events with different UIDs.`);
	}

	const [replyUid] = replyUids;
	if (!replyUid || replyUid !== storedUid) {
		return ignored(stored, `The ${method} is for another event (UID ${replyUid || 'missing'}), not this one (UID ${storedUid}).`);
	}

	// RFC 6047 §2.2.1: only the organizer may change the event, so we act only on events we organize.
	const organizerProperty = (masterOf(storedCalendar) ?? storedEvents[0])?.getFirstProperty('organizer')
		?? storedEvents.map(event => event.getFirstProperty('organizer')).find(Boolean);
	const organizer = organizerProperty ? addressOf(organizerProperty) : '';
	const me = new Set(context.me.map(address => normalizeAddress(address)).filter(Boolean));
	if (!organizer) {
		return ignored(stored, 'The stored event has no ORGANIZER, so it is not a meeting anyone can reply to.');
	}

	if (!me.has(organizer)) {
		return ignored(stored, `The event is organized by ${organizer}, not by you (${[...me].join(', ') || 'no address given'}).`);
	}

	if (isCounter) {
		return processCounter(stored, storedCalendar, replyCalendar, replyEvents, context);
	}

	// RFC 5546 §3.2.3: each VEVENT of a REPLY carries exactly one ATTENDEE, the one replying.
	// A REPLY without ORGANIZER (some Outlook versions) is accepted: the UID already ties it to our event.
	const repliers = new Set<string>();
	for (const event of replyEvents) {
		const attendees = event.getAllProperties('attendee');
		if (attendees.length !== 1) {
			return ignored(stored, `A reply must name exactly one attendee per event, the one answering; this one names ${attendees.length}.`);
		}

		repliers.add(addressOf(attendees[0]!));
	}

	const [replier] = repliers;
	if (repliers.size !== 1) {
		return ignored(stored, 'A reply must come from one attendee; this one answers for several.');
	}

	if (!replier) {
		return ignored(stored, 'The reply\'s ATTENDEE has no address.');
	}

	const answers: Answer[] = [];
	for (const event of replyEvents) {
		const answer = readAnswer(event, [replyCalendar, storedCalendar]);
		if (typeof answer === 'string') {
			return ignored(stored, answer);
		}

		answers.push(answer);
	}

	const keys = answers.map(answer => (answer.recurrenceId ? `${answer.recurrenceId.kind}:${answer.recurrenceId.value}` : 'master'));
	if (new Set(keys).size !== keys.length) {
		return ignored(stored, 'The reply answers the same occurrence twice.');
	}

	// Master first, so a new override made in the same reply copies the master's updated attendee list.
	answers.sort((a, b) => (a.recurrenceId ? 1 : 0) - (b.recurrenceId ? 1 : 0));
	const targets = answers.map(answer => locate(answer, storedCalendar, replyCalendar));
	const located = answers.map((answer, index) => ({answer, target: targets[index]!}));
	const usable = located.filter(item => item.target.kind !== 'none');
	if (usable.length === 0) {
		const why = located.map(item => (item.target.kind === 'none' ? item.target.why : '')).join(' ');
		return ignored(stored, `Nothing in the reply matches this event: ${why}`);
	}

	const proposed = usable.map(item => changeFor(replier, item.answer));

	// The replier must already be invited to what they answer (RFC 5546 §3.2.3 "party crasher"). An uninvited
	// address is shown to the user to decide (RFC 5546 leaves accepting or cancelling them to the organizer).
	const uninvited = usable.filter(item => !attendeePropertyIn(componentFor(item.target, storedCalendar), replier));
	if (uninvited.length > 0 && !context.allowUninvited) {
		const first = uninvited[0]!.answer;
		// A delegate whose delegator's REPLY has not arrived yet looks uninvited too (RFC 5546 §3.2.2.3); say so.
		const hint = first.delegatedFrom.length > 0 ? ` (it says ${first.delegatedFrom.join(', ')} delegated to it, but that delegation has not been recorded)` : '';
		return {
			outcome: 'review',
			reason: `${replier} answered but is not invited to ${describeOccurrence(first)}${hint}; check it before adding them.`,
			changes: proposed,
			event: stored,
		};
	}

	const senderProblem = checkSender(replier, usable, storedCalendar, context);
	if (senderProblem) {
		return {outcome: 'review', reason: senderProblem, changes: proposed, event: stored};
	}

	return applyAnswers(stored, storedCalendar, replyCalendar, replier, usable, located);
}

/** Reads one VEVENT of a REPLY; a string is the reason to ignore the whole reply. */
function readAnswer(event: ICAL.Component, calendars: readonly ICAL.Component[]): Answer | string {
	const attendee = event.getFirstProperty('attendee')!;
	const rawPartstat = (parameterValues(attendee, 'partstat')[0] ?? 'NEEDS-ACTION').toUpperCase();
	// RFC 5545 §3.2.12: the PARTSTAT values for a VEVENT; IN-PROCESS/COMPLETED belong to to-dos.
	if (!isPartStat(rawPartstat)) {
		return `The reply's PARTSTAT ${rawPartstat} is not an answer to an event.`;
	}

	const recurrenceProperty = event.getFirstProperty('recurrence-id');
	let recurrenceId: InstantKey | undefined;
	if (recurrenceProperty) {
		recurrenceId = keyOfProperty(recurrenceProperty, calendars);
		if (!recurrenceId) {
			return 'The reply has a RECURRENCE-ID that is not a date.';
		}
	}

	const dtstampProperty = event.getFirstProperty('dtstamp');
	const dtstampKey = dtstampProperty ? keyOfProperty(dtstampProperty, calendars) : undefined;
	const comments = event.getAllProperties('comment').map(property => String(property.getFirstValue() ?? '')).filter(Boolean);
	const sentBy = parameterValues(attendee, 'sent-by')[0];
	const name = parameterValues(attendee, 'cn')[0];
	return {
		recurrenceId,
		partstat: rawPartstat,
		delegatedTo: parameterValues(attendee, 'delegated-to').map(value => normalizeAddress(value)).filter(Boolean).sort(),
		delegatedFrom: parameterValues(attendee, 'delegated-from').map(value => normalizeAddress(value)).filter(Boolean),
		comment: comments.length > 0 ? comments.join('\n') : undefined,
		requestStatus: event.getAllProperties('request-status').map(property => requestStatusText(property)),
		sequence: sequenceOf(event),
		// RFC 5545 §3.8.7.2: DTSTAMP is UTC; anything else cannot be ordered and counts as missing.
		dtstamp: dtstampKey?.kind === 'utc' ? dtstampKey.value : undefined,
		sentBy: sentBy ? normalizeAddress(sentBy) : undefined,
		name: name || undefined,
	};
}

function requestStatusText(property: ICAL.Property): string {
	const value: unknown = property.getFirstValue();
	return Array.isArray(value) ? value.join(';') : String(value ?? '');
}

/** RFC 5546 §2.1.5 rule 1: a component is found by UID (already checked) and RECURRENCE-ID. */
function locate(answer: Answer, storedCalendar: ICAL.Component, replyCalendar: ICAL.Component): Target {
	const events = eventsOf(storedCalendar);
	if (!answer.recurrenceId) {
		const index = events.findIndex(event => !event.hasProperty('recurrence-id'));
		return index === -1 ? {kind: 'none', why: 'the reply answers the whole series, but only single occurrences are stored.'} : {kind: 'existing', index};
	}

	const target = answer.recurrenceId;
	const index = events.findIndex(event => {
		const property = event.getFirstProperty('recurrence-id');
		const key = property ? keyOfProperty(property, [storedCalendar, replyCalendar]) : undefined;
		return key !== undefined && sameInstant(key, target);
	});
	if (index !== -1) {
		return {kind: 'existing', index};
	}

	const master = masterOf(storedCalendar);
	if (!master) {
		return {kind: 'none', why: `there is no series to add the occurrence of ${isoOfKey(target)} to.`};
	}

	// Only a real occurrence of the RRULE/RDATE set may get an override (RFC 5545 §3.8.4.4).
	const occurrence = findOccurrence(master, [storedCalendar, replyCalendar], target);
	return occurrence ? {kind: 'new', occurrence} : {kind: 'none', why: `the event has no occurrence at ${isoOfKey(target)}.`};
}

function componentFor(target: Target, calendar: ICAL.Component): ICAL.Component | undefined {
	const events = eventsOf(calendar);
	if (target.kind === 'existing') {
		return events[target.index];
	}

	return target.kind === 'new' ? masterOf(calendar) : undefined;
}

function attendeePropertyIn(component: ICAL.Component | undefined, address: string): ICAL.Property | undefined {
	return component?.getAllProperties('attendee').find(property => addressOf(property) === address);
}

function changeFor(replier: string, answer: Answer, note?: string): ReplyChange {
	const change: ReplyChange = {attendee: replier, partstat: answer.partstat};
	if (answer.recurrenceId) {
		change.recurrenceId = isoOfKey(answer.recurrenceId);
	}

	if (answer.comment !== undefined) {
		change.comment = answer.comment;
	}

	if (answer.delegatedTo.length > 0) {
		change.delegatedTo = answer.delegatedTo;
	}

	if (answer.requestStatus.length > 0) {
		change.requestStatus = answer.requestStatus;
	}

	if (note) {
		change.note = note;
	}

	return change;
}

/**
 * RFC 6047 §2.2.1: "only the respondent has the authorization to indicate their status to the Organizer"; the
 * organizer MUST ignore spoof@ declining for b@. The mail's From or Sender must be the replier. A SENT-BY in the reply
 * is only as good as the stored event: the reply itself is written by whoever sent it, so it counts only when the
 * organizer's copy already names that SENT-BY for the attendee. Returns the reason for review, or undefined.
 */
function checkSender(replier: string, usable: ReadonlyArray<{answer: Answer; target: Target}>, storedCalendar: ICAL.Component, context: ReplyContext): string | undefined {
	if (context.trustSender) {
		return undefined;
	}

	const senders = (context.senders ?? []).map(address => normalizeAddress(address)).filter(Boolean);
	if (senders.length === 0) {
		return `The reply came without a mail around it, so nothing shows it was sent by ${replier}; confirm it before applying.`;
	}

	if (senders.includes(replier)) {
		return undefined;
	}

	const sentBy = usable[0]?.answer.sentBy;
	if (sentBy && senders.includes(sentBy)) {
		const known = usable.every(item => {
			const property = attendeePropertyIn(componentFor(item.target, storedCalendar), replier);
			const storedSentBy = property ? parameterValues(property, 'sent-by').map(value => normalizeAddress(value)) : [];
			return storedSentBy.includes(sentBy);
		});
		if (known) {
			return undefined;
		}

		return `The mail came from ${sentBy}, answering on behalf of ${replier}; the event does not list ${sentBy} as allowed to answer for them, so confirm it.`;
	}

	return `The mail came from ${senders.join(' / ')}, but the answer is for ${replier}; only ${replier} may answer for themselves (RFC 6047 §2.2.1).`;
}

type Applied = {change?: ReplyChange; status: 'applied' | 'unchanged' | 'stale'; detail: string};

function applyAnswers(
	stored: string,
	storedCalendar: ICAL.Component,
	replyCalendar: ICAL.Component,
	replier: string,
	usable: ReadonlyArray<{answer: Answer; target: Target}>,
	located: ReadonlyArray<{answer: Answer; target: Target}>,
): ApplyReplyResult {
	const work = cloneComponent(storedCalendar);
	const events = eventsOf(work);
	const results: Applied[] = [];
	for (const {answer, target} of usable) {
		let component: ICAL.Component;
		if (target.kind === 'existing') {
			component = events[target.index]!;
		} else if (target.kind === 'new') {
			const master = masterOf(work)!;
			component = createOverride(master, target.occurrence, [work, replyCalendar]);
			// Stamps of earlier replies belong to the master's key (UID, no RECURRENCE-ID); the new override is a new
			// key (RFC 5546 §2.1.5 rule 1) and starts without them.
			for (const property of component.getAllProperties('attendee')) {
				writeState(property, {...readState(property), replySequence: undefined, replyDtstamp: undefined});
			}

			work.addSubcomponent(component);
		} else {
			continue;
		}

		results.push(applyAnswer(component, replier, answer, target.kind === 'new'));
	}

	const changes = results.flatMap(result => (result.status === 'applied' && result.change ? [result.change] : []));
	const skipped = located.flatMap(item => (item.target.kind === 'none' ? [`Skipped: ${item.target.why}`] : []));
	const details = results.filter(result => result.status !== 'applied').map(result => result.detail);
	if (changes.length > 0) {
		const summary = results.filter(result => result.status === 'applied').map(result => result.detail).join('; ');
		return {
			outcome: 'applied',
			reason: [`${replier} ${summary}.`, ...details, ...skipped].join(' '),
			changes,
			// RFC 4791 §4.1: the copy written back to CalDAV carries no METHOD, even if the stored one did.
			event: serialize(withMethod(work, undefined)),
		};
	}

	if (results.some(result => result.status === 'unchanged')) {
		return unchangedResult(stored, {outcome: 'unchanged', reason: [...details, ...skipped].join(' ')});
	}

	return ignored(stored, [...details, ...skipped].join(' '));
}

function applyAnswer(component: ICAL.Component, replier: string, answer: Answer, isNewOverride: boolean): Applied {
	const what = describeOccurrence(answer);
	let property = attendeePropertyIn(component, replier);
	if (!property) {
		// Only reached when the caller allowed an uninvited replier after review (RFC 5546 §3.2.3 "party crasher").
		property = newAttendee(replier, {cutype: 'INDIVIDUAL', role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION', ...(answer.name ? {cn: answer.name} : {})});
		component.addProperty(property);
	}

	const before = readState(property);
	const order = compareReplies(answer, {sequence: before.replySequence, dtstamp: before.replyDtstamp});
	if (order === 'older') {
		return {
			status: 'stale',
			detail: `The reply for ${what} is older than the answer already recorded from ${replier} (SEQUENCE ${answer.sequence}${answer.dtstamp ? `, DTSTAMP ${answer.dtstamp}` : ''}), so it was not applied (RFC 5546 §2.1.5).`,
		};
	}

	const after: AttendeeState = {
		partstat: answer.partstat,
		// RFC 5545 §3.2.17: RSVP asks for a reply; once answered, no reply is expected any more.
		rsvp: answer.partstat === 'NEEDS-ACTION' ? before.rsvp : 'FALSE',
		// RFC 5545 §3.2.5: DELEGATED-TO only accompanies PARTSTAT=DELEGATED.
		delegatedTo: answer.partstat === 'DELEGATED' ? answer.delegatedTo : [],
		comment: answer.comment,
		requestStatus: answer.requestStatus.length > 0 ? answer.requestStatus.map(status => status.split(';')[0]!.trim()).join(',') : undefined,
		replySequence: answer.sequence,
		replyDtstamp: answer.dtstamp,
	};

	const delegatesAdded = answer.partstat === 'DELEGATED' ? addDelegates(component, property, replier, answer.delegatedTo) : 0;
	if (sameState(before, after) && delegatesAdded === 0 && !isNewOverride) {
		return {status: 'unchanged', detail: `${replier} had already ${verbs[answer.partstat]} ${what}; nothing changed.`};
	}

	writeState(property, after);
	// RFC 5546 §2.1.4/§2.1.5: a reply to an earlier SEQUENCE is still the attendee's latest word, but the event may
	// have changed since they saw it, so the change says so.
	const eventSequence = sequenceOf(component);
	const note = answer.sequence < eventSequence ? `answered an earlier version of the event (SEQUENCE ${answer.sequence}; the event is at ${eventSequence})` : undefined;
	const change = changeFor(replier, answer, note);
	const delegated = answer.partstat === 'DELEGATED' && answer.delegatedTo.length > 0 ? ` to ${answer.delegatedTo.join(', ')}` : '';
	return {
		status: 'applied',
		change,
		detail: `${verbs[answer.partstat]} ${what}${delegated}${note ? ` (${note})` : ''}`,
	};
}

/**
 * RFC 5546 §3.2.2.3: when an attendee delegates, the organizer's copy lists the delegate as a new attendee with
 * DELEGATED-FROM, who has yet to answer. Returns how many delegates were added or updated.
 */
function addDelegates(component: ICAL.Component, delegator: ICAL.Property, delegatorAddress: string, delegates: readonly string[]): number {
	let count = 0;
	for (const delegate of delegates) {
		if (delegate === delegatorAddress) {
			continue;
		}

		const existing = attendeePropertyIn(component, delegate);
		if (existing) {
			const from = parameterValues(existing, 'delegated-from').map(value => normalizeAddress(value));
			if (!from.includes(delegatorAddress)) {
				existing.setParameter('delegated-from', [...from, delegatorAddress].map(address => `mailto:${address}`));
				count++;
			}

			continue;
		}

		const role = parameterValues(delegator, 'role')[0] ?? 'REQ-PARTICIPANT';
		component.addProperty(newAttendee(delegate, {
			cutype: 'INDIVIDUAL',
			role,
			partstat: 'NEEDS-ACTION',
			rsvp: 'TRUE',
			'delegated-from': [`mailto:${delegatorAddress}`],
		}));
		count++;
	}

	return count;
}
