/**
 * The attendee side of a reply-loop tick (issue 14): the REQUESTs and CANCELs for the user found in the same relay
 * fetch as the replies, decided by lib/itip's `process` (organizer-only trust, ordering, the user's answer kept
 * unless the time changed) and written to the user's copy on CalDAV, as Fastmail's automatic invitation processing
 * does: an invitation from a contact is added, one from anyone else is only listed, an update is applied, a
 * cancellation marks the copy STATUS:CANCELLED (or removes it). Nothing is ever answered automatically.
 *
 * Exactly once, as for replies: each message's outcome is returned for run-tick to store before the cursor moves;
 * `process` says `unchanged` to a message already applied, a new copy is created with If-None-Match (so a copy
 * written by a tick cut short is updated, not duplicated), and the records are saved before the outcomes.
 * One part at a time: a mail about one event rarely comes with another about the same event.
 */
import {invitationRecord} from '../attendee/record.ts';
import type {InvitationMessage, InvitationRecord} from '../attendee/types.ts';
import {eventHref} from '../caldav/index.ts';
import {cleanLine, invitationFacts, process, storedCopyOf, type ProcessContext, type ProcessResult} from '../itip/index.ts';
import type {MessageOutcomeKind} from '../model.ts';
import type {ReplyMessage} from '../relay-client/types.ts';
import {CalendarPortError} from '../reply-loop/ports.ts';
import type {InvitationDeps} from './ports.ts';
import type {ReceivedInvitation} from './types.ts';

/** One REQUEST or CANCEL calendar part of a fetched mail. */
export type InvitationPart = {key: string; uid: string; method: 'REQUEST' | 'CANCEL'; text: string; message: ReplyMessage};

export type InvitationPartOutcome = {eventUid: string; outcome: MessageOutcomeKind; reason: string; changes: []};

export type InvitationsRun = {
	/** Per part key. */
	outcomes: Map<string, InvitationPartOutcome>;
	/** Keys of parts left for the next tick (the calendar or the address books could not be reached). */
	unfinished: Set<string>;
	writes: number;
	error?: {kind: 'calendar'; message: string; cause?: unknown};
};

export type InvitationTickContext = {
	me: readonly string[];
	now: Date;
	signal?: AbortSignal | undefined;
	afterCalendarWrite?: ((uid: string) => void | Promise<void>) | undefined;
};

/** RFC 5546 §1.4: the methods an attendee receives about an event it is invited to. */
export function isInvitationMethod(method: string | null): method is 'REQUEST' | 'CANCEL' {
	return method === 'REQUEST' || method === 'CANCEL';
}

/** The calendar and what the mail says about its sender, as lib/attendee's answer flow takes it. */
export function invitationMessageOf(part: Pick<InvitationPart, 'text' | 'message'>): InvitationMessage {
	const from = part.message.headers.from?.address;
	// The receiving server adds its Authentication-Results on top (RFC 8601 §5); those below are the sender's claims.
	const first = part.message.headers.authenticationResults[0];
	return {calendar: part.text, from: from ? [from] : [], authenticationResults: first ? [first] : []};
}

function contextOf(part: InvitationPart, me: readonly string[]): ProcessContext {
	const {from, authenticationResults} = invitationMessageOf(part);
	return {me, from, authenticationResults};
}

class Wait extends Error {}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function fromProcess(uid: string, result: ProcessResult, reason = result.reason): InvitationPartOutcome {
	return {eventUid: cleanLine(uid), outcome: result.outcome, reason, changes: []};
}

/** What is known about one UID during a tick, and what changed. */
type Known = {copy: InvitationRecord | undefined; received: ReceivedInvitation | undefined};
type Handled = {outcome: InvitationPartOutcome; copy?: InvitationRecord | 'removed'; received?: ReceivedInvitation};

type Step = {deps: InvitationDeps; part: InvitationPart; tick: InvitationTickContext; run: InvitationsRun; context: ProcessContext};

