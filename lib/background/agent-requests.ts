/**
 * The extension's side of "apply anyway", "dismiss" and "Accept / Decline proposal" for replies the always-on agent
 * sent to review (protocol: lib/agent requests.ts). The extension is the only writer of the requests property: it adds a request, and drops
 * the ones the agent's marker lists as handled. Until the agent has handled a request, its review item is hidden
 * from the popup, so that what the user did shows at once.
 */
import {agentRequestsProperty, agentServes, readAgentRequests, requestsText, type AgentMarker, type AgentRequest, type AgentRequestAction} from '../agent/index.ts';
import {writeCollectionProperty} from '../caldav/collection-property.ts';
import type {Answer} from '../itip/index.ts';
import type {SendInviteResult} from '../messaging.ts';
import {agentMarkerItem} from '../storage.ts';
import {userError} from '../user-errors.ts';
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

/** The marker as the popup shows it: review items and invitations with a request on its way left out. Also prunes handled requests. */
export async function markerWithRequests(context: Pick<Context, 'account' | 'settings'>, marker: AgentMarker, now = new Date()): Promise<AgentMarker> {
	const {calendarUrl} = context.settings;
	if (!calendarUrl || !agentServes(marker, now) || (marker.review.length === 0 && marker.invitations.length === 0 && marker.handled.length === 0)) {
		return marker;
	}

	const pending = await pendingRequests(loginOf(context), calendarUrl, marker);
	return withoutRequested(marker, pending);
}

/** The marker less what the requests act on (a review item by its key, an invitation by its UID). */
function withoutRequested(marker: AgentMarker, requests: ReadonlyArray<Pick<AgentRequest, 'action' | 'key'>>): AgentMarker {
	const asked = (key: string, answer: boolean): boolean => requests.some(request => request.key === key && (request.action === 'answer') === answer);
	return {...marker, review: marker.review.filter(item => !asked(item.key, false)), invitations: marker.invitations.filter(listing => !asked(listing.uid, true))};
}

const promised: Record<AgentRequestAction, string> = {
	apply: 'applies it',
	dismiss: 'puts it away',
	'accept-counter': 'accepts the proposal and sends everyone the new time',
	'decline-counter': 'declines the proposal and tells the proposer',
	answer: 'sends your answer',
};

/**
 * Sends the action on review item `key` to the agent when the item is the serving agent's, and says so (with the
 * event it is about); undefined when it is the extension's own (then the caller acts on its storage).
 */
export async function requestFromAgent(context: Pick<Context, 'account' | 'settings'>, request: Pick<AgentRequest, 'action' | 'key' | 'answer'>, now = new Date()): Promise<{said: string; eventUid: string | null} | undefined> {
	const marker = await agentMarkerItem.getValue();
	const item = request.action === 'answer' ? undefined : marker?.review.find(candidate => candidate.key === request.key);
	const invitation = request.action === 'answer' ? marker?.invitations.find(candidate => candidate.uid === request.key) : undefined;
	const {calendarUrl} = context.settings;
	if (!marker || !(item ?? invitation) || !calendarUrl || !agentServes(marker, now)) {
		return undefined;
	}

	const login = loginOf(context);
	// The check the user saw on the review is the one the agent overrides.
	const added: AgentRequest = {id: crypto.randomUUID(), ...request, ...(request.action === 'apply' && item?.check ? {check: item.check} : {})};
	await writeCollectionProperty(login, calendarUrl, agentRequestsProperty, requestsText([...await pendingRequests(login, calendarUrl, marker), added]));
	await agentMarkerItem.setValue(withoutRequested(marker, [request]));
	return {said: `The agent on ${marker.host} ${promised[request.action]} on its next check.`, eventUid: item ? item.eventUid : request.key};
}

/** Accept / Maybe / Decline on an invitation the serving agent lists: a request to the agent. */
export async function answerThroughAgent(uid: string, answer: Answer, context: Pick<Context, 'account' | 'settings'>): Promise<SendInviteResult> {
	const sent = await requestFromAgent(context, {action: 'answer', key: uid, answer});
	return sent
		? {ok: true, uid, steps: [], accepted: [], rejected: [], handedOver: sent.said}
		: {ok: false, uid, steps: [], error: userError('invalid', 'The always-on agent no longer lists this invitation; open the mail to answer it.')};
}
