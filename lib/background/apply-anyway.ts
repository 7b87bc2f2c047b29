/**
 * "Apply anyway" and "dismiss" from the popup, on the extension's own outcomes (lib/reply-loop/apply-anyway.ts
 * decides); a review listed by the always-on agent goes to the agent instead (./agent-requests.ts).
 */
import {ownAddresses} from '../account.ts';
import type {ReplyChange} from '../itip/index.ts';
import {caldavCalendarPort} from '../reply-loop/index.ts';
import {applyAnywayProblem, applyAnywayTo, dismissed} from '../reply-loop/apply-anyway.ts';
import {eventsItem, outcomesItem, withStorageLock} from '../storage.ts';
import {updateEvents} from '../stored-events.ts';
import {requestFromAgent} from './agent-requests.ts';
import type {Context} from './context.ts';

export async function applyAnyway(key: string, context: Context): Promise<{ok: boolean; reason: string; changes: ReplyChange[]}> {
	const sent = await requestFromAgent(context, {action: 'apply', key});
	if (sent) {
		return {ok: true, reason: sent.said, changes: []};
	}

	const [outcomes, events] = await Promise.all([outcomesItem.getValue(), eventsItem.getValue()]);
	const outcome = outcomes.find(candidate => candidate.key === key);
	const tracked = outcome?.eventUid ? events[outcome.eventUid] : undefined;
	const problem = applyAnywayProblem(outcome, tracked);
	if (problem !== undefined || !outcome || !tracked) {
		return {ok: false, reason: problem ?? '', changes: []};
	}

	const applied = await applyAnywayTo(outcome, tracked, caldavCalendarPort(context.caldav, tracked.calendarUrl), ownAddresses(context.account));
	await updateEvents(
		new Map([[tracked.uid, current => ({...current ?? tracked, ...applied.event})]]),
		outcomes => outcomes.map(candidate => candidate.key === key ? applied.resolve(candidate) : candidate),
	);
	return {ok: applied.ok, reason: applied.reason, changes: applied.changes};
}

export async function dismissOutcome(key: string, context?: Context): Promise<void> {
	if (context && await requestFromAgent(context, {action: 'dismiss', key})) {
		return;
	}

	await withStorageLock(async () => {
		const outcomes = await outcomesItem.getValue();
		await outcomesItem.setValue(outcomes.map(outcome => outcome.key === key ? dismissed(outcome) : outcome));
	});
}
