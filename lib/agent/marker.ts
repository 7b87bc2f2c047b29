/**
 * The agent's marker on the user's calendar: how the extension learns that an always-on agent serves this mailbox
 * (issue 17: "the extension and the agent never both act on one mailbox"). The agent keeps it as a dead property
 * of the calendar collection (lib/caldav collection-property.ts), which no calendar app shows; the extension reads
 * it before each of its ticks and, while the agent is there, runs no loop of its own and shows the agent's state.
 * It holds no secret: the machine's name, when the agent last looked, its watch, the last answers it applied, the
 * replies it set aside for review (a COUNTER with its proposal) and the invitations it lists for the user.
 * The marker is read as hostile input (anyone with write access to the calendar can write it): parseAgentMarker
 * keeps only well-formed items, of bounded size, and caps each list.
 */
import {readCollectionProperty, type DeadProperty} from '../caldav/collection-property.ts';
import type {CaldavClientOptions, CallOptions} from '../caldav/types.ts';
import type {InvitationListing} from '../invitations/views.ts';
import {proposalOf} from '../invites/counter-invite.ts';
import type {CounterProposal, PartStat} from '../itip/index.ts';
import type {MessageOutcome} from '../model.ts';
import type {AppliedAnswer} from '../reply-loop/index.ts';
import type {AgentTickResult} from './agent-tick.ts';

export const agentMarkerProperty: DeadProperty = {namespace: 'urn:x-purelymail-invites', name: 'agent'};

/** How many applied answers the marker keeps for the popup. */
export const markerAnswers = 5;

export type AgentMarkerAnswer = Pick<AppliedAnswer, 'attendee' | 'partstat' | 'summary'> & {name?: string; at: string};

/** How many review items the marker lists (the newest), and how many handled request ids (./requests.ts). */
export const markerReviews = 10;
export const markerHandled = 50;
/** How many invitations waiting for the user the marker lists (the soonest). */
export const markerInvitations = 10;

/**
 * A reply the agent sent to review, as the popup lists it: the stored outcome (already capped by lib/reply-loop
 * compactOutcome) without the kept reply and its origin, which only the agent needs to apply it; a COUNTER
 * (RFC 5546 §3.2.7) with its proposal, read by the agent from the kept reply, for "Accept proposal".
 */
export type AgentMarkerReview = Omit<MessageOutcome, 'calendar' | 'origin'> & {proposal?: CounterProposal};

export type AgentMarker = {
	version: 1;
	/** `stopped` once it shut down cleanly: the extension takes over at once. */
	state: 'running' | 'stopped';
	/** The machine it runs on (os.hostname()), for "an agent on home-server". */
	host: string;
	/** When it last wrote the marker (ISO): at least once per full tick. */
	seenAt: string;
	/** Its full tick's period; a marker older than two of them (and a minute) is an agent that is gone. */
	tickSeconds: number;
	/** Its last tick: when, and the error if it failed. */
	lastTick: {at: string; error?: string} | null;
	/** IMAP IDLE on INBOX: on (`idle`) or reconnecting (`down`). */
	watch: 'idle' | 'down';
	/** The last answers it applied, newest first. */
	answers: AgentMarkerAnswer[];
	/** Replies waiting in its review, newest first (at most markerReviews). */
	review: AgentMarkerReview[];
	/** Ids of the extension's requests it has handled (./requests.ts), newest last: the extension drops those. */
	handled: string[];
	/** "Invitations for you": those waiting for the user's answer, soonest first (at most markerInvitations). */
	invitations: InvitationListing[];
};

/** The marker as it goes on the server. */
export function markerText(marker: AgentMarker): string {
	return JSON.stringify(marker);
}

const isText = (value: unknown): value is string => typeof value === 'string';
/** A text field of bounded length: a hand-made marker cannot make the popup carry megabytes. */
const isShort = (value: unknown, max = 1000): value is string => isText(value) && value.length <= max;
const isOptionalShort = (value: unknown): boolean => value === undefined || isShort(value);
const partstats: readonly PartStat[] = ['ACCEPTED', 'DECLINED', 'TENTATIVE', 'DELEGATED', 'NEEDS-ACTION'];

function validProposal(value: unknown): CounterProposal | undefined {
	const proposal = value as Partial<CounterProposal> | null | undefined;
	if (!proposal || !isShort(proposal.attendee) || !isOptionalShort(proposal.start) || !isOptionalShort(proposal.end) || !isOptionalShort(proposal.recurrenceId) || !isOptionalShort(proposal.comment)) {
		return undefined;
	}

	const optional = (['start', 'end', 'recurrenceId', 'comment'] as const).filter(field => proposal[field] !== undefined);
	return {attendee: proposal.attendee, ...Object.fromEntries(optional.map(field => [field, proposal[field]]))};
}

function validInvitation(value: unknown): InvitationListing | undefined {
	const item = value as Partial<InvitationListing> | null | undefined;
	if (!item || !isShort(item.uid) || !isShort(item.summary) || !isShort(item.start, 40) || !isShort(item.end, 40) || typeof item.allDay !== 'boolean'
		|| !isShort(item.organizer?.email) || !isOptionalShort(item.organizer.name) || !partstats.includes(item.partstat!)
		|| typeof item.cancelled !== 'boolean' || typeof item.listed !== 'boolean' || typeof item.wasInJunk !== 'boolean'
		|| !isShort(item.mail?.folder) || !Number.isSafeInteger(item.mail.uid) || item.mail.uid < 0) {
		return undefined;
	}

	return {
		uid: item.uid, summary: item.summary, start: item.start, end: item.end, allDay: item.allDay,
		organizer: {email: item.organizer.email, ...(isText(item.organizer.name) ? {name: item.organizer.name} : {})},
		partstat: item.partstat!, cancelled: item.cancelled, listed: item.listed, wasInJunk: item.wasInJunk, mail: {folder: item.mail.folder, uid: item.mail.uid},
	};
}

