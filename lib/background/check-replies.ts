/** One run of the reply loop with the stored account, and what the user sees of it: status, badge, notifications. */
import {ownAddresses, relayAccountOf} from '../account.ts';
import type {TickSummary} from '../messaging.ts';
import {withPlainAnswers} from '../plain-answers/relay-port.ts';
import {createPlainAnswerStore} from '../plain-answers/storage-store.ts';
import {caldavCalendarPort, runTick, singleFlight, type AppliedAnswer, type SingleFlight} from '../reply-loop/index.ts';
import {createStorageStore} from '../reply-loop/storage-store.ts';
import {loopStatusItem} from '../storage.ts';
import {toUserFacingError, userError} from '../user-errors.ts';
import {agentServing} from './agent-hand-over.ts';
import {loadContext} from './context.ts';
import {invitationDepsFor} from './invitation-deps.ts';
import {invitationsState} from './invitations-state.ts';
import {scheduleOtherApps} from './other-apps.ts';

export type Notifier = {
	/** Shows the number of unseen answers on the toolbar button (0 clears it). */
	badge(count: number): Promise<void>;
	/** One desktop notification, e.g. "Sam declined Project sync: Travelling that week". */
	notify(title: string, message: string): Promise<void>;
};

const verbs: Record<string, string> = {
	ACCEPTED: 'accepted',
	DECLINED: 'declined',
	TENTATIVE: 'tentatively accepted',
	DELEGATED: 'delegated',
	'NEEDS-ACTION': 'has not decided on',
};

/** "Alex accepted Project sync", "Sam declined Project sync: Travelling that week". */
export function answerSentence(answer: AppliedAnswer): string {
	const who = answer.name ?? answer.attendee;
	const sentence = `${who} ${verbs[answer.partstat] ?? answer.partstat.toLowerCase()} ${answer.summary}`;
	return answer.comment ? `${sentence}: ${answer.comment}` : sentence;
}

/**
 * The one notification of a tick: up to three answers by name and a count of the rest, so that a flood of replies
 * (or of forged ones) is one notification, not one each. "Alex accepted Project sync, Sam declined Project sync and 4 more".
 */
export function tickSentence(answers: readonly AppliedAnswer[]): string {
	const named = answers.slice(0, 3).map(answer => `${answer.name ?? answer.attendee} ${verbs[answer.partstat] ?? answer.partstat.toLowerCase()} ${answer.summary}`);
	const rest = answers.length - named.length;
	if (rest > 0) {
		return `${named.join(', ')} and ${rest} more`;
	}

	return named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)!}` : named[0] ?? '';
}

export function createReplyChecker(notifier: Notifier, options: {notifications: () => Promise<boolean>}): SingleFlight<TickSummary> {
	return singleFlight(async (): Promise<TickSummary> => {
		const context = await loadContext();
		if (!context) {
			return {ran: false, messages: 0, applied: 0, review: 0, error: userError('not-configured')};
		}

		const agent = await agentServing(context);
		if (agent) {
			return {ran: false, messages: 0, applied: 0, review: 0, agentHost: agent.host};
		}

		const result = await runTick({
			relay: withPlainAnswers(context.relay, createPlainAnswerStore()),
			calendar: caldavCalendarPort(context.caldav, context.settings.calendarUrl!),
			store: createStorageStore(),
			account: relayAccountOf(context.account, context.settings),
			me: ownAddresses(context.account),
			invitations: invitationDepsFor(context),
		});
		// Calendar-app scheduling (issue 18); its failures wait for the next tick like the loop's.
		const scheduling = await scheduleOtherApps(context).catch((error: unknown) => ({error: {kind: 'calendar' as const, message: String(error), cause: error}}));
		const failure = result.error ?? scheduling?.error;
		const error = failure ? toUserFacingError(failure.cause ?? new Error(failure.message), {relayUrl: context.settings.relayUrl}) : undefined;
		const status = await loopStatusItem.getValue();
		const unseenAnswers = status.unseenAnswers + result.answers.length;
		await loopStatusItem.setValue({lastCheck: new Date().toISOString(), lastError: error ? `${error.message}${error.action ? ` ${error.action}` : ''}` : null, unseenAnswers});
		// The badge: new answers to the user's events plus invitations waiting for the user's answer.
		await notifier.badge(unseenAnswers + (await invitationsState(context.settings, context.account, {shown: false})).waiting);
		if (result.answers.length > 0 && await options.notifications()) {
			// One per tick; a single answer keeps its comment ("Sam declined Project sync: Travelling that week").
			await notifier.notify('Purelymail Invites', result.answers.length === 1 ? answerSentence(result.answers[0]!) : tickSentence(result.answers));
		}

		return {
			ran: true,
			messages: result.messages,
			applied: result.answers.length,
			review: result.outcomes.filter(outcome => outcome.outcome === 'review').length,
			...(error ? {error} : {}),
		};
	});
}
