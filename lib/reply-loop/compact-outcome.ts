/**
 * Outcomes are kept in storage.local (the last 500), and a stranger decides how long a reply's texts are; every
 * outcome is capped here, in one place, so that 500 of them stay far inside the storage quota (see the unit test
 * for the arithmetic) while keeping what a person needs to decide: who, what answer, the first words of a comment.
 */
import {cap, maxKeptReplyLength, maxNameLength} from '../itip/index.ts';
import type {MessageOutcome} from '../model.ts';

/** The longest reason kept. */
export const maxReasonLength = 1000;
/** How many changes a kept outcome lists (a review shows the first few), and how much of each comment. */
export const maxKeptChanges = 5;
export const maxKeptCommentLength = 300;

/** The worst case of one kept outcome in JSON bytes, by construction; the unit test checks it with hostile input. */
export const maxOutcomeBytes = 8192;

export function compactOutcome(outcome: MessageOutcome): MessageOutcome {
	const changes = outcome.changes.slice(0, maxKeptChanges).map(change => ({
		...change,
		...(change.comment === undefined ? {} : {comment: cap(change.comment, maxKeptCommentLength)}),
		...(change.delegatedTo ? {delegatedTo: change.delegatedTo.slice(0, 3)} : {}),
		...(change.requestStatus ? {requestStatus: change.requestStatus.slice(0, 2).map(status => cap(status, 100))} : {}),
	}));
	const extra = outcome.changes.length - changes.length;
	const {calendar, ...rest} = outcome;
	return {
		...rest,
		subject: cap(outcome.subject, maxNameLength),
		reason: cap(extra > 0 ? `${outcome.reason} (${extra} more changes not listed.)` : outcome.reason, maxReasonLength),
		changes,
		...(calendar !== undefined && calendar.length <= maxKeptReplyLength ? {calendar} : {}),
	};
}