/** The marker read from the server, or undefined when there is none or it is not one (a hand-made or newer one). */
export function parseAgentMarker(text: string | undefined): AgentMarker | undefined {
	if (!text) {
		return undefined;
	}

	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return undefined;
	}

	const marker = value as Partial<AgentMarker> | null;
	if (!marker || marker.version !== 1 || (marker.state !== 'running' && marker.state !== 'stopped') || !isText(marker.host) || !isText(marker.seenAt)
		|| Number.isNaN(Date.parse(marker.seenAt)) || typeof marker.tickSeconds !== 'number' || !(marker.tickSeconds > 0)) {
		return undefined;
	}

	const review = Array.isArray(marker.review)
		? marker.review.filter(item => isText(item?.key) && isText(item.subject) && isText(item.reason) && isText(item.recordedAt) && (item.outcome === 'review' || item.outcome === 'parked') && Array.isArray(item.changes))
			.map(({proposal, ...item}) => {
				const valid = validProposal(proposal);
				return valid ? {...item, proposal: valid} : item;
			})
		: [];
	const invitations = Array.isArray(marker.invitations) ? marker.invitations.slice(0, markerInvitations).flatMap(item => validInvitation(item) ?? []) : [];
	const answers = Array.isArray(marker.answers) ? marker.answers.filter(answer => isText(answer?.attendee) && isText(answer.partstat) && isText(answer.summary) && isText(answer.at)) : [];
	return {
		version: 1,
		state: marker.state,
		host: marker.host,
		seenAt: marker.seenAt,
		tickSeconds: marker.tickSeconds,
		lastTick: marker.lastTick && isText(marker.lastTick.at) ? {at: marker.lastTick.at, ...(isText(marker.lastTick.error) ? {error: marker.lastTick.error} : {})} : null,
		watch: marker.watch === 'down' ? 'down' : 'idle',
		answers: answers.slice(0, markerAnswers),
		review: review.slice(0, markerReviews),
		handled: Array.isArray(marker.handled) ? marker.handled.filter(id => isText(id)).slice(-markerHandled) : [],
		invitations,
	};
}

/**
 * Whether the agent serves the mailbox now: it says it runs, and it wrote the marker within two of its full ticks
 * and a minute (a clock a little off, a slow tick). Past that it is gone (killed, its machine off) and the
 * extension works again.
 */
export function agentServes(marker: AgentMarker | undefined, now: Date): marker is AgentMarker {
	if (!marker || marker.state !== 'running') {
		return false;
	}

	const age = now.getTime() - Date.parse(marker.seenAt);
	return age <= ((2 * marker.tickSeconds) + 60) * 1000;
}

/** The review items as the marker lists them; a COUNTER with its proposal. */
export function markerReview(outcomes: readonly MessageOutcome[]): AgentMarkerReview[] {
	return outcomes.slice(0, markerReviews).map(outcome => {
		const {calendar: _calendar, origin: _origin, ...item} = outcome;
		const proposal = proposalOf(outcome);
		return proposal ? {...item, proposal} : item;
	});
}

/** What one agent's pass adds to its marker: the requests it handled, its open reviews, the invitations it lists. */
export type MarkerNews = {review?: readonly MessageOutcome[]; handled?: readonly string[]; invitations?: readonly InvitationListing[]};

/** The marker after the agent performed requests (and at the end of each tick): what they changed, seen now. */
export function markerWithNews(previous: AgentMarker, news: MarkerNews, now: Date): AgentMarker {
	return {
		...previous,
		seenAt: now.toISOString(),
		review: news.review ? markerReview(news.review) : previous.review,
		handled: [...previous.handled, ...news.handled ?? []].slice(-markerHandled),
		invitations: news.invitations ? news.invitations.slice(0, markerInvitations) : previous.invitations,
	};
}

/** The marker after one of the agent's ticks: its applied answers, its open reviews, the requests it handled. */
export function markerAfterTick(previous: AgentMarker, result: AgentTickResult, now: Date, news: MarkerNews = {}): AgentMarker {
	const at = now.toISOString();
	const fresh: AgentMarkerAnswer[] = result.tick.answers.map(answer => ({
		attendee: answer.attendee, partstat: answer.partstat, summary: answer.summary, ...(answer.name ? {name: answer.name} : {}), at,
	})).reverse();
	return {
		...markerWithNews(previous, news, now),
		lastTick: {at, ...(result.tick.error ? {error: result.tick.error.message} : {})},
		answers: [...fresh, ...previous.answers].slice(0, markerAnswers),
	};
}

/** The marker on `calendarUrl`, as the extension reads it before a tick; undefined when there is none. */
export async function readAgentMarker(login: CaldavClientOptions, calendarUrl: string, call: CallOptions = {}): Promise<AgentMarker | undefined> {
	return parseAgentMarker(await readCollectionProperty(login, calendarUrl, agentMarkerProperty, call));
}
