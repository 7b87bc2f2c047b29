/**
 * applyReply: the organizer's decision on an incoming iTIP REPLY (RFC 5546 §3.2.3), and the stored event after it.
 *
 * The envelope (METHOD, size, UID, organizer, who answers, invited, sender) is checked first, in envelope.ts, shared
 * with COUNTER; then this file reads the answers, checks they cannot freeze or rewrite the event, locates each
 * occurrence (bounded) and applies them. Shaped like sabre/vobject's Broker::processMessageReply, with these
 * deliberate differences:
 * - a reply from an address that is not invited (a "party crasher") is `review`, never added silently;
 * - the mail's From must be the replier (RFC 6047 §2.2.1), else `review`;
 * - replies are ordered by SEQUENCE and DTSTAMP (RFC 5546 §2.1.5), so a late, older reply cannot undo a newer one,
 *   and a reply from the future (a SEQUENCE the event never had, a DTSTAMP more than a day ahead) is `review` and
 *   never becomes the mark later answers are measured against;
 * - a delegation changes nothing but the replier and adds one new delegate;
 * - every text taken from the reply is cleaned and capped (clean-text.ts);
 * - the stored event is never modified in place: a fresh copy is returned.
 */
import type ICAL from 'ical.js';
import {normalizeAddress} from '../address.ts';
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
import {cloneComponent, eventsOf, masterOf, sequenceOf, withMethod} from './calendar.ts';
import {cleanLine, cleanText, maxCommentLength, maxNameLength} from './clean-text.ts';
import {processCounter} from './counter.ts';
import {checkEnvelope, isInvited, type ReviewFinding} from './envelope.ts';
import {isoOfKey, keyOfProperty, sameInstant, type InstantKey} from './instants.ts';
import {createOverride, findOccurrence, maxOccurrenceSteps, newStepBudget, type StepBudget} from './recurrence.ts';
import {serialize} from './serialize.ts';
import type {ApplyReplyResult, PartStat, ReplyChange, ReplyContext, ReviewCheck} from './types.ts';

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
		return processReply(storedText, typeof reply === 'string' ? reply : '', context);
	} catch (error) {
		// A last resort: every expected problem is handled below, but a parser corner case must not crash the loop.
		return ignored(storedText, `The reply could not be processed: ${cleanLine(error instanceof Error ? error.message : String(error))}.`);
	}
}

/** A DTSTAMP more than this far ahead of the clock is from the future, not from a skewed clock. */
const maxClockSkewMs = 24 * 60 * 60 * 1000;

function reviewOf(stored: string, finding: ReviewFinding, changes: ReplyChange[]): ApplyReplyResult {
	const warned = finding.warnings.length > 0 ? ` Warning: ${finding.warnings.join(' ')}` : '';
	return {
		outcome: 'review',
		reason: `${finding.reason}${warned}`,
		changes,
		event: stored,
		check: finding.check,
		...(finding.warnings.length > 0 ? {warnings: finding.warnings} : {}),
	};
}

