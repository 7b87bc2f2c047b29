/**
 * The reply loop's relay, also asking for plain-mail answers to our invitations: each poll names the Message-IDs
 * and subjects of the invitations of events not cancelled, and the answers the relay returns are matched (match.ts)
 * and kept before the poll's result goes on to the loop, so they are stored before its cursor moves.
 */
import type {RelayPort} from '../reply-loop/ports.ts';
import {messageKey} from '../reply-loop/message-key.ts';
import type {AnswersTo} from '../relay-client/types.ts';
import type {TrackedEvent} from '../model.ts';
import {matchPlainAnswer} from './match.ts';
import type {PlainAnswer, SentInvitation} from './types.ts';

export type PlainAnswerStore = {
	sent(): Promise<Record<string, SentInvitation>>;
	events(): Promise<Record<string, TrackedEvent>>;
	add(answers: readonly PlainAnswer[]): Promise<void>;
};

/** Most Message-IDs asked about in one poll (the relay takes 2000): the newest events' first. */
export const maxAskedIds = 1000;

/** What to ask the relay about: the invitations of events not cancelled, newest first; undefined when there are none. */
export function answersToFor(events: Readonly<Record<string, TrackedEvent>>, sent: Readonly<Record<string, SentInvitation>>): AnswersTo | undefined {
	const live = Object.values(events).filter(event => !event.cancelled && Object.hasOwn(sent, event.uid))
		.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
	const messageIds = live.flatMap(event => sent[event.uid]!.messageIds).slice(0, maxAskedIds);
	const subjects = [...new Set(live.flatMap(event => sent[event.uid]!.subjects))].slice(0, maxAskedIds);
	return messageIds.length > 0 ? {messageIds, subjects} : undefined;
}

/** The same relay port (filing's `move` included) whose polls also ask for plain-mail answers. */
export function withPlainAnswers(relay: RelayPort, store: PlainAnswerStore): RelayPort {
	return {
		...(relay.move ? {move: relay.move.bind(relay)} : {}),
		async replies(request, call) {
			const [sent, events] = await Promise.all([store.sent(), store.events()]);
			const answersTo = answersToFor(events, sent);
			const response = await relay.replies(answersTo ? {...request, answersTo} : request, call);
			const found = (response.plainAnswers ?? []).flatMap(mail => {
				const uidValidity = response.cursor.folders[mail.folder]?.uidValidity;
				const answer = uidValidity === undefined ? undefined : matchPlainAnswer(mail, messageKey(mail.folder, uidValidity, mail.uid), Object.values(events), sent);
				return answer ? [answer] : [];
			});
			if (found.length > 0) {
				await store.add(found);
			}

			return response;
		},
	};
}
