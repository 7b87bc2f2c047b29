/** What the popup shows, derived from storage: events soonest first, replies that need the user's eye, the loop's status. */
import {formatRepeat} from '../imip/index.ts';
import type {AgentView, EventView, PopupState} from '../messaging.ts';
import {agentServes, isOpenReview, type AgentMarker} from '../agent/index.ts';
import type {LoopStatus, MessageOutcome, TrackedEvent} from '../model.ts';
import {answerSentence} from './check-replies.ts';
import type {PlainAnswer} from '../plain-answers/types.ts';
import {proposalOf} from '../invites/index.ts';

/** Purelymail's webmail; "Open in webmail" shows the Sent folder, where the invitation's copy is. */
export const defaultWebmailUrl = 'https://inbox.purelymail.com/';

export function sentFolderUrl(webmailUrl: string): string {
	return new URL('?_task=mail&_mbox=Sent', webmailUrl).href;
}

export function eventView(event: TrackedEvent, webmailUrl = defaultWebmailUrl, now = new Date()): EventView {
	const from = now.toISOString();
	const next = event.spec.repeat ? event.upcomingStarts?.find(start => (start.length === 10 ? start >= from.slice(0, 10) : start >= from)) : undefined;
	return {
		...(event.spec.repeat ? {repeat: formatRepeat(event.spec.repeat)} : {}),
		...(next ? {nextOccurrence: next} : {}),
		...(event.occurrenceAnswers && event.occurrenceAnswers.length > 0 ? {occurrenceAnswers: event.occurrenceAnswers} : {}),
		uid: event.uid,
		summary: event.summary,
		start: event.start,
		end: event.end,
		timeZone: event.timeZone,
		allDay: event.allDay,
		attendees: event.attendees,
		delivery: event.delivery,
		cancelled: event.cancelled,
		webmailUrl: sentFolderUrl(webmailUrl),
	};
}

/** The plain-mail answers still waiting under each event (not recorded, not put away), oldest first. */
function openPlainAnswers(answers: readonly PlainAnswer[]): Map<string, PlainAnswer[]> {
	const byEvent = new Map<string, PlainAnswer[]>();
	for (const answer of answers) {
		if (!answer.recorded && !answer.dismissed) {
			byEvent.set(answer.eventUid, [...byEvent.get(answer.eventUid) ?? [], answer]);
		}
	}

	return byEvent;
}

/** The serving agent's state for the popup, from its marker. */
export function agentView(marker: AgentMarker): AgentView {
	return {
		host: marker.host,
		checkedAt: marker.lastTick?.at ?? marker.seenAt,
		watch: marker.watch,
		...(marker.lastTick?.error ? {error: marker.lastTick.error} : {}),
		answers: marker.answers.map(answer => ({sentence: answerSentence({eventUid: '', ...answer}), at: answer.at})),
	};
}

export function popupState(input: {configured: boolean; events: Record<string, TrackedEvent>; outcomes: readonly MessageOutcome[]; status: LoopStatus; webmailUrl?: string | undefined; now?: Date | undefined; agent?: AgentMarker | null | undefined;
	plainAnswers?: readonly PlainAnswer[] | undefined;
}): PopupState {
	const agent = input.agent ?? undefined;
	const plain = openPlainAnswers(input.plainAnswers ?? []);
	const serving = agentServes(agent, input.now ?? new Date());
	return {
		...(serving ? {agent: agentView(agent)} : {}),
		configured: input.configured,
		events: Object.values(input.events).map(event => {
			const view = eventView(event, input.webmailUrl, input.now);
			const answers = plain.get(event.uid);
			return answers ? {...view, plainAnswers: answers} : view;
		}).sort((a, b) => a.start.localeCompare(b.start)),
		// Newest first: the popup shows what just arrived at the top. A COUNTER carries its proposal. Parked replies
		// are listed with the reviews: they wait too, and say they will be retried.
		// While an agent serves the mailbox, its reviews come first ("apply anyway" and "dismiss" go to it).
		review: [...serving ? agent.review : [], ...input.outcomes.filter(outcome => isOpenReview(outcome) && !(serving && agent.review.some(item => item.key === outcome.key))).reverse().map(outcome => {
			const proposal = proposalOf(outcome);
			return proposal ? {...outcome, proposal} : outcome;
		})],
		status: input.status,
	};
}
