/**
 * "Invitations for you" in the popup: invitations the loop found that wait for the user's answer (never answered,
 * or the organizer moved the time since), listed ones the policy did not add, and cancelled ones, once.
 */
import type {InvitationMessage, InvitationRecord} from '../attendee/types.ts';
import {invitationFacts, type PartStat} from '../itip/index.ts';
import type {InvitationMail, ReceivedInvitation} from './types.ts';

export type InvitationView = {
	uid: string;
	summary: string;
	/** ISO instants (or dates, all day). */
	start: string;
	end: string;
	allDay: boolean;
	organizer: {email: string; name?: string};
	partstat: PartStat;
	cancelled: boolean;
	/** Not in the calendar (the policy did not add it); answering adds it. */
	listed: boolean;
	wasInJunk: boolean;
	/**
	 * The REQUEST Accept / Maybe / Decline answer (lib/attendee's answer flow takes it as it is). Absent for an
	 * invitation the always-on agent lists (lib/agent marker.ts): the answer goes to the agent by UID.
	 */
	message?: InvitationMessage;
	/** Opens the mail in the webmail. */
	webmailUrl: string;
};

/** An invitation as listed, before the webmail link is made: what the agent's marker carries (lib/agent marker.ts). */
export type InvitationListing = Omit<InvitationView, 'message' | 'webmailUrl'> & {mail: Pick<InvitationMail, 'folder' | 'uid'>};

/** Roundcube's link to one message (`_action=show` with the folder and UID). */
export function messageUrl(webmailUrl: string, folder: string, uid: number): string {
	return new URL(`?_task=mail&_mbox=${encodeURIComponent(folder)}&_uid=${uid}&_action=show`, webmailUrl).href;
}

/** The invitations waiting for the user (see the top of this file), soonest first, each with its REQUEST. */
function waitingInvitations(copies: Record<string, InvitationRecord>, received: Record<string, ReceivedInvitation>, me: readonly string[]): Array<{listing: InvitationListing; message: InvitationMessage}> {
	const waiting: Array<{listing: InvitationListing; message: InvitationMessage}> = [];
	for (const invitation of Object.values(received)) {
		const facts = invitationFacts(invitation.message.calendar, me);
		if (!facts) {
			continue;
		}

		const copy = copies[invitation.uid];
		const cancelled = copy?.cancelled ?? invitation.cancelled ?? false;
		const partstat = copy?.partstat ?? facts.partstat;
		const answered = partstat !== 'NEEDS-ACTION' || (copy?.reply?.state === 'sent' && copy.reply.sequence === copy.sequence);
		if (cancelled ? invitation.cancelShown === true : answered && !invitation.pending) {
			continue;
		}

		waiting.push({
			listing: {
				uid: invitation.uid,
				summary: copy?.summary || facts.summary,
				start: copy?.start ?? facts.start,
				end: copy?.end ?? facts.end,
				allDay: facts.allDay,
				organizer: facts.organizer,
				partstat,
				cancelled,
				listed: invitation.listed && !copy,
				wasInJunk: invitation.wasInJunk,
				mail: {folder: invitation.mail.folder, uid: invitation.mail.uid},
			},
			message: invitation.message,
		});
	}

	return waiting.sort((a, b) => a.listing.start.localeCompare(b.listing.start));
}

/** A listing as the popup shows it, with the link to its mail in the webmail. */
export function listingView({mail, ...listing}: InvitationListing, webmailUrl: string): InvitationView {
	return {...listing, webmailUrl: messageUrl(webmailUrl, mail.folder, mail.uid)};
}

export function invitationViews(input: {copies: Record<string, InvitationRecord>; received: Record<string, ReceivedInvitation>; me: readonly string[]; webmailUrl: string}): InvitationView[] {
	return waitingInvitations(input.copies, input.received, input.me).map(({listing, message}) => ({...listingView(listing, input.webmailUrl), message}));
}

/** The listings the agent publishes (no REQUEST, no link: the extension makes the link with its own webmail). */
export function invitationListings(input: {copies: Record<string, InvitationRecord>; received: Record<string, ReceivedInvitation>; me: readonly string[]}): InvitationListing[] {
	return waitingInvitations(input.copies, input.received, input.me).map(({listing}) => listing);
}

/** The badge's share: invitations waiting for an answer (cancelled ones are news, not work). */
export function waitingCount(views: readonly InvitationView[]): number {
	return views.filter(view => !view.cancelled).length;
}
