/** lib/attendee: invitations the user received: answer them, add them to the calendar, remove cancelled ones. */
export {addInvitation, answerInvitation} from './answer.ts';
export {removeCancelled} from './remove.ts';
export {createStorageInvitations} from './storage-invitations.ts';
export type {AnswerChoice, AttendeeDeps, InvitationMessage, InvitationRecord, InvitationsStore, SentReply} from './types.ts';
export {AnswerRefused, processMessage} from './user-copy.ts';
export {inspectInvitation, type InspectDeps, type InvitationInspection} from './inspect.ts';
export {cardMethods, invitationMessageOf} from './message.ts';
