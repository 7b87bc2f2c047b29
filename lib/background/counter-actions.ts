/**
 * "Accept proposal" / "Decline proposal" from the popup, for a COUNTER the reply loop set aside for review
 * (RFC 5546 §3.2.7): the proposal is read again from the stored COUNTER, answered through lib/invites, and the
 * review item is closed with what was done.
 */
import {acceptCounter, createStorageEvents, declineCounter} from '../invites/index.ts';
import type {SendInviteResult} from '../messaging.ts';
import {outcomesItem, withStorageLock} from '../storage.ts';
import {userError} from '../user-errors.ts';
import type {Context} from './context.ts';
import {proposalOf} from './proposal.ts';

export async function answerCounter(key: string, answer: 'accept' | 'decline', context: Context): Promise<SendInviteResult> {
	const outcome = (await outcomesItem.getValue()).find(candidate => candidate.key === key);
	const proposal = outcome ? proposalOf(outcome) : undefined;
	if (!outcome?.eventUid || !outcome.calendar || !proposal) {
		return {ok: false, steps: [], error: userError('invalid', 'This is not a proposal that can be answered.')};
	}

	const deps = {...context, events: createStorageEvents()};
	const result = answer === 'accept'
		? await acceptCounter(outcome.eventUid, proposal, deps)
		: await declineCounter(outcome.eventUid, outcome.calendar, proposal.attendee, deps);
	if (result.ok) {
		const reason = answer === 'accept'
			? `You accepted ${proposal.attendee}'s proposal; everyone got the new time.`
			: `You declined ${proposal.attendee}'s proposal; they were told.`;
		await withStorageLock(async () => {
			const outcomes = await outcomesItem.getValue();
			await outcomesItem.setValue(outcomes.map(candidate => candidate.key === key ? {...candidate, outcome: answer === 'accept' ? 'applied' : 'unchanged', reason, dismissed: true} : candidate));
		});
	}

	return result;
}
