/**
 * What the invitation card shows for one message, from lib/itip's decision (`process`, made in the background
 * against the user's stored copy): an invitation or an update with the answer buttons, a cancellation, a reply to
 * one of the user's events, a message that failed a trust rule (no one-click apply), or a plain notice.
 * The decision is lib/itip's; this module only words it.
 */
import type {AnswerChoice, InvitationMessage} from '../attendee/types.ts';
import type {InvitationInspection} from '../attendee/inspect.ts';
import {myPartstat, type ChangedField, type PartStat, type ReviewCheck} from '../itip/index.ts';
import {partstatLabel} from './event-list.ts';
import {formatOccurrence, type FormatOptions} from './format.ts';
import {invitationEvent, type CardEvent} from './invitation-event.ts';

export type LastReply = {text: string; failed: boolean; choice: AnswerChoice};

export type CardView =
	| {kind: 'invitation' | 'update'; event: CardEvent; changed: string[]; myAnswer?: PartStat; inCalendar: boolean; lastReply?: LastReply; note?: string}
	| {kind: 'cancellation'; event: CardEvent; occurrences: string[]; inCalendar: boolean; note?: string}
	| {kind: 'reply'; event?: CardEvent; text: string; recorded: boolean; review?: {key: string; check?: ReviewCheck}}
	/** The user's own invitation (its copy in Sent): the event as stored now, and Edit when the extension can open it. */
	| {kind: 'own'; event: CardEvent; text: string; editable: boolean}
	| {kind: 'warning'; event?: CardEvent; problem: string}
	| {kind: 'notice'; event?: CardEvent; text: string};

const changedWords: Record<ChangedField, string> = {
	time: 'the time',
	repeat: 'how it repeats',
	location: 'the place',
	summary: 'the title',
	description: 'the description',
	attendees: 'who is invited',
	status: 'its status',
};

const answerWords: Record<AnswerChoice['answer'], string> = {ACCEPTED: 'Accept', TENTATIVE: 'Maybe', DECLINED: 'Decline'};

const repliedWords: Partial<Record<PartStat, string>> = {ACCEPTED: 'accepted', TENTATIVE: 'answered maybe', DECLINED: 'declined', DELEGATED: 'delegated'};

function nameOf(event: CardEvent | undefined, email: string): string {
	const attendee = event?.attendees.find(candidate => candidate.email === email);
	return attendee?.name ?? email;
}

/** "You answered Maybe (for Tue, 8 Dec, 10:00) to olivia@…, with your comment." or why it was not sent. */
function lastReplyOf(inspection: InvitationInspection, options: FormatOptions): LastReply | undefined {
	const reply = inspection.record?.reply;
	if (!reply) {
		return undefined;
	}

	const occurrence = reply.occurrence ? ` for ${formatOccurrence(reply.occurrence, options)}` : '';
	const comment = reply.comment ? ` with your comment "${reply.comment}"` : '';
	const choice: AnswerChoice = {answer: reply.answer, ...(reply.comment ? {comment: reply.comment} : {}), ...(reply.occurrence ? {occurrence: reply.occurrence} : {})};
	return reply.state === 'sent'
		? {text: `You answered ${answerWords[reply.answer]}${occurrence}${comment}; it was sent to ${reply.to}. You can change your answer.`, failed: false, choice}
		: {text: `Your answer ${answerWords[reply.answer]}${occurrence} is saved in your calendar but was not sent to ${reply.to}: ${reply.error ?? 'not sent yet'}.`, failed: true, choice};
}

function requestCard(message: InvitationMessage, inspection: InvitationInspection, event: CardEvent, options: FormatOptions): CardView {
	const {result, stored} = inspection;
	if (result.ownEvent) {
		return inspection.editable
			? {kind: 'own', event, text: 'You organize this event. Edit changes it for everyone: before sending, it says who will be told what.', editable: true}
			: {kind: 'own', event, text: stored === null ? result.reason : 'You organize this event. It is not one Purelymail Invites sent (or it is cancelled), so change it where it was made.', editable: false};
	}

	if (result.outcome === 'review') {
		return {kind: 'warning', event, problem: result.reason};
	}

	if (result.outcome === 'ignored' && stored === null) {
		return {kind: 'notice', event, text: result.reason};
	}

	const changed = (result.changed ?? []).map(field => changedWords[field]);
	const mine = stored === null ? undefined : myPartstat(stored, inspection.me);
	const lastReply = lastReplyOf(inspection, options);
	// An older version than the one in the calendar, or the same one again: say so, and answer the stored one.
	const note = result.outcome === 'ignored' ? result.reason : undefined;
	// The organizer's list is as of sending; the user's own answer is the one in their calendar.
	const me = new Set(inspection.me);
	const attendees = mine ? event.attendees.map(attendee => me.has(attendee.email) ? {...attendee, partstat: mine, label: partstatLabel(mine)} : attendee) : event.attendees;
	return {
		kind: stored !== null && result.outcome === 'applied' && changed.length > 0 ? 'update' : 'invitation',
		event: {...event, attendees},
		changed,
		...(mine && mine !== 'NEEDS-ACTION' ? {myAnswer: mine} : {}),
		inCalendar: stored !== null,
		...(lastReply ? {lastReply} : {}),
		...(note ? {note} : {}),
	};
}

