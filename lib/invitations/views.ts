/**
 * "Invitations for you" in the popup: invitations the loop found that wait for the user's answer (never answered,
 * or the organizer moved the time since), listed ones the policy did not add, and cancelled ones, once.
 */
import type {InvitationMessage, InvitationRecord} from '../attendee/types.ts';
import {invitationFacts, type PartStat} from '../itip/index.ts';
import type {ReceivedInvitation} from './types.ts';

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
	/** The REQUEST Accept / Maybe / Decline answer (lib/attendee's answer flow takes it as it is). */
	message: InvitationMessage;
	/** Opens the mail in the webmail. */
	webmailUrl: string;
};

/** Roundcube's link to one message (`_action=show` with the folder and UID). */
export function messageUrl(webmailUrl: string, folder: string, uid: number): string {
	return new URL(`?_task=mail&_mbox=${encodeURIComponent(folder)}&_uid=${uid}&_action=show`, webmailUrl).href;
}

export function invitationViews(input: {copies: Record<string, InvitationRecord>; received: Record<string, ReceivedInvitation>; me: readonly string[]; webmailUrl: string}): InvitationView[] {
	const views: InvitationView[] = [];
	for (const received of Object.values(input.received)) {
		const facts = invitationFacts(received.message.calendar, input.me);
		if (!facts) {
			continue;
		}

		const copy = input.copies[received.uid];
		const cancelled = copy?.cancelled ?? received.cancelled ?? false;
		const partstat = copy?.partstat ?? facts.partstat;
		const answered = partstat !== 'NEEDS-ACTION' || (copy?.reply?.state === 'sent' && copy.reply.sequence === copy.sequence);
		if (cancelled ? received.cancelShown === true : answered && !received.pending) {
			continue;
		}

		views.push({
			uid: received.uid,
			summary: copy?.summary || facts.summary,
			start: copy?.start ?? facts.start,
			end: copy?.end ?? facts.end,
			allDay: facts.allDay,
			organizer: facts.organizer,
			partstat,
			cancelled,
			listed: received.listed && !copy,
			wasInJunk: received.wasInJunk,
			message: received.message,
			webmailUrl: messageUrl(input.webmailUrl, received.mail.folder, received.mail.uid),
		});
	}

	return views.sort((a, b) => a.start.localeCompare(b.start));
}

/** The badge's share: invitations waiting for an answer (cancelled ones are news, not work). */
export function waitingCount(views: readonly InvitationView[]): number {
	return views.filter(view => !view.cancelled).length;
}