export async function processInvitations(deps: InvitationDeps, parts: readonly InvitationPart[], tick: InvitationTickContext): Promise<InvitationsRun> {
	const run: InvitationsRun = {outcomes: new Map(), unfinished: new Set(), writes: 0};
	if (parts.length === 0) {
		return run;
	}

	const stored = await deps.store.load();
	const known = new Map<string, Known>();
	const copies = new Map<string, InvitationRecord>();
	const removedCopies = new Set<string>();
	const received = new Map<string, ReceivedInvitation>();
	const held = new Set<string>();
	for (const part of parts) {
		// A part after one that has to wait waits too: an event's messages are applied in mail order.
		if (held.has(part.uid)) {
			run.unfinished.add(part.key);
			continue;
		}

		const now = known.get(part.uid) ?? {copy: stored.copies[part.uid], received: stored.received[part.uid]};
		try {
			const handled = await handlePart({deps, part, tick, run, context: contextOf(part, tick.me)}, now, 0);
			run.outcomes.set(part.key, handled.outcome);
			const next: Known = {...now};
			if (handled.copy === 'removed') {
				next.copy = undefined;
				copies.delete(part.uid);
				removedCopies.add(part.uid);
			} else if (handled.copy) {
				next.copy = handled.copy;
				copies.set(part.uid, handled.copy);
				removedCopies.delete(part.uid);
			}

			if (handled.received) {
				next.received = handled.received;
				received.set(part.uid, handled.received);
			}

			known.set(part.uid, next);
		} catch (error) {
			if (error instanceof Wait || (error instanceof CalendarPortError && (error.kind === 'auth' || error.kind === 'other' || error.kind === 'unavailable'))) {
				held.add(part.uid);
				run.unfinished.add(part.key);
				run.error ??= {kind: 'calendar', message: messageOf(error), cause: error instanceof Wait ? error.cause : error};
				continue;
			}

			if (error instanceof CalendarPortError) {
				// conflict (412 in every round) or rejected (another 4xx): trying again changes nothing.
				run.outcomes.set(part.key, {eventUid: cleanLine(part.uid), outcome: 'review', reason: `The calendar server did not take this ${part.method === 'CANCEL' ? 'cancellation' : 'invitation'} (${cleanLine(error.message)}).`, changes: []});
				continue;
			}

			throw error;
		}
	}

	if (copies.size > 0 || removedCopies.size > 0 || received.size > 0) {
		await deps.store.save({copies: [...copies.values()], removedCopies: [...removedCopies], received: [...received.values()]});
	}

	return run;
}

/** The loop's record of a REQUEST: the mail it came in and the message Accept / Maybe / Decline answer. */
function receivedFrom(step: Step, before: ReceivedInvitation | undefined, fields: Partial<ReceivedInvitation>): ReceivedInvitation {
	const {part, tick} = step;
	const {message} = part;
	return {
		...before,
		uid: part.uid,
		message: invitationMessageOf(part),
		mail: {folder: message.folder, uid: message.uid, messageId: message.headers.messageId},
		// Junk is where the provider put it; INBOX is the only other folder the loop reads.
		wasInJunk: message.folder.toUpperCase() !== 'INBOX',
		listed: false,
		...fields,
		updatedAt: tick.now.toISOString(),
	};
}

/**
 * Each step below follows the server (create → already there → update → gone → create …); a server that keeps
 * contradicting itself is not followed for ever: the message is set aside like a write the server refused.
 */
function guard(depth: number, part: InvitationPart): void {
	if (depth > 4) {
		throw new CalendarPortError('rejected', `the calendar server kept contradicting itself about ${part.uid}`);
	}
}

async function handlePart(step: Step, known: Known, depth: number): Promise<Handled> {
	const {deps, part, tick, context} = step;
	guard(depth, part);
	if (known.copy) {
		return applyToCopy(step, known, known.copy.href, depth + 1);
	}

	const result = process(part.text, undefined, context);
	if (part.method === 'CANCEL') {
		if (known.received?.listed) {
			// A listed invitation was never in the calendar: the cancellation only changes the list, after the same checks.
			const checked = process(part.text, storedCopyOf(known.received.message.calendar), context);
			if (checked.outcome !== 'applied') {
				return {outcome: fromProcess(part.uid, checked)};
			}

			const {pending: _pending, ...rest} = known.received;
			return {outcome: fromProcess(part.uid, checked, `${checked.reason} It was not in your calendar.`), received: {...rest, cancelled: true, updatedAt: tick.now.toISOString()}};
		}

		// A copy made by another app, or before the loop kept records: found by UID, once.
		const found = await deps.calendar.findByUid(part.uid, tick.signal);
		return found ? applyToCopy(step, known, found.href, depth + 1) : {outcome: fromProcess(part.uid, result)};
	}

	if (result.outcome !== 'applied' || !result.event) {
		return {outcome: fromProcess(part.uid, result)};
	}

	const organizer = invitationFacts(result.event, tick.me)?.organizer.email ?? '';
	if (!await allowed(deps, organizer, tick)) {
		const why = deps.settings.policy === 'never' ? 'adding invitations by themselves is off' : `${cleanLine(organizer)} is not one of your contacts`;
		return {
			outcome: {eventUid: cleanLine(part.uid), outcome: 'skipped', reason: `Listed under "Invitations for you", not added to your calendar: ${why}.`, changes: []},
			received: receivedFrom(step, known.received, {listed: true, cancelled: false}),
		};
	}

	let created: {href: string; etag: string};
	try {
		created = await deps.calendar.create(part.uid, result.event, tick.signal);
	} catch (error) {
		if (error instanceof CalendarPortError && (error.kind === 'conflict' || error.kind === 'rejected')) {
			// Already there (a tick cut short after its write, a phone that was quicker): what is there is updated.
			const found = await deps.calendar.findByUid(part.uid, tick.signal) ?? {href: eventHref(deps.calendar.calendarUrl, part.uid)};
			return applyToCopy(step, known, found.href, depth + 1);
		}

		throw error;
	}

	step.run.writes++;
	await tick.afterCalendarWrite?.(part.uid);
	return {
		outcome: fromProcess(part.uid, result, `${result.reason} Added to your calendar.`),
		copy: invitationRecord({uid: part.uid, href: created.href, etag: created.etag, calendarUrl: deps.calendar.calendarUrl, ics: result.event}, tick.me, undefined, tick.now),
		received: receivedFrom(step, known.received, {}),
	};
}

