/**
 * The agent's side of the user's actions from the extension (lib/agent requests.ts): read the requests
 * on the calendar, perform those not handled yet, log one line each. Never throws: a request that could not be
 * performed (the calendar is down) is not handled and is tried again after the next tick.
 */
import {ownAddresses} from '../../lib/account.ts';
import {agentAttendeeDeps, agentInviteDeps, performAgentRequests, readAgentRequests, type HandledRequest} from '../../lib/agent/index.ts';
import type {CaldavClient} from '../../lib/caldav/index.ts';
import type {RelayClient} from '../../lib/relay-client/index.ts';
import {caldavCalendarPort} from '../../lib/reply-loop/index.ts';
import type {AgentAccount} from './config.ts';
import {logLine, type AgentLog} from './log.ts';
import type {AgentMailboxStore} from './worker.ts';

export async function handleRequests(input: {caldav: CaldavClient; calendarUrl: string; mailbox: AgentAccount; store: AgentMailboxStore; send: Pick<RelayClient, 'send'>; done: ReadonlySet<string>; log: AgentLog; signal: AbortSignal}): Promise<string[]> {
	const address = input.mailbox.account.email.toLowerCase();
	let handled: HandledRequest[];
	try {
		const requests = await readAgentRequests({username: input.mailbox.account.email, password: input.mailbox.account.password}, input.calendarUrl, {signal: input.signal});
		if (requests.every(request => input.done.has(request.id))) {
			return [];
		}

		handled = await performAgentRequests(requests, input.done, {
			store: input.store, calendar: url => caldavCalendarPort(input.caldav, url), me: ownAddresses(input.mailbox.account),
			invite: agentInviteDeps(input.mailbox, {caldav: input.caldav, calendarUrl: input.calendarUrl, send: input.send, store: input.store}),
			attendee: agentAttendeeDeps(input.mailbox, {caldav: input.caldav, calendarUrl: input.calendarUrl, send: input.send, state: input.store.invitations}),
		});
	} catch (error) {
		input.log(logLine('request', {mailbox: address, state: 'failed', error: error instanceof Error ? error.message : String(error)}));
		return [];
	}

	for (const {request, result, reason} of handled) {
		input.log(logLine('request', {mailbox: address, action: request.action, key: request.key, result, reason}));
	}

	return handled.map(({request}) => request.id);
}
