/**
 * Incoming invitations for the agent (issue 14 run by issue 17's agent): the same lib/invitations decisions as the
 * extension, with the settings of the agent's config and the records (copies, received invitations, the address
 * books' copy) in the agent's database instead of the extension's storage.
 */
import type {InvitationsStore} from '../attendee/types.ts';
import type {CaldavClient} from '../caldav/index.ts';
import type {StoredContacts} from '../contacts/contacts-port.ts';
import {invitationDeps} from '../invitations/deps.ts';
import type {InvitationDeps, InvitationStore} from '../invitations/ports.ts';
import type {AgentAccount} from './config-file.ts';

/**
 * Where an agent keeps one mailbox's invitation records (relay/agent's SQLite and PostgreSQL stores); `copies` is
 * lib/attendee's port on the same records, for the answers the agent sends for the user (lib/agent requests.ts).
 */
export type AgentInvitationState = InvitationStore & {contacts: StoredContacts; copies: InvitationsStore};

export function agentInvitationDeps(mailbox: AgentAccount, input: {caldav: CaldavClient; calendarUrl: string; state: AgentInvitationState}): InvitationDeps {
	return invitationDeps({
		caldav: input.caldav,
		calendarUrl: input.calendarUrl,
		settings: mailbox,
		login: {username: mailbox.account.email, password: mailbox.account.password, serverUrl: mailbox.servers.caldavUrl},
		store: input.state,
		contacts: input.state.contacts,
	});
}