async function allowed(deps: InvitationDeps, organizer: string, tick: InvitationTickContext): Promise<boolean> {
	switch (deps.settings.policy) {
		case 'anyone':
			return true;
		case 'never':
			return false;
		case 'contacts':
			try {
				return organizer !== '' && await deps.contacts.isContact(organizer, tick.signal);
			} catch (error) {
				throw new Wait(`Your address books could not be read: ${messageOf(error)}`, {cause: error});
			}
	}
}

async function applyToCopy(step: Step, known: Known, href: string, depth: number): Promise<Handled> {
	const {deps, part, tick, context} = step;
	guard(depth, part);
	const ask = part.method === 'CANCEL' ? deps.settings.cancellations === 'ask' : deps.settings.updates === 'ask';
	let result: ProcessResult | undefined;
	// A round whose PUT was stored but whose answer was lost is retried from a fresh read, which finds the change in
	// place (`unchanged`); it was this message's doing all the same.
	let appliedEarlier: ProcessResult | undefined;
	let written: {etag: string; ics: string; written: boolean};
	try {
		written = await deps.calendar.update(href, ics => {
			result = process(part.text, ics, context);
			if (result.outcome === 'applied' && !ask) {
				appliedEarlier = result;
				return {ics: result.event!};
			}

			return {unchanged: true};
		}, tick.signal);
	} catch (error) {
		if (!(error instanceof CalendarPortError) || error.kind !== 'not-found') {
			throw error;
		}

		// The href is gone: the copy moved (a calendar-query by UID finds it), or the user deleted it.
		const found = await deps.calendar.findByUid(part.uid, tick.signal);
		if (found && found.href !== href) {
			return applyToCopy(step, known, found.href, depth + 1);
		}

		// Deleted: an invitation (again) is decided as a new one; a cancellation has nothing left to cancel.
		const gone: Known = {copy: undefined, received: known.received};
		if (part.method === 'REQUEST') {
			const handled = await handlePart(step, gone, depth + 1);
			return {...handled, copy: handled.copy ?? 'removed'};
		}

		return {outcome: fromProcess(part.uid, process(part.text, undefined, context)), copy: 'removed'};
	}

	const decided = result!.outcome === 'unchanged' && appliedEarlier ? appliedEarlier : result!;
	if (written.written) {
		step.run.writes++;
		await tick.afterCalendarWrite?.(part.uid);
	}

	const calendarUrl = known.copy?.calendarUrl ?? deps.calendar.calendarUrl;
	const copy = invitationRecord({uid: part.uid, href, etag: written.etag, calendarUrl, ics: written.ics}, tick.me, known.copy, tick.now);
	const received = part.method === 'REQUEST' && decided.outcome !== 'review' && decided.outcome !== 'ignored' ? receivedFrom(step, known.received, {}) : known.received;
	if (decided.outcome === 'applied' && ask) {
		const waiting = received ? {...received, pending: {method: part.method, calendar: part.text}} : undefined;
		return {
			outcome: {eventUid: cleanLine(part.uid), outcome: 'skipped', reason: `Waiting for you under "Invitations for you": ${decided.reason}`, changes: []},
			copy,
			...(waiting ? {received: waiting} : {}),
		};
	}

	if (copy.cancelled && deps.settings.removeCancelled) {
		// "Remove cancelled events": the copy goes. Removed after it was marked, so a tick cut short in between leaves a
		// cancelled copy, which the next cancellation (or its duplicate) removes.
		await deps.calendar.remove(href, written.etag, tick.signal);
		return {outcome: fromProcess(part.uid, decided), copy: 'removed', ...(received ? {received: {...received, cancelled: true}} : {})};
	}

	return {outcome: fromProcess(part.uid, decided), copy, ...(received ? {received} : {})};
}