function processReply(stored: string, reply: string, context: ReplyContext): ApplyReplyResult {
	const verdict = checkEnvelope(stored, reply, context);
	if (verdict.kind === 'ignored') {
		return ignored(stored, verdict.reason);
	}

	const {envelope} = verdict;
	const {storedCalendar, replyCalendar, replier} = envelope;
	if (envelope.method === 'COUNTER') {
		return processCounter(stored, storedCalendar, replyCalendar, envelope.replyEvents, context);
	}

	const answers: Answer[] = [];
	for (const event of envelope.replyEvents) {
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

	const proposed = answers.map(answer => changeFor(replier, answer));
	const overridden = new Set(context.overrides ?? []);
	const finding = verdict.review
		?? freshnessFinding(answers, storedCalendar, context.now ?? new Date(), overridden)
		?? delegationFinding(answers, storedCalendar, replier, overridden);
	if (finding) {
		return reviewOf(stored, finding, proposed);
	}

	// Master first, so a new override made in the same reply copies the master's updated attendee list.
	answers.sort((a, b) => (a.recurrenceId ? 1 : 0) - (b.recurrenceId ? 1 : 0));
	const budget = newStepBudget();
	const located = answers.map(answer => ({answer, target: locate(answer, storedCalendar, replyCalendar, budget)}));
	const usable = located.filter(item => item.target.kind !== 'none');
	if (usable.length === 0) {
		const why = located.map(item => (item.target.kind === 'none' ? item.target.why : '')).join(' ');
		return ignored(stored, `Nothing in the reply matches this event: ${why}`);
	}

	// Invited to the event, but also to each occurrence answered (an override may list fewer people).
	const uninvited = usable.find(item => !attendeePropertyIn(componentFor(item.target, storedCalendar), replier));
	if (uninvited && !context.allowUninvited && !overridden.has('uninvited')) {
		return reviewOf(stored, {check: 'uninvited', reason: `${replier} answered but is not invited to ${describeOccurrence(uninvited.answer)}; check it before adding them.`, warnings: []}, usable.map(item => changeFor(replier, item.answer)));
	}

	return applyAnswers(stored, storedCalendar, replyCalendar, replier, usable, located);
}

/**
 * RFC 5546 §2.1.5 orders replies by SEQUENCE, then DTSTAMP, and the organizer keeps the latest as the mark later
 * replies are measured against. A reply to a SEQUENCE the event never had, or stamped in the future, would become a
 * mark no genuine answer could pass; a person looks at it instead, and it is never recorded.
 */
function freshnessFinding(answers: readonly Answer[], storedCalendar: ICAL.Component, now: Date, overridden: ReadonlySet<ReviewCheck>): ReviewFinding | undefined {
	const eventSequence = Math.max(...eventsOf(storedCalendar).map(event => sequenceOf(event)));
	const ahead = answers.find(answer => answer.sequence > eventSequence);
	if (ahead && !overridden.has('sequence-ahead')) {
		return {check: 'sequence-ahead', reason: `The reply answers version ${ahead.sequence} of the event, but the event is only at version ${eventSequence} (SEQUENCE); it may be forged to hide later answers, so confirm it.`, warnings: []};
	}

	const limit = utcStampOf(new Date(now.getTime() + maxClockSkewMs));
	const future = answers.find(answer => answer.dtstamp !== undefined && answer.dtstamp > limit);
	if (future && !overridden.has('dtstamp-ahead')) {
		return {check: 'dtstamp-ahead', reason: `The reply is stamped ${isoOfKey({kind: 'utc', value: future.dtstamp!})}, more than a day in the future; it may be forged to hide later answers, so confirm it.`, warnings: []};
	}

	return undefined;
}

/** `YYYYMMDDTHHMMSSZ`, the form DTSTAMP keys take, so that they compare as strings. */
function utcStampOf(date: Date): string {
	return `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/**
 * RFC 5546 §3.2.2.3: a delegation adds the delegate to the organizer's copy. One delegate, not yet on the event
 * (unless this very delegation already added them): anything else would let one reply rewrite other attendees'
 * entries or add a crowd, so a person decides.
 */
function delegationFinding(answers: readonly Answer[], storedCalendar: ICAL.Component, replier: string, overridden: ReadonlySet<ReviewCheck>): ReviewFinding | undefined {
	if (overridden.has('delegation')) {
		return undefined;
	}

	for (const answer of answers.filter(item => item.partstat === 'DELEGATED')) {
		if (answer.delegatedTo.length > 1) {
			return {check: 'delegation', reason: `${replier} delegates to ${answer.delegatedTo.length} people (${answer.delegatedTo.slice(0, 3).join(', ')}${answer.delegatedTo.length > 3 ? ', …' : ''}); a delegation names one delegate, so confirm it.`, warnings: []};
		}

		const delegate = answer.delegatedTo[0];
		if (delegate && (delegate === replier || isInvited(storedCalendar, delegate)) && !isRecordedDelegate(storedCalendar, delegate, replier)) {
			return {check: 'delegation', reason: `${replier} delegates to ${delegate}, who is already on the event; a delegation cannot change another attendee, so confirm it.`, warnings: []};
		}
	}

	return undefined;
}

/** True when `delegate` is on the event because `delegator` delegated to them (this reply, applied before). */
function isRecordedDelegate(storedCalendar: ICAL.Component, delegate: string, delegator: string): boolean {
	const listings = eventsOf(storedCalendar).flatMap(event => event.getAllProperties('attendee')).filter(property => addressOf(property) === delegate);
	return listings.length > 0 && listings.every(property => parameterValues(property, 'delegated-from').map(value => normalizeAddress(value)).includes(delegator));
}

/** Reads one VEVENT of a REPLY; a string is the reason to ignore the whole reply. Every text is cleaned and capped. */
function readAnswer(event: ICAL.Component, calendars: readonly ICAL.Component[]): Answer | string {
	const attendee = event.getFirstProperty('attendee')!;
	const rawPartstat = cleanLine((parameterValues(attendee, 'partstat')[0] ?? 'NEEDS-ACTION').toUpperCase(), 40);
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
	const comment = comments.length > 0 ? cleanText(comments.join('\n'), maxCommentLength) : '';
	const name = cleanLine(parameterValues(attendee, 'cn')[0] ?? '', maxNameLength);
	const delegates = parameterValues(attendee, 'delegated-to').map(value => cleanLine(normalizeAddress(value))).filter(Boolean);
	return {
		recurrenceId,
		partstat: rawPartstat,
		delegatedTo: [...new Set(delegates)].sort(),
		delegatedFrom: parameterValues(attendee, 'delegated-from').map(value => cleanLine(normalizeAddress(value))).filter(Boolean).slice(0, 3),
		comment: comment || undefined,
		// RFC 5545 §3.8.8.3: a code and a description; a handful is all a reply has reason to carry.
		requestStatus: event.getAllProperties('request-status').slice(0, 5).map(property => cleanLine(requestStatusText(property), 200)),
		sequence: sequenceOf(event),
		// RFC 5545 §3.8.7.2: DTSTAMP is UTC; anything else cannot be ordered and counts as missing.
		dtstamp: dtstampKey?.kind === 'utc' ? dtstampKey.value : undefined,
		name: name || undefined,
	};
}

function requestStatusText(property: ICAL.Property): string {
	const value: unknown = property.getFirstValue();
	return Array.isArray(value) ? value.join(';') : String(value ?? '');
}

/** RFC 5546 §2.1.5 rule 1: a component is found by UID (already checked) and RECURRENCE-ID. */
function locate(answer: Answer, storedCalendar: ICAL.Component, replyCalendar: ICAL.Component, budget: StepBudget): Target {
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
	const search = findOccurrence(master, [storedCalendar, replyCalendar], target, budget);
	if (search.kind === 'found') {
		return {kind: 'new', occurrence: search.time};
	}

	return {
		kind: 'none',
		why: search.kind === 'too-far'
			? `the occurrence of ${isoOfKey(target)} is too far into the series to check (more than ${maxOccurrenceSteps} repetitions per reply).`
			: `the event has no occurrence at ${isoOfKey(target)}.`,
	};
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
 * DELEGATED-FROM, who has yet to answer. Only new addresses are added, each once; no other attendee is touched
 * (delegationFinding sent anything else to review). Returns how many delegates were added.
 */
function addDelegates(component: ICAL.Component, delegator: ICAL.Property, delegatorAddress: string, delegates: readonly string[]): number {
	let count = 0;
	for (const delegate of new Set(delegates)) {
		if (delegate === delegatorAddress || attendeePropertyIn(component, delegate)) {
			continue;
		}

		const role = parameterValues(delegator, 'role')[0] ?? 'REQ-PARTICIPANT';
		component.addProperty(newAttendee(delegate, {
			cutype: 'INDIVIDUAL',
			role: cleanLine(role, 40),
			partstat: 'NEEDS-ACTION',
			rsvp: 'TRUE',
			'delegated-from': [`mailto:${delegatorAddress}`],
		}));
		count++;
	}

	return count;
}
