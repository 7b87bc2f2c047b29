/**
 * The popup's buttons under "Sam answered by e-mail: …": record the answer on the CalDAV event (no mail is sent), or
 * put the mail away.
 */
import {ownAddresses} from '../account.ts';
import {eventFacts, type Answer, type ReplyChange} from '../itip/index.ts';
import {recordPlainAnswer} from '../plain-answers/record.ts';
import {caldavCalendarPort} from '../reply-loop/index.ts';
import {eventsItem, plainAnswersItem, withStorageLock} from '../storage.ts';
import {storedEvents} from '../stored-events.ts';
import type {Context} from './context.ts';

export async function recordPlainAnswerAction(key: string, partstat: Answer, context: Context): Promise<{ok: boolean; reason: string; changes: ReplyChange[]}> {
	const [answers, events] = await Promise.all([plainAnswersItem.getValue(), eventsItem.getValue()]);
	const answer = answers.find(candidate => candidate.key === key);
	const tracked = answer ? events[answer.eventUid] : undefined;
	if (!answer || !tracked) {
		return {ok: false, reason: 'This answer is no longer about an event you sent with Purelymail Invites.', changes: []};
	}

	const recorded = await recordPlainAnswer(caldavCalendarPort(context.caldav, tracked.calendarUrl), tracked.href, answer, partstat, ownAddresses(context.account));
	const ok = recorded.result.outcome === 'applied' || recorded.result.outcome === 'unchanged';
	const at = new Date().toISOString();
	await storedEvents.update(tracked.uid, current => ({...current ?? tracked, etag: recorded.etag, ...eventFacts(recorded.ics), updatedAt: at}));
	if (ok) {
		await withStorageLock(async () => {
			const latest = await plainAnswersItem.getValue();
			await plainAnswersItem.setValue(latest.map(candidate => candidate.key === key ? {...candidate, recorded: {partstat, at}} : candidate));
		});
	}

	return {ok, reason: recorded.result.reason, changes: recorded.result.changes};
}

export async function dismissPlainAnswer(key: string): Promise<void> {
	await withStorageLock(async () => {
		const answers = await plainAnswersItem.getValue();
		await plainAnswersItem.setValue(answers.map(answer => answer.key === key ? {...answer, dismissed: true} : answer));
	});
}
