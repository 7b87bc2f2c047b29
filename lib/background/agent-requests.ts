/**
 * The extension's side of "apply anyway", "dismiss" and "Accept / Decline proposal" for replies the always-on agent
 * sent to review (protocol: lib/agent requests.ts). The extension is the only writer of the requests property: it adds a request, and drops
 * the ones the agent's marker lists as handled. Until the agent has handled a request, its review item is hidden
 * from the popup, so that what the user did shows at once.
 */
import {agentRequestsProperty, agentServes, readAgentRequests, requestsText, type AgentMarker, type AgentRequest, type AgentRequestAction} from '../agent/index.ts';
import {writeCollectionProperty} from '../caldav/collection-property.ts';
import {agentMarkerItem} from '../storage.ts';
import type {Context} from './context.ts';

type Login = {username: string; password: string};

function loginOf(context: Pick<Context, 'account'>): Login {
	return {username: context.account.email, password: context.account.password};
}

/** The requests on the server the agent has not handled yet; the handled ones are dropped from the server. */
async function pendingRequests(login: Login, calendarUrl: string, marker: AgentMarker): Promise<AgentRequest[]> {
	const requests = await readAgentRequests(login, calendarUrl);
	const pending = requests.filter(request => !marker.handled.includes(request.id));
	if (pending.length < requests.length) {
		await writeCollectionProperty(login, calendarUrl, agentRequestsProperty, requestsText(pending));
	}

	return pending;
}

/** The marker as the popup shows it: review items with a request on its way left out. Also prunes handled requests. */
export async function markerWithRequests(context: Pick<Context, 'account' | 'settings'>, marker: AgentMarker, now = new Date()): Promise<AgentMarker> {
	const {calendarUrl} = context.settings;
	if (!calendarUrl || !agentServes(marker, now) || (marker.review.length === 0 && marker.handled.length === 0)) {
		return marker;
	}

	const pending = await pendingRequests(loginOf(context), calendarUrl, marker);
	return {...marker, review: marker.review.filter(item => !pending.some(request => request.key === item.key))};
}

const promised: Record<AgentRequestAction, string> = {
	apply: 'applies it',
	dismiss: 'puts it away',
	'accept-counter': 'accepts the proposal and sends everyone the new time',
	'decline-counter': 'declines the proposal and tells the proposer',
};

/**
 * Sends the action on review item `key` to the agent when the item is the serving agent's, and says so (with the
 * event it is about); undefined when it is the extension's own (then the caller acts on its storage).
 */
export async function requestFromAgent(context: Pick<Context, 'account' | 'settings'>, request: Pick<AgentRequest, 'action' | 'key'>, now = new Date()): Promise<{said: string; eventUid: string | null} | undefined> {
	const marker = await agentMarkerItem.getValue();
	const item = marker?.review.find(candidate => candidate.key === request.key);
	const {calendarUrl} = context.settings;
	if (!marker || !item || !calendarUrl || !agentServes(marker, now)) {
		return undefined;
	}

	const login = loginOf(context);
	// The check the user saw on the review is the one the agent overrides.
	const added: AgentRequest = {id: crypto.randomUUID(), ...request, ...(request.action === 'apply' && item.check ? {check: item.check} : {})};
	await writeCollectionProperty(login, calendarUrl, agentRequestsProperty, requestsText([...await pendingRequests(login, calendarUrl, marker), added]));
	await agentMarkerItem.setValue({...marker, review: marker.review.filter(candidate => candidate.key !== request.key)});
	return {said: `The agent on ${marker.host} ${promised[request.action]} on its next check.`, eventUid: item.eventUid};
}
