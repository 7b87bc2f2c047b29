/**
 * The invite flows (lib/invites) and the answer flow (lib/attendee) run by the agent, for the requests it performs
 * for the extension ("Accept proposal" / "Decline proposal", Accept / Maybe / Decline on an invitation; lib/agent
 * requests.ts): the agent's calendar client and in-process mail, and its own records instead of the extension's storage.
 */
import type {AttendeeDeps} from '../attendee/types.ts';
import type {CaldavClient} from '../caldav/index.ts';
import type {InviteDeps} from '../invites/ports.ts';
import type {Settings} from '../model.ts';
import type {RelayClient} from '../relay-client/index.ts';
import type {ReplyLoopStore} from '../reply-loop/ports.ts';
import type {EventsStore} from '../stored-events.ts';
import type {AgentAccount} from './config-file.ts';
import type {AgentInvitationState} from './invitation-deps.ts';

/**
 * The agent's events as the invite flows change them: one record read, changed and committed (the agent's writes
 * are serialised by its worker, so no lock is needed between the read and the commit).
 */
export function agentEventsStore(store: Pick<ReplyLoopStore, 'load' | 'commit'>): EventsStore {
	return {
		async get(uid) {
			return (await store.load()).events[uid];
		},
		async update(uid, change) {
			const current = (await store.load()).events[uid];
			const next = change(current);
			if (next) {
				await store.commit({events: [next], outcomes: []});
			}

			return next ?? current;
		},
	};
}

/** The extension's settings as the flows read them, from the agent's config (no relay URL: mail goes in-process). */
export function agentSettings(mailbox: AgentAccount, calendarUrl: string): Settings {
	return {
		servers: mailbox.servers, calendarUrl, relayMode: 'http', relayUrl: '', relayToken: '', pollMinutes: 5, notifications: false, webmailOrigins: [],
		invitations: mailbox.invitations, scheduleOtherApps: mailbox.scheduleOtherApps,
	};
}

export function agentInviteDeps(mailbox: AgentAccount, input: {caldav: CaldavClient; calendarUrl: string; send: Pick<RelayClient, 'send'>; store: Pick<ReplyLoopStore, 'load' | 'commit'>}): InviteDeps {
	return {caldav: input.caldav, relay: input.send, account: mailbox.account, settings: agentSettings(mailbox, input.calendarUrl), events: agentEventsStore(input.store)};
}

export function agentAttendeeDeps(mailbox: AgentAccount, input: {caldav: CaldavClient; calendarUrl: string; send: Pick<RelayClient, 'send'>; state: AgentInvitationState}): AttendeeDeps & {received: AgentInvitationState} {
	return {caldav: input.caldav, relay: input.send, account: mailbox.account, settings: agentSettings(mailbox, input.calendarUrl), invitations: input.state.copies, received: input.state};
}
