/**
 * The invitation part of the reply loop for one account, wherever its records live: the extension passes its
 * storage (lib/background/invitation-deps.ts), the agent its database (lib/agent/invitation-deps.ts).
 */
import type {CaldavClient} from '../caldav/index.ts';
import {contactsPort, davContactsSource, type StoredContacts} from '../contacts/contacts-port.ts';
import type {Settings} from '../model.ts';
import {invitationCalendarPort} from './calendar-port.ts';
import type {InvitationDeps, InvitationStore} from './ports.ts';
import {invitationSettingsOf} from './settings.ts';

export function invitationDeps(input: {
	caldav: CaldavClient;
	/** The calendar of the options page (or the agent's config): new invitations go there unless the settings name another. */
	calendarUrl: string;
	settings: Pick<Settings, 'invitations'>;
	login: {username: string; password: string; serverUrl: string; fetch?: typeof fetch};
	store: InvitationStore;
	contacts: StoredContacts;
}): InvitationDeps {
	const settings = invitationSettingsOf(input.settings);
	return {
		calendar: invitationCalendarPort(input.caldav, settings.calendarUrl ?? input.calendarUrl),
		store: input.store,
		contacts: contactsPort(davContactsSource(input.login, input.contacts)),
		settings,
	};
}
