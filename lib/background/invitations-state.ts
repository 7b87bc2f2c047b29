/**
 * "Invitations for you" and its share of the badge, from storage; a cancelled invitation is shown once, then gone.
 * While the always-on agent serves the mailbox, the invitations its marker lists come first (it processes the mail
 * now); one the extension answered itself meanwhile (the card in Roundcube acts here) is left out until the agent
 * has seen the answer in the calendar.
 */
import {ownAddresses} from '../account.ts';
import {agentServes, type AgentMarker} from '../agent/index.ts';
import type {InvitationRecord} from '../attendee/types.ts';
import {markCancelledShown} from '../invitations/store.ts';
import {invitationViews, listingView, waitingCount, type InvitationListing, type InvitationView} from '../invitations/views.ts';
import type {Account, Settings} from '../model.ts';
import {agentMarkerItem, invitationsItem, receivedItem} from '../storage.ts';
import {defaultWebmailUrl} from './popup-state.ts';

/** The agent's listings, less those the extension's own copy records as answered (at the same SEQUENCE or later). */
export function agentInvitationViews(marker: AgentMarker | null | undefined, copies: Record<string, InvitationRecord>, webmailUrl: string, now = new Date()): InvitationView[] {
	if (!agentServes(marker ?? undefined, now)) {
		return [];
	}

	const answeredHere = (listing: InvitationListing): boolean => {
		const copy = copies[listing.uid];
		return copy !== undefined && copy.partstat !== 'NEEDS-ACTION' && listing.partstat === 'NEEDS-ACTION';
	};

	return marker!.invitations.filter(listing => !answeredHere(listing)).map(listing => listingView(listing, webmailUrl));
}

export async function invitationsState(settings: Settings, account: Account | null, options: {shown: boolean}): Promise<{views: InvitationView[]; waiting: number}> {
	if (!account) {
		return {views: [], waiting: 0};
	}

	const [copies, received, marker] = await Promise.all([invitationsItem.getValue(), receivedItem.getValue(), agentMarkerItem.getValue()]);
	const webmailUrl = settings.webmailOrigins[0] ?? defaultWebmailUrl;
	const own = invitationViews({copies, received, me: ownAddresses(account), webmailUrl});
	const agents = agentInvitationViews(marker, copies, webmailUrl);
	if (options.shown) {
		await markCancelledShown(own.filter(view => view.cancelled).map(view => view.uid));
	}

	const views = [...agents, ...own.filter(view => !agents.some(listed => listed.uid === view.uid))];
	return {views, waiting: waitingCount(views)};
}
