/**
 * What the reply loop decides for one fetched message and one stored event, as a pure function: the loop's own
 * classify → decide steps (classifyMessage, replyContextOf, applyReplies) without the mailbox, the calendar or the
 * storage around them. `pmi apply-reply` runs a saved mail through it; `runTick` shares its outcome rules.
 */
import type {ApplyReplyResult} from '../itip/index.ts';
import type {MessageOutcomeKind} from '../model.ts';
import type {ReplyMessage} from '../relay-client/types.ts';
import {applyReplies, type PendingReply} from './apply-replies.ts';
import {classifyMessage, type ClassifiedPart} from './classify-message.ts';
import {replyContextOf, type ReplyContextOptions} from './reply-context.ts';

/** Which of a message's part outcomes tells most; the message is recorded with the strongest. */
export const outcomePriority: Record<MessageOutcomeKind, number> = {review: 6, parked: 5, applied: 4, unchanged: 3, ignored: 2, skipped: 1};

export const noCalendarReason = 'The mail carries no calendar.';

/** A part the loop cannot read goes to review; one it turned away unread (too many events) is ignored. */
export function unreadOutcome(part: Extract<ClassifiedPart, {kind: 'unreadable' | 'refused'}>): {outcome: 'review' | 'ignored'; reason: string} {
	return {outcome: part.kind === 'refused' ? 'ignored' : 'review', reason: part.reason};
}

export type DecideOptions = ReplyContextOptions & {
	/** Skip the sender and authentication checks (`pmi apply-reply --trust-sender`). */
	trustSender?: boolean;
};

/**
 * Applies every calendar of `message` to `stored`, in order, as a tick does for one event; returns the strongest part
 * outcome (review, applied, unchanged, ignored) with the event after all of them.
 */
export function decideMessage(stored: string, message: ReplyMessage, options: DecideOptions): ApplyReplyResult {
	const parts = classifyMessage(message);
	if (parts.length === 0) {
		return {outcome: 'ignored', reason: noCalendarReason, changes: [], event: stored};
	}

	const {headers} = message;
	const context = {
		...replyContextOf({from: headers.from?.address, sender: headers.sender?.address, authenticationResults: headers.authenticationResults}, options),
		...(options.trustSender ? {trustSender: true} : {}),
	};
	const unread: ApplyReplyResult[] = [];
	const pending: PendingReply[] = [];
	for (const part of parts) {
		if (part.kind === 'calendar') {
			pending.push({key: String(pending.length), calendar: part.text, context});
		} else {
			unread.push({...unreadOutcome(part), changes: [], event: stored});
		}
	}

	const applied = applyReplies(stored, pending);
	const results = [...applied.results.values(), ...unread];
	const strongest = results.reduce((best, result) => outcomePriority[result.outcome] > outcomePriority[best.outcome] ? result : best);
	return {...strongest, event: applied.event};
}
