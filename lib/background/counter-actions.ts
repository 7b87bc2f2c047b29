/**
 * "Accept proposal" / "Decline proposal" from the popup, for a COUNTER the reply loop set aside for review
 * (RFC 5546 §3.2.7): lib/invites answers it and says how the review item closes; a proposal the always-on agent
 * listed goes to the agent instead (./agent-requests.ts).
 */
import {answerCounterReview, createStorageEvents} from '../invites/index.ts';
import type {SendInviteResult} from '../messaging.ts';
import {outcomesItem, withStorageLock} from '../storage.ts';
import {requestFromAgent} from './agent-requests.ts';
import type {Context} from './context.ts';

export async function answerCounter(key: string, answer: 'accept' | 'decline', context: Context): Promise<SendInviteResult> {
	const sent = await requestFromAgent(context, {action: answer === 'accept' ? 'accept-counter' : 'decline-counter', key});
	if (sent) {
		return {ok: true, uid: sent.eventUid ?? '', steps: [], accepted: [], rejected: [], handedOver: sent.said};
	}

	const outcome = (await outcomesItem.getValue()).find(candidate => candidate.key === key);
	const {result, resolved} = await answerCounterReview(outcome, answer, {...context, events: createStorageEvents()});
	if (resolved) {
		await withStorageLock(async () => {
			const outcomes = await outcomesItem.getValue();
			await outcomesItem.setValue(outcomes.map(candidate => candidate.key === key ? resolved : candidate));
		});
	}

	return result;
}
