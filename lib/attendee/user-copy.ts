/**
 * Which calendar copy an answer or "Add to calendar" starts from: lib/itip's `process` decides (the organizer
 * check, ordering, not-invited), this module only turns its outcome into a copy or a refusal. Nothing a stranger
 * sent ever becomes the user's copy: `review` is a refusal here, and the card offers no one-click way around it.
 */
import {process, type ProcessResult} from '../itip/index.ts';
import type {InvitationMessage} from './types.ts';

/** Why the message cannot be answered or added; `code` is for the card, `message` for the person. */
export class AnswerRefused extends Error {
	override name = 'AnswerRefused';
	constructor(readonly code: 'review' | 'not-an-invitation' | 'nothing-to-answer', message: string) {
		super(message);
	}
}

/** What `process` makes of the message against the stored copy (or none), with the user's addresses. */
export function processMessage(message: InvitationMessage, stored: string | undefined, me: readonly string[]): ProcessResult {
	return process(message.calendar, stored, {me, from: message.from, authenticationResults: message.authenticationResults});
}

/**
 * The user's copy after the invitation (RFC 5546 §3.2.2): the processed one when it applied, the stored one when
 * the invitation was already there (or older: the stored version is the newer one, so that is the one answered).
 * @throws {AnswerRefused} for anything but a REQUEST, for `review`, and when there is no copy to answer.
 */
export function copyFromInvitation(message: InvitationMessage, stored: string | undefined, me: readonly string[]): string {
	const result = processMessage(message, stored, me);
	if (result.method !== 'REQUEST') {
		throw new AnswerRefused('not-an-invitation', result.method ? `This is a ${result.method}, not an invitation, so there is nothing to answer.` : 'This is not an invitation, so there is nothing to answer.');
	}

	if (result.outcome === 'review') {
		throw new AnswerRefused('review', result.reason);
	}

	if (result.outcome === 'applied' && result.event) {
		return result.event;
	}

	if (stored !== undefined) {
		return stored;
	}

	throw new AnswerRefused('nothing-to-answer', result.reason);
}
