/**
 * The user's actions on what the always-on agent lists ("apply anyway", "dismiss", "Accept proposal" / "Decline
 * proposal" on a COUNTER in review) from the extension to the agent on another machine (issue 17). The only
 * channel the two share is the calendar server, so the protocol is two dead properties of the calendar collection
 * (RFC 4918 §4.3, set with PROPPATCH §9.2), each with a single writer, so that no write loses another's:
 * - the agent's marker (./marker.ts) lists its review items and the ids of the requests it has handled;
 * - the extension's requests (this file): `{"version": 1, "requests": [{"id", "action", "key", "check"}]}`.
 * Each tick the agent reads the requests and performs each one it has not handled, through the same lib/ code as the
 * extension (lib/reply-loop/apply-anyway.ts, lib/invites answerCounterReview); the extension drops a request once the marker
 * lists its id. A request
 * is performed at most once with effect: it acts only on an outcome still in review, and what it did is committed with
 * the outcome, so a request read again (after a restart, before the extension pruned it) finds nothing to do.
 */
import {readCollectionProperty, type DeadProperty} from '../caldav/collection-property.ts';
import type {CaldavClientOptions, CallOptions} from '../caldav/types.ts';
import {answerInvitation} from '../attendee/answer.ts';
import type {AttendeeDeps} from '../attendee/types.ts';
import {invitationListings} from '../invitations/views.ts';
import {answerCounterReview} from '../invites/counter-invite.ts';
import type {InviteDeps} from '../invites/ports.ts';
import type {Answer, ReviewCheck} from '../itip/index.ts';
import type {MessageOutcome, TrackedEvent} from '../model.ts';
import {applyAnywayProblem, applyAnywayTo, dismissed} from '../reply-loop/apply-anyway.ts';
import type {CalendarPort, ReplyLoopStore} from '../reply-loop/ports.ts';
import {ownAddresses} from '../account.ts';
import type {InvitationStore} from '../invitations/ports.ts';

export const agentRequestsProperty: DeadProperty = {namespace: 'urn:x-purelymail-invites', name: 'requests'};

/** At most this many requests wait at once (the oldest are dropped past it): a user clicks, this is not a queue. */
export const maxAgentRequests = 50;

const reviewChecks: readonly ReviewCheck[] = ['uninvited', 'sender', 'authentication', 'sequence-ahead', 'dtstamp-ahead', 'delegation'];

const actions = ['apply', 'dismiss', 'accept-counter', 'decline-counter', 'answer'] as const;
const answers: readonly Answer[] = ['ACCEPTED', 'TENTATIVE', 'DECLINED'];
export type AgentRequestAction = typeof actions[number];

export type AgentRequest = {
	/** Unique (crypto.randomUUID()): what the marker's `handled` lists. */
	id: string;
	/**
	 * `accept-counter` / `decline-counter`: answer the COUNTER in review (RFC 5546 §3.2.7, §3.2.8); `answer`: answer an
	 * invitation the agent lists for the user (a REPLY, §3.2.3).
	 */
	action: AgentRequestAction;
	/** The review's message key; for `answer`, the invitation's UID. */
	key: string;
	/** For `answer`: Accept, Maybe or Decline. */
	answer?: Answer;
	/** For `apply`: the check the user saw on the review and overrides (RFC 5546 §3.2.3's checks, lib/itip). */
	check?: ReviewCheck;
};

export function requestsText(requests: readonly AgentRequest[]): string {
	return JSON.stringify({version: 1, requests: requests.slice(-maxAgentRequests)});
}

/** The requests read from the server; anything that is not one is left out (a hand-made or newer property). */
export function parseAgentRequests(text: string | undefined): AgentRequest[] {
	let value: unknown;
	try {
		value = text ? JSON.parse(text) : undefined;
	} catch {
		return [];
	}

	const list = (value as {version?: unknown; requests?: unknown} | undefined);
	if (list?.version !== 1 || !Array.isArray(list.requests)) {
		return [];
	}

	return (list.requests as Array<Partial<AgentRequest> | null>).flatMap((request): AgentRequest[] => {
		if (typeof request?.id !== 'string' || typeof request.key !== 'string' || !actions.includes(request.action!)
			|| request.id.length > 100 || request.key.length > 1000 || (request.action === 'answer' && !answers.includes(request.answer!))) {
			return [];
		}

		if (request.action === 'answer') {
			return [{id: request.id, action: request.action, key: request.key, answer: request.answer!}];
		}

		const check = reviewChecks.includes(request.check!) ? {check: request.check!} : {};
		return [{id: request.id, action: request.action!, key: request.key, ...request.action === 'apply' ? check : {}}];
	}).slice(-maxAgentRequests);
}

