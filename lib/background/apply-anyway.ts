/**
 * "Apply anyway" from the popup: the user looked at a reply that went to review and vouches for it. It is applied as
 * lib/itip would, with exactly the check named on the review (`outcome.check`) overridden and every other check
 * still run; a reply that then stops at another check stays in review with that reason. A review without a check
 * (the server refused or lost the event) is simply tried again.
 */
import {ownAddresses} from '../account.ts';
import {applyReply, eventFacts, type ApplyReplyResult, type ReplyChange, type ReplyContext} from '../itip/index.ts';
import type {MessageOutcome} from '../model.ts';
import {caldavCalendarPort} from '../reply-loop/index.ts';
import {eventsItem, outcomesItem, withStorageLock} from '../storage.ts';
import {updateEvents} from '../stored-events.ts';
import type {Context} from './context.ts';

export async function applyAnyway(key: string, context: Context): Promise<{ok: boolean; reason: string; changes: ReplyChange[]}> {
	const [outcomes, events] = await Promise.all([outcomesItem.getValue(), eventsItem.getValue()]);
	const outcome = outcomes.find(candidate => candidate.key === key);
	if (!outcome?.calendar || !outcome.eventUid) {
		return {ok: false, reason: 'This reply has nothing that could be applied.', changes: []};
	}

	const tracked = events[outcome.eventUid];
	if (!tracked) {
		return {ok: false, reason: 'This reply is about an event you did not send with Purelymail Invites.', changes: []};
	}

	let result: ApplyReplyResult | undefined;
	const replyContext = applyAnywayContext(outcome, ownAddresses(context.account));
	const written = await caldavCalendarPort(context.caldav, tracked.calendarUrl).update(tracked.href, ics => {
		result = applyReply(ics, outcome.calendar!, replyContext);
		return result.outcome === 'applied' ? {ics: result.event} : {unchanged: true};
	});
	const decision = result!;
	const applied = decision.outcome === 'applied' || decision.outcome === 'unchanged';
	const reason = applied ? `Applied by you. ${decision.reason}` : decision.reason;
	await updateEvents(
		new Map([[tracked.uid, current => ({...current ?? tracked, etag: written.etag, ...eventFacts(written.ics), updatedAt: new Date().toISOString()})]]),
		outcomes => outcomes.map(candidate => candidate.key === key
			? {...candidate, outcome: applied ? 'applied' : candidate.outcome, reason, changes: decision.changes, dismissed: applied, ...(decision.check ? {check: decision.check} : {})}
			: candidate),
	);
	return {ok: applied, reason: decision.reason, changes: decision.changes};
}

/** The reply's context as it arrived, with the one check the user looked at overridden. */
export function applyAnywayContext(outcome: MessageOutcome, me: readonly string[]): ReplyContext {
	if (!outcome.origin) {
		// Kept before checks were named: the old behaviour, both checks waived.
		return {me, trustSender: true, allowUninvited: true};
	}

	return {...outcome.origin, me, ...(outcome.check ? {overrides: [outcome.check]} : {})};
}

export async function dismissOutcome(key: string): Promise<void> {
	await withStorageLock(async () => {
		const outcomes = await outcomesItem.getValue();
		await outcomesItem.setValue(outcomes.map(outcome => outcome.key === key ? {...outcome, dismissed: true} : outcome));
	});
}
