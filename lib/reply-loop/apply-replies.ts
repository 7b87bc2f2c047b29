/**
 * Applies several replies to one stored event in order, as one decision: the reply loop reads the event once,
 * runs this, and writes once (or not at all when nothing changed). Pure; re-run as is after a 412.
 */
import {applyReply, type ApplyReplyResult, type ReplyContext} from '../itip/index.ts';

export type PendingReply = {
	/** Unique among the replies passed: the reply loop uses the message key (message-key.ts) and the part's index. */
	key: string;
	calendar: string;
	context: ReplyContext;
};

export type AppliedReplies = {
	/** The event after every reply, iCalendar text. */
	event: string;
	changed: boolean;
	results: Map<string, ApplyReplyResult>;
};

export function applyReplies(stored: string, replies: readonly PendingReply[]): AppliedReplies {
	let event = stored;
	let changed = false;
	const results = new Map<string, ApplyReplyResult>();
	for (const reply of replies) {
		const result = applyReply(event, reply.calendar, reply.context);
		results.set(reply.key, result);
		if (result.outcome === 'applied') {
			event = result.event;
			changed = true;
		}
	}

	return {event, changed, results};
}
