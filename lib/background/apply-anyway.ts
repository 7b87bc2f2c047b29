/**
 * "Apply anyway" from the popup: the user looked at a reply that went to review (a different sender, someone not
 * invited) and vouches for it. It is applied as lib/itip would, with the sender and invitation checks waived.
 */
import {storage} from '#imports';
import {ownAddresses} from '../account.ts';
import {applyReply, type ApplyReplyResult, type ReplyChange} from '../itip/index.ts';
import {caldavCalendarPort} from '../reply-loop/index.ts';
import {eventFacts} from '../reply-loop/event-facts.ts';
import {eventsItem, outcomesItem, withStorageLock} from '../storage.ts';
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
	const written = await caldavCalendarPort(context.caldav, tracked.calendarUrl).update(tracked.href, ics => {
		result = applyReply(ics, outcome.calendar!, {me: ownAddresses(context.account), trustSender: true, allowUninvited: true});
		return result.outcome === 'applied' ? {ics: result.event} : {unchanged: true};
	});
	const decision = result!;
	const applied = decision.outcome === 'applied' || decision.outcome === 'unchanged';
	await withStorageLock(async () => {
		// Read again under the lock: the reply loop may have stored other changes meanwhile.
		const [latestEvents, latestOutcomes] = await Promise.all([eventsItem.getValue(), outcomesItem.getValue()]);
		const latest = latestEvents[tracked.uid] ?? tracked;
		await storage.setItems([
			{item: eventsItem, value: {...latestEvents, [tracked.uid]: {...latest, etag: written.etag, ...eventFacts(written.ics), updatedAt: new Date().toISOString()}}},
			{item: outcomesItem, value: latestOutcomes.map(candidate => candidate.key === key
				? {...candidate, outcome: applied ? 'applied' : candidate.outcome, reason: `Applied by you. ${decision.reason}`, changes: decision.changes, dismissed: applied}
				: candidate)},
		]);
	});
	return {ok: applied, reason: decision.reason, changes: decision.changes};
}

export async function dismissOutcome(key: string): Promise<void> {
	await withStorageLock(async () => {
		const outcomes = await outcomesItem.getValue();
		await outcomesItem.setValue(outcomes.map(outcome => outcome.key === key ? {...outcome, dismissed: true} : outcome));
	});
}
