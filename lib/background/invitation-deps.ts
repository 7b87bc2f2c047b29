/** The invitation part of the reply loop wired to the account: its calendar, the invitations' records, its contacts. */
import {knownAddresses} from '../contacts/contacts-port.ts';
import {invitationDeps} from '../invitations/deps.ts';
import type {InvitationDeps} from '../invitations/ports.ts';
import {createInvitationStore} from '../invitations/store.ts';
import {contactsItem, eventsItem, invitationsItem} from '../storage.ts';
import type {Context} from './context.ts';

export function invitationDepsFor(context: Context, options: {fetch?: typeof fetch} = {}): InvitationDeps {
	return invitationDeps({
		caldav: context.caldav,
		calendarUrl: context.settings.calendarUrl!,
		settings: context.settings,
		login: {username: context.account.email, password: context.account.password, serverUrl: context.settings.servers.caldavUrl, ...options},
		store: createInvitationStore(),
		// The address books' copy in storage, and everyone the user invited or answered before.
		contacts: {
			async load() {
				const [copy, events, invitations] = await Promise.all([contactsItem.getValue(), eventsItem.getValue(), invitationsItem.getValue()]);
				return {copy, known: knownAddresses(events, invitations)};
			},
			async save(copy) {
				await contactsItem.setValue(copy);
			},
		},
	});
}
