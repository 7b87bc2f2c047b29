/** "Invitations for you" and its share of the badge, from storage; a cancelled invitation is shown once, then gone. */
import {ownAddresses} from '../account.ts';
import {markCancelledShown} from '../invitations/store.ts';
import {invitationViews, waitingCount, type InvitationView} from '../invitations/views.ts';
import type {Account, Settings} from '../model.ts';
import {invitationsItem, receivedItem} from '../storage.ts';
import {defaultWebmailUrl} from './popup-state.ts';

export async function invitationsState(settings: Settings, account: Account | null, options: {shown: boolean}): Promise<{views: InvitationView[]; waiting: number}> {
	if (!account) {
		return {views: [], waiting: 0};
	}

	const [copies, received] = await Promise.all([invitationsItem.getValue(), receivedItem.getValue()]);
	const views = invitationViews({copies, received, me: ownAddresses(account), webmailUrl: settings.webmailOrigins[0] ?? defaultWebmailUrl});
	if (options.shown) {
		await markCancelledShown(views.filter(view => view.cancelled).map(view => view.uid));
	}

	return {views, waiting: waitingCount(views)};
}
