/**
 * Answering an attendee's COUNTER (RFC 5546 §3.2.7): accepting makes the proposal the event's (an update to
 * everyone, as any change of time); declining sends DECLINECOUNTER (§3.2.8) to the proposer alone.
 */
import {buildDeclineCounter, readCounterProposal, type CounterProposal} from '../itip/index.ts';
import type {SendInviteResult} from '../messaging.ts';
import type {MessageOutcome, TrackedEvent} from '../model.ts';
import {userError} from '../user-errors.ts';
import {updateOccurrence, wallTimeOf} from './occurrence-invite.ts';
import type {InviteDeps} from './ports.ts';
import {runOnTracked} from './run-flow.ts';
import {updateInvite} from './update-invite.ts';

/** A proposed end, or the start plus the event's own length when the COUNTER proposes only a start. */
function proposedEnd(proposal: CounterProposal & {start: string}, tracked: TrackedEvent): string {
	if (proposal.end) {
		return proposal.end;
	}

	if (/^\d{4}-\d{2}-\d{2}$/.test(proposal.start)) {
		const days = Math.max(1, Math.round((Date.parse(tracked.end) - Date.parse(tracked.start)) / 86_400_000));
		return new Date(Date.parse(`${proposal.start}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
	}

	return new Date(Date.parse(proposal.start) + Math.max(0, Date.parse(tracked.end) - Date.parse(tracked.start))).toISOString();
}

export async function acceptCounter(uid: string, proposal: CounterProposal, deps: InviteDeps): Promise<SendInviteResult> {
	const tracked = await deps.events.get(uid);
	if (!tracked) {
		return {ok: false, steps: [], error: userError('unknown-event')};
	}

	if (!proposal.start) {
		return {ok: false, uid, steps: [], error: userError('invalid', 'The proposal names no new time, so there is nothing to accept here.')};
	}

	const zone = tracked.spec.timeZone;
	const start = wallTimeOf(proposal.start, zone);
	const end = wallTimeOf(proposedEnd({...proposal, start: proposal.start}, tracked), zone);
	return proposal.recurrenceId
		? updateOccurrence(uid, {recurrenceId: proposal.recurrenceId, start, end}, deps)
		: updateInvite(uid, {start, end}, deps);
}

export async function declineCounter(uid: string, counter: string, proposer: string, deps: InviteDeps, comment?: string): Promise<SendInviteResult> {
	const now = deps.now ?? (() => new Date());
	return runOnTracked(deps, uid, async (tracked, {caldav}) => {
		const stored = await caldav.readEvent(tracked.href);
		const built = buildDeclineCounter(stored.ics, counter, {proposer, ...(comment ? {comment} : {}), now: now()});
		return {
			uid,
			mail: () => ({
				mails: [{kind: 'counter-declined', method: 'DECLINECOUNTER', event: tracked.spec, calendar: built.declineCounter, recipients: built.recipients}],
				working: `Telling ${proposer}…`,
				done: () => `Sent to ${proposer}`,
				// To the proposer alone: says nothing about whether the invitation reached its attendees.
				record: false,
			}),
		};
	});
}

/** The proposal of a review item, when it is a readable COUNTER (RFC 5546 §3.2.7) about one of our events. */
export function proposalOf(outcome: MessageOutcome): CounterProposal | undefined {
	if (!outcome.calendar || !outcome.eventUid) {
		return undefined;
	}

	return readCounterProposal(outcome.calendar, outcome.from ? [outcome.from] : []);
}

/**
 * "Accept proposal" / "Decline proposal" on a COUNTER the reply loop set aside for review: the proposal read again
 * from the kept COUNTER, answered as above, and (when that went through) the review item closed with what was done.
 * The one rule for the extension's popup (lib/background counter-actions.ts) and the agent (lib/agent requests.ts);
 * each stores `resolved` its own way.
 */
export async function answerCounterReview(outcome: MessageOutcome | undefined, answer: 'accept' | 'decline', deps: InviteDeps): Promise<{result: SendInviteResult; resolved?: MessageOutcome}> {
	const proposal = outcome ? proposalOf(outcome) : undefined;
	if (!outcome?.eventUid || !outcome.calendar || !proposal) {
		return {result: {ok: false, steps: [], error: userError('invalid', 'This is not a proposal that can be answered.')}};
	}

	const result = answer === 'accept'
		? await acceptCounter(outcome.eventUid, proposal, deps)
		: await declineCounter(outcome.eventUid, outcome.calendar, proposal.attendee, deps);
	if (!result.ok) {
		return {result};
	}

	const reason = answer === 'accept'
		? `You accepted ${proposal.attendee}'s proposal; everyone got the new time.`
		: `You declined ${proposal.attendee}'s proposal; they were told.`;
	return {result, resolved: {...outcome, outcome: answer === 'accept' ? 'applied' : 'unchanged', reason, dismissed: true}};
}
