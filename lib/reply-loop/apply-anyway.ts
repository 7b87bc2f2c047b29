/**
 * "Apply anyway" and "dismiss" on a reply that went to review, for whoever keeps the outcome: the extension's
 * storage (lib/background/apply-anyway.ts) or the agent's database (lib/agent/requests.ts). The user looked at the
 * reply and vouches for it: it is applied as lib/itip would, with exactly the check named on the review
 * (`outcome.check`) overridden and every other check still run; a reply that then stops at another check stays in
 * review with that reason. A review without a check (the server refused or lost the event) is simply tried again.
 */
import {applyReply, eventFacts, type ApplyReplyResult, type ReplyChange, type ReplyContext} from '../itip/index.ts';
import type {MessageOutcome, TrackedEvent} from '../model.ts';
import type {CalendarPort} from './ports.ts';

export type AppliedAnyway = {
	ok: boolean;
	reason: string;
	changes: ReplyChange[];
	/** The tracked event's new state (ETag and facts), to store with `resolve`'s outcome. */
	event: Pick<TrackedEvent, 'etag' | 'updatedAt'> & ReturnType<typeof eventFacts>;
	/** The stored outcome after it: applied (and put away) or still in review with the new reason. */
	resolve(outcome: MessageOutcome): MessageOutcome;
};

/** Why there is nothing to apply, or undefined when `outcome` can be applied to `tracked`. */
export function applyAnywayProblem(outcome: MessageOutcome | undefined, tracked: TrackedEvent | undefined): string | undefined {
	if (!outcome?.calendar || !outcome.eventUid) {
		return 'This reply has nothing that could be applied.';
	}

	return tracked ? undefined : 'This reply is about an event you did not send with Purelymail Invites.';
}

/** Applies the kept reply of `outcome` (see applyAnywayProblem first) to `tracked` through `calendar`. */
export async function applyAnywayTo(outcome: MessageOutcome, tracked: TrackedEvent, calendar: CalendarPort, me: readonly string[], now = new Date()): Promise<AppliedAnyway> {
	let result: ApplyReplyResult | undefined;
	const replyContext = applyAnywayContext(outcome, me);
	const written = await calendar.update(tracked.href, ics => {
		result = applyReply(ics, outcome.calendar!, replyContext);
		return result.outcome === 'applied' ? {ics: result.event} : {unchanged: true};
	});
	const decision = result!;
	const applied = decision.outcome === 'applied' || decision.outcome === 'unchanged';
	const reason = applied ? `Applied by you. ${decision.reason}` : decision.reason;
	return {
		ok: applied,
		reason: decision.reason,
		changes: decision.changes,
		event: {etag: written.etag, ...eventFacts(written.ics), updatedAt: now.toISOString()},
		resolve: candidate => ({...candidate, outcome: applied ? 'applied' : candidate.outcome, reason, changes: decision.changes, dismissed: applied, ...(decision.check ? {check: decision.check} : {})}),
	};
}

/** The reply's context as it arrived, with the one check the user looked at overridden. */
export function applyAnywayContext(outcome: MessageOutcome, me: readonly string[]): ReplyContext {
	if (!outcome.origin) {
		// Kept before checks were named: the old behaviour, both checks waived.
		return {me, trustSender: true, allowUninvited: true};
	}

	return {...outcome.origin, me, ...(outcome.check ? {overrides: [outcome.check]} : {})};
}

/** The outcome put away by the user ("dismiss"). */
export function dismissed(outcome: MessageOutcome): MessageOutcome {
	return {...outcome, dismissed: true};
}