function cancelCard(inspection: InvitationInspection, event: CardEvent, options: FormatOptions): CardView {
	const {result, stored} = inspection;
	if (result.outcome === 'review') {
		return {kind: 'warning', event, problem: result.reason};
	}

	const occurrences = (result.cancelledOccurrences ?? []).map(id => formatOccurrence(id, options));
	return {
		kind: 'cancellation',
		event,
		occurrences,
		inCalendar: stored !== null && result.outcome !== 'ignored',
		...(result.outcome === 'applied' ? {} : {note: stored === null ? 'It is not in your calendar.' : result.reason}),
	};
}

function replyCard(inspection: InvitationInspection, event: CardEvent | undefined): CardView {
	const {result, replyOutcome} = inspection;
	const change = (replyOutcome?.changes.length ? replyOutcome.changes : result.changes ?? [])[0];
	const who = change ? nameOf(event, change.attendee) : 'The attendee';
	const what = change ? repliedWords[change.partstat] ?? `answered ${partstatLabel(change.partstat)}` : 'answered';
	if (replyOutcome) {
		if (replyOutcome.outcome === 'applied' || replyOutcome.outcome === 'unchanged') {
			return {kind: 'reply', ...(event ? {event} : {}), text: `${who} ${what} — recorded in your calendar`, recorded: true};
		}

		if (replyOutcome.outcome === 'review' && !replyOutcome.dismissed) {
			return {kind: 'reply', ...(event ? {event} : {}), text: `${who} ${what}, but it went to review: ${replyOutcome.reason}`, recorded: false, review: {key: replyOutcome.key, ...(replyOutcome.check ? {check: replyOutcome.check} : {})}};
		}

		return {kind: 'reply', ...(event ? {event} : {}), text: replyOutcome.reason, recorded: false};
	}

	switch (result.outcome) {
		case 'unchanged': {
			return {kind: 'reply', ...(event ? {event} : {}), text: `${who} ${what} — recorded in your calendar`, recorded: true};
		}

		case 'applied': {
			return {kind: 'reply', ...(event ? {event} : {}), text: `${who} ${what} — not recorded yet; the next check of your mail records it`, recorded: false};
		}

		case 'review': {
			return {kind: 'warning', ...(event ? {event} : {}), problem: result.reason};
		}

		default: {
			return {kind: 'notice', ...(event ? {event} : {}), text: result.reason};
		}
	}
}

/** The card for a message, in the viewer's zone and locale. */
export function cardView(message: InvitationMessage, inspection: InvitationInspection, options: FormatOptions, now: Date): CardView {
	const {result} = inspection;
	// The organizer's own words for an invitation; for a reply, the user's stored event (the reply holds only the answer).
	// A cancellation may carry no times (Google leaves DTSTART out): the stored copy says what is cancelled.
	// The user's own invitation may be an older version than the event: the event as stored now is what Edit opens.
	const shown = result.method === 'REPLY' || result.method === 'COUNTER' ? inspection.stored : (result.method === 'CANCEL' || result.ownEvent ? inspection.stored ?? message.calendar : message.calendar);
	const event = shown ? invitationEvent(shown, options, now) : undefined;
	switch (result.method) {
		case 'REQUEST': {
			return event ? requestCard(message, inspection, event, options) : {kind: 'notice', text: result.reason};
		}

		case 'CANCEL': {
			return event ? cancelCard(inspection, event, options) : {kind: 'notice', text: result.reason};
		}

		case 'REPLY':
		case 'COUNTER': {
			return replyCard(inspection, event);
		}

		default: {
			return {kind: 'notice', ...(event ? {event} : {}), text: result.reason};
		}
	}
}

/** What a card's answer button says it will do, and the words for the three answers. */
export function answerLabel(answer: AnswerChoice['answer']): string {
	return answerWords[answer];
}

/** Occurrence chosen for "this one": the RECURRENCE-ID to answer, or undefined for the whole series. */
export function occurrenceChoice(scope: 'all' | 'one', occurrence: string | undefined): string | undefined {
	return scope === 'one' ? occurrence : undefined;
}