export async function readAgentRequests(login: CaldavClientOptions, calendarUrl: string, call: CallOptions = {}): Promise<AgentRequest[]> {
	return parseAgentRequests(await readCollectionProperty(login, calendarUrl, agentRequestsProperty, call));
}

/** What the agent needs to perform requests: its outcomes by key, its events, and the loop's one commit. */
export type AgentRequestStore = Pick<ReplyLoopStore, 'commit' | 'load'> & {
	outcome(key: string): Promise<MessageOutcome | undefined>;
};

/** `failed`: the answer to a COUNTER did not go out (the review stays open, as after a failed click in the extension). */
export type HandledRequest = {request: AgentRequest; result: 'applied' | 'review' | 'dismissed' | 'answered' | 'failed' | 'nothing'; reason?: string; event?: TrackedEvent};

/** A review the user may act on: listed in the popup, still waiting. */
export function isOpenReview(outcome: MessageOutcome | undefined): outcome is MessageOutcome {
	return (outcome?.outcome === 'review' || outcome?.outcome === 'parked') && !outcome.dismissed;
}

/**
 * Performs `requests` not in `done`, in order, each committed before the next. An apply that the calendar refuses
 * throws (the request is then not handled, and is tried on the next tick).
 */
export async function performAgentRequests(requests: readonly AgentRequest[], done: ReadonlySet<string>, deps: {store: AgentRequestStore; calendar: (calendarUrl: string) => CalendarPort; me: readonly string[]; now?: Date;
	/** The invite flows' deps (lib/invites), for answers to a COUNTER: the agent's calendar, mail and events. */
	invite: InviteDeps;
	/** lib/attendee's answer flow on the agent's records, and those records, for answers to invitations. */
	attendee: AttendeeDeps & {received: Pick<InvitationStore, 'load'>};
}): Promise<HandledRequest[]> {
	const handled: HandledRequest[] = [];
	for (const request of requests.filter(candidate => !done.has(candidate.id))) {
		if (request.action === 'answer') {
			handled.push(await answerListed(request, deps.attendee));
			continue;
		}

		const outcome = await deps.store.outcome(request.key);
		if (!isOpenReview(outcome)) {
			handled.push({request, result: 'nothing'});
			continue;
		}

		if (request.action === 'dismiss') {
			await deps.store.commit({events: [], outcomes: [dismissed(outcome)]});
			handled.push({request, result: 'dismissed'});
			continue;
		}

		if (request.action === 'accept-counter' || request.action === 'decline-counter') {
			// The event's new state is stored by the flow (deps.invite.events); the review closes with what was done.
			const {result, resolved} = await answerCounterReview(outcome, request.action === 'accept-counter' ? 'accept' : 'decline', deps.invite);
			if (resolved) {
				await deps.store.commit({events: [], outcomes: [resolved]});
			}

			handled.push({request, result: resolved ? 'answered' : 'failed', reason: resolved?.reason ?? (result.ok ? '' : result.error.message)});
			continue;
		}

		const tracked = outcome.eventUid ? (await deps.store.load()).events[outcome.eventUid] : undefined;
		const problem = applyAnywayProblem(outcome, tracked);
		if (problem !== undefined || !tracked) {
			handled.push({request, result: 'nothing', ...(problem ? {reason: problem} : {})});
			continue;
		}

		// The check the user saw on the review is the one overridden, as in the extension.
		const seen = request.check ? {...outcome, check: request.check} : outcome;
		const applied = await applyAnywayTo(seen, tracked, deps.calendar(tracked.calendarUrl), deps.me, deps.now);
		const event = {...tracked, ...applied.event};
		await deps.store.commit({events: [event], outcomes: [applied.resolve(outcome)]});
		handled.push({request, result: applied.ok ? 'applied' : 'review', reason: applied.reason, event});
	}

	return handled;
}

/**
 * Accept / Maybe / Decline on an invitation the agent lists: lib/attendee's answer flow (the copy in the calendar,
 * then the REPLY), only while it still waits for an answer (so a request read again sends nothing more; the flow
 * itself also sends no second REPLY of the same answer to the same SEQUENCE).
 */
async function answerListed(request: AgentRequest, deps: AttendeeDeps & {received: Pick<InvitationStore, 'load'>}): Promise<HandledRequest> {
	const {copies, received} = await deps.received.load();
	const waiting = invitationListings({copies, received, me: ownAddresses(deps.account)}).some(listing => listing.uid === request.key && !listing.cancelled);
	const invitation = received[request.key];
	if (!waiting || !invitation || !request.answer) {
		return {request, result: 'nothing'};
	}

	const result = await answerInvitation(invitation.message, {answer: request.answer}, deps);
	return {request, result: result.ok ? 'answered' : 'failed', reason: result.ok ? `answered ${request.answer}` : result.error.message};
}
