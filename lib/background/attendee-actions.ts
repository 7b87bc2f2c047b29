/** The background's side of the invitation card's buttons: lib/attendee with the account's clients and storage. */
import {addInvitation, answerInvitation, createStorageInvitations, removeCancelled, type AnswerChoice, type AttendeeDeps, type InvitationMessage} from '../attendee/index.ts';
import type {SendInviteResult, SendStep} from '../messaging.ts';
import type {Context} from './context.ts';

export type AttendeeAction =
	| {kind: 'answer'; message: InvitationMessage; choice: AnswerChoice}
	| {kind: 'add'; message: InvitationMessage}
	| {kind: 'remove'; message: InvitationMessage};

export async function runAttendeeAction(action: AttendeeAction, context: Context, onProgress: (step: SendStep) => void): Promise<SendInviteResult> {
	const deps: AttendeeDeps = {...context, invitations: createStorageInvitations(), onProgress};
	switch (action.kind) {
		case 'answer': {
			return answerInvitation(action.message, action.choice, deps);
		}

		case 'add': {
			return addInvitation(action.message, deps);
		}

		case 'remove': {
			return removeCancelled(action.message, deps);
		}
	}
}
