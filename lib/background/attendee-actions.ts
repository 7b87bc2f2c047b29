/** The background's side of the invitation card's buttons: lib/attendee with the account's clients and storage. */
import {addInvitation, answerInvitation, createStorageInvitations, inspectInvitation, removeCancelled, type AnswerChoice, type AttendeeDeps, type InvitationMessage} from '../attendee/index.ts';
import {createStorageEvents} from '../invites/index.ts';
import type {ProtocolMap, SendInviteResult, SendStep} from '../messaging.ts';
import {outcomesItem} from '../storage.ts';
import {toUserFacingError} from '../user-errors.ts';
import {answerThroughAgent} from './agent-requests.ts';
import type {Context} from './context.ts';

export type AttendeeAction =
	| {kind: 'answer'; message: InvitationMessage; choice: AnswerChoice}
	/** An invitation the always-on agent lists (no REQUEST here): the answer goes to the agent (./agent-requests.ts). */
	| {kind: 'answer'; uid: string; choice: Pick<AnswerChoice, 'answer'>}
	| {kind: 'add'; message: InvitationMessage}
	| {kind: 'remove'; message: InvitationMessage};

export async function runAttendeeAction(action: AttendeeAction, context: Context, onProgress: (step: SendStep) => void): Promise<SendInviteResult> {
	const deps: AttendeeDeps = {...context, invitations: createStorageInvitations(), onProgress};
	switch (action.kind) {
		case 'answer': {
			return 'message' in action ? answerInvitation(action.message, action.choice, deps) : answerThroughAgent(action.uid, action.choice.answer, context);
		}

		case 'add': {
			return addInvitation(action.message, deps);
		}

		case 'remove': {
			return removeCancelled(action.message, deps);
		}
	}
}

/** The card's view of a message: lib/attendee's inspection with the account's calendar and the extension's records. */
export async function inspectForCard(message: InvitationMessage, messageId: string | null, context: Context): Promise<ReturnType<ProtocolMap['inspectInvitation']>> {
	try {
		const inspection = await inspectInvitation(message, messageId, {
			...context,
			invitations: createStorageInvitations(),
			events: createStorageEvents(),
			outcomes: async () => outcomesItem.getValue(),
		});
		return {ok: true, inspection};
	} catch (error) {
		return {ok: false, error: toUserFacingError(error, {relayUrl: context.settings.relayUrl})};
	}
}
