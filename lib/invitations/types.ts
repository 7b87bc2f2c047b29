/**
 * The attendee side of the reply loop (issue 14): invitations that reach the user by mail and the user's choices
 * about them. The copy in the calendar is lib/attendee's `InvitationRecord` (href, ETag, answer); this adds what the
 * loop knows besides: the mail it came in, and the invitations listed but not added. Plain data in storage.local.
 */
import type {InvitationMessage} from '../attendee/types.ts';

/** Whose invitations are added to the calendar by themselves; the others are only listed in the popup. */
export type InvitationPolicy = 'contacts' | 'anyone' | 'never';

export type InvitationSettings = {
	/** Default `contacts`: the address books plus everyone the user invited or answered before. */
	policy: InvitationPolicy;
	/** An organizer's update to a copy in the calendar: applied at once, or listed until the user applies it. */
	updates: 'apply' | 'ask';
	/** A cancellation: applied at once, or listed until the user applies it. */
	cancellations: 'apply' | 'ask';
	/** "Remove cancelled events": delete the copy instead of marking it STATUS:CANCELLED. */
	removeCancelled: boolean;
	/** Processed invitation and reply mails are moved to this folder (created if missing); null: filing is off. */
	filingFolder: string | null;
	/** The calendar new invitations go to; null: the calendar of the options page. */
	calendarUrl: string | null;
};

export const defaultInvitationSettings: InvitationSettings = {
	policy: 'contacts',
	updates: 'apply',
	cancellations: 'apply',
	removeCancelled: false,
	filingFolder: null,
	calendarUrl: null,
};

/** Where the mail that brought an invitation is, to open it in the webmail. */
export type InvitationMail = {folder: string; uid: number; messageId: string | null};

/** An invitation the loop found for the user, by UID. */
export type ReceivedInvitation = {
	uid: string;
	/** The latest REQUEST with what its mail said about the sender: what Accept / Maybe / Decline answer. */
	message: InvitationMessage;
	mail: InvitationMail;
	/** Not in the calendar: the policy did not allow adding it (or the copy was deleted). */
	listed: boolean;
	/** The organizer cancelled it (for a listed one; a copy in the calendar says so itself). */
	cancelled?: boolean;
	/** A change the user asked to decide on themselves ("ask"), not applied yet. */
	pending?: {method: 'REQUEST' | 'CANCEL'; calendar: string};
	/** The invitation was found in the Junk folder. */
	wasInJunk: boolean;
	/** A cancelled invitation is shown once in the popup, then gone. */
	cancelShown?: boolean;
	updatedAt: string;
};
