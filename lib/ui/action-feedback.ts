/**
 * What the popup says after an action: resend, cancel, apply anyway, check now. One short sentence, plus what
 * to do when it failed.
 */
import type {ReplyChange} from '../itip/index.ts';
import type {SendInviteResult, TickSummary, UserFacingError} from '../messaging.ts';
import {partstatLabel} from './event-list.ts';

export type ActionFeedback = {kind: 'ok' | 'error'; text: string; action?: string};

function fromError(error: UserFacingError): ActionFeedback {
	return {kind: 'error', text: error.message, ...(error.action ? {action: error.action} : {})};
}

function plural(count: number, one: string, many: string): string {
	return `${count} ${count === 1 ? one : many}`;
}

/** After "Resend": to how many it went, and who refused it. */
export function resendFeedback(result: SendInviteResult): ActionFeedback {
	if (!result.ok) {
		return fromError(result.error);
	}

	if (result.accepted.length === 0 && result.rejected.length === 0) {
		return {kind: 'ok', text: 'Everyone has answered: nothing to resend.'};
	}

	const refused = result.rejected.map(item => `${item.address} (${item.reason})`).join(', ');
	return result.rejected.length > 0
		? {kind: 'error', text: `Sent again to ${plural(result.accepted.length, 'attendee', 'attendees')}; refused by ${refused}.`}
		: {kind: 'ok', text: `Sent again to ${plural(result.accepted.length, 'attendee', 'attendees')}.`};
}

/** After "Cancel event". */
export function cancelFeedback(result: SendInviteResult): ActionFeedback {
	if (!result.ok) {
		return fromError(result.error);
	}

	return {kind: 'ok', text: `Cancelled; ${plural(result.accepted.length, 'attendee was', 'attendees were')} told.`};
}

/** After Accept / Maybe / Decline on an invitation for the user. */
export function answerFeedback(result: SendInviteResult, answer: 'ACCEPTED' | 'TENTATIVE' | 'DECLINED'): ActionFeedback {
	if (!result.ok) {
		return fromError(result.error);
	}

	if (result.handedOver) {
		return {kind: 'ok', text: result.handedOver};
	}

	const words = {ACCEPTED: 'Accepted', TENTATIVE: 'Answered "maybe"', DECLINED: 'Declined'} as const;
	return {kind: 'ok', text: `${words[answer]}; the organizer was told.`};
}

/** After "Accept proposal" or "Decline proposal" on a COUNTER. */
export function counterFeedback(result: SendInviteResult, answer: 'accept' | 'decline'): ActionFeedback {
	if (!result.ok) {
		return fromError(result.error);
	}

	if (result.handedOver) {
		return {kind: 'ok', text: result.handedOver};
	}

	return answer === 'accept'
		? {kind: 'ok', text: `The proposed time is the event's now; ${plural(result.accepted.length, 'attendee was', 'attendees were')} told.`}
		: {kind: 'ok', text: 'Proposal declined; the proposer was told.'};
}

/** `sam@example.org: Declined`, for what a reply asks or changed. */
export function describeChanges(changes: readonly ReplyChange[]): string {
	return changes.map(change => `${change.attendee}: ${partstatLabel(change.partstat)}`).join(', ');
}

/** After "Apply anyway". */
export function applyFeedback(result: {ok: boolean; reason: string; changes: ReplyChange[]}): ActionFeedback {
	if (!result.ok) {
		return {kind: 'error', text: result.reason};
	}

	return {kind: 'ok', text: result.changes.length > 0 ? `Applied: ${describeChanges(result.changes)}.` : result.reason};
}

/** When the background did not answer at all. */
export function thrownFeedback(error: unknown): ActionFeedback {
	const message = error instanceof Error ? error.message : String(error);
	return {
		kind: 'error',
		text: `The extension did not answer: ${message}`,
		action: 'Close and reopen this window. If it keeps happening, reload the extension on the browser\'s extensions page.',
	};
}

/** After "Check now": what the run found, for a line under the header. */
export function tickFeedback(summary: TickSummary): ActionFeedback {
	if (summary.error) {
		return fromError(summary.error);
	}

	if (summary.agentHost) {
		return {kind: 'ok', text: `The always-on agent on ${summary.agentHost} checks this mailbox; this browser leaves it to the agent.`};
	}

	if (!summary.ran) {
		return {kind: 'ok', text: 'A check was already running; this is its result.'};
	}

	if (summary.messages === 0) {
		return {kind: 'ok', text: 'No new answers.'};
	}

	const parts = [
		summary.applied > 0 ? plural(summary.applied, 'answer applied', 'answers applied') : '',
		summary.review > 0 ? `${plural(summary.review, 'reply needs', 'replies need')} your eye` : '',
	].filter(Boolean);
	return {kind: 'ok', text: parts.length > 0 ? `${parts.join(', ')}.` : `${plural(summary.messages, 'message', 'messages')} read, nothing new.`};
}
