/** lib/invites: sending, re-sending, changing and cancelling invitations (CalDAV first, then iMIP mail through the relay). */
export {cancelInvite} from './cancel-invite.ts';
export {acceptCounter, answerCounterReview, declineCounter, proposalOf} from './counter-invite.ts';
export {cancelOccurrence, updateOccurrence, wallTimeOf} from './occurrence-invite.ts';
export {createInvite} from './create-invite.ts';
export type {EventsStore, InviteDeps} from './ports.ts';
export {resendInvite} from './resend-invite.ts';
export {mailOutcome, stepper} from './run-flow.ts';
export {composeItipMail, sendItipMail, type ItipMail} from './send-itip-mail.ts';
export {createStorageEvents} from '../stored-events.ts';
export {specAfter, updateInvite} from './update-invite.ts';
