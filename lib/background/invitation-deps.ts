/** The invitation part of the reply loop wired to the account: its calendar, the invitations' records, its contacts. */
import {contactsPort, storageContactsSource} from '../contacts/contacts-port.ts';
import {invitationCalendarPort} from '../invitations/calendar-port.ts';
import type {InvitationDeps} from '../invitations/ports.ts';
import {invitationSettingsOf} from '../invitations/settings.ts';
import {createInvitationStore} from '../invitations/store.ts';
import type {Context} from './context.ts';

export function invitationDepsFor(context: Context, options: {fetch?: typeof fetch} = {}): InvitationDeps {
	const settings = invitationSettingsOf(context.settings);
	return {
		calendar: invitationCalendarPort(context.caldav, settings.calendarUrl ?? context.settings.calendarUrl!),
		store: createInvitationStore(),
		contacts: contactsPort(storageContactsSource({
			username: context.account.email, password: context.account.password, serverUrl: context.settings.servers.caldavUrl, ...options,
		})),
		settings,
	};
}
