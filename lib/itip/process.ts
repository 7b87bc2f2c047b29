/**
 * process: the one door for every iTIP message that reaches the user by mail (RFC 5546 §3.2), whatever its METHOD.
 * Like sabre/vobject's Broker::processMessage it delegates to one helper per METHOD: REQUEST and CANCEL for events
 * the user is invited to, REPLY (and COUNTER, for review) for events the user organizes.
 */
import {applyReply} from './apply-reply.ts';
import {parseCalendar} from './calendar.ts';
import {processCancel} from './process-cancel.ts';
import {processRequest} from './process-request.ts';
import type {ProcessContext, ProcessResult} from './types.ts';

/**
 * Decides what an incoming iTIP message does to the user's copy of its event. Pure and never throws: malformed input
 * is an `ignored` outcome with a reason.
 *
 * @param message The iTIP iCalendar text (with METHOD), as found in the mail.
 * @param existing The user's copy of the event as stored (no METHOD), or undefined when they have none.
 * @param context The user's addresses and what the mail says about its sender.
 * @returns The outcome (`applied`, `unchanged`, `ignored`, `review`), why, and the copy afterwards.
 * @example
 * const result = process(part.text, stored, {me: ['alex@example.com'], from: [mail.from.email]});
 * if (result.outcome === 'applied') await putEvent(result.event);
 */
export function process(message: string, existing: string | undefined, context: ProcessContext): ProcessResult {
	const given = typeof existing === 'string' && existing.trim() !== '' ? existing : undefined;
	try {
		return dispatch(message, given, context);
	} catch (error) {
		// A last resort: expected problems are outcomes, but a parser corner case must not break the caller.
		return {method: '', outcome: 'ignored', reason: `The message could not be processed: ${error instanceof Error ? error.message : String(error)}.`, event: given ?? null};
	}
}

function dispatch(message: string, existing: string | undefined, context: ProcessContext): ProcessResult {
	const parsed = parseCalendar(message);
	if (!parsed.ok) {
		return {method: '', outcome: 'ignored', reason: `The message is not valid iCalendar: ${parsed.reason}.`, event: existing ?? null};
	}

	// RFC 5546 §1.4: METHOD says what the message asks for; without one it is a plain calendar, not a scheduling message.
	const method = String(parsed.calendar.getFirstPropertyValue('method') ?? '').trim().toUpperCase();
	switch (method) {
		case 'REQUEST': {
			return processRequest(parsed.calendar, existing, context);
		}

		case 'CANCEL': {
			return processCancel(parsed.calendar, existing, context);
		}

		case 'REPLY':
		case 'COUNTER': {
			return processReply(method, message, existing, context);
		}

		default: {
			return {
				method,
				outcome: 'ignored',
				reason: method ? `${/^[AEIOU]/.test(method) ? 'An' : 'A'} ${method} is not handled; only REQUEST, CANCEL and REPLY are.` : 'The message has no METHOD, so it is not an iTIP message.',
				event: existing ?? null,
			};
		}
	}
}

/** RFC 5546 §3.2.3: a REPLY is for the organizer's copy; applyReply decides, with the same sender rule. */
function processReply(method: string, message: string, existing: string | undefined, context: ProcessContext): ProcessResult {
	if (existing === undefined) {
		return {method, outcome: 'ignored', reason: `The ${method} answers an event that is not in your calendar.`, event: null};
	}

	const applied = applyReply(existing, message, {senders: context.from ?? [], me: context.me, trustSender: context.trustSender ?? false});
	return {
		method,
		outcome: applied.outcome,
		reason: applied.reason,
		event: applied.event,
		...(applied.outcome === 'review' ? {review: 'reply' as const} : {}),
		changes: applied.changes,
		...(applied.proposal ? {proposal: applied.proposal} : {}),
	};
}
