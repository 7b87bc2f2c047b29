/**
 * "Remove from my calendar" for a cancellation (RFC 5546 §3.2.5), only when lib/itip's `process` accepts the CANCEL
 * as the organizer's: a cancelled event is deleted from the user's calendar; a cancelled occurrence is taken out of
 * the copy (EXDATE, or its override cancelled) and the rest of the series stays.
 */
import {CaldavNotFound, withBackoff} from '../caldav/index.ts';
import {propertyValues} from '../ical-lines.ts';
import {stepper} from '../invites/create-invite.ts';
import type {SendInviteResult} from '../messaging.ts';
import {oneAtATime, prepare, refusal} from './answer.ts';
import {invitationRecord} from './record.ts';
import type {AttendeeDeps, InvitationMessage} from './types.ts';
import {AnswerRefused, processMessage} from './user-copy.ts';

/** What the CANCEL asks of the stored copy: delete it all, write the copy without the occurrence, or nothing. */
function decideRemoval(message: InvitationMessage, stored: string, me: readonly string[]): {kind: 'delete'} | {kind: 'write'; ics: string} | {kind: 'nothing'; reason: string} {
	const result = processMessage(message, stored, me);
	if (result.method !== 'CANCEL') {
		throw new AnswerRefused('not-an-invitation', 'This message does not cancel anything.');
	}

	if (result.outcome === 'review') {
		throw new AnswerRefused('review', result.reason);
	}

	if (result.outcome === 'applied' && result.event) {
		return result.cancelledOccurrences && result.cancelledOccurrences.length > 0 ? {kind: 'write', ics: result.event} : {kind: 'delete'};
	}

	// Cancelled before (by "Remove", or by another app that marks it STATUS:CANCELLED): removing it is what was asked.
	if (result.outcome === 'unchanged' && propertyValues(stored, 'STATUS').some(status => status.toUpperCase() === 'CANCELLED')) {
		return {kind: 'delete'};
	}

	return {kind: 'nothing', reason: result.reason};
}

export async function removeCancelled(message: InvitationMessage, deps: AttendeeDeps): Promise<SendInviteResult> {
	const prepared = await prepare(message, deps);
	if ('code' in prepared) {
		return {ok: false, steps: [], error: prepared};
	}

	const {uid, calendarUrl, me} = prepared;
	return oneAtATime(uid, async () => {
		const progress = stepper(deps);
		const done = (detail: string): SendInviteResult => {
			progress.report({step: 'calendar', state: 'done', detail});
			return {ok: true, uid, steps: progress.steps, accepted: [], rejected: []};
		};

		progress.report({step: 'calendar', state: 'working', detail: 'Removing it from your calendar…'});
		try {
			const previous = await deps.invitations.get(uid);
			const href = previous?.href ?? (await withBackoff(async () => deps.caldav.findEventByUid(calendarUrl, uid)))?.href;
			if (!href) {
				await deps.invitations.remove(uid);
				return done('It is not in your calendar');
			}

			const stored = await withBackoff(async () => deps.caldav.readEvent(href));
			const decision = decideRemoval(message, stored.ics, me);
			if (decision.kind === 'nothing') {
				return done(decision.reason);
			}

			if (decision.kind === 'delete') {
				await withBackoff(async () => deps.caldav.deleteEvent(href, stored.etag));
				await deps.invitations.remove(uid);
				return done('Removed from your calendar');
			}

			const result = await withBackoff(async () => deps.caldav.updateWithRetry(href, ics => {
				const again = decideRemoval(message, ics, me);
				return again.kind === 'write' ? {ics: again.ics} : {unchanged: true};
			}));
			const etag = result.etag ?? (await withBackoff(async () => deps.caldav.readEvent(href))).etag;
			const now = (deps.now ?? (() => new Date()))();
			await deps.invitations.update(uid, current => invitationRecord({uid, href, etag, calendarUrl, ics: result.ics}, me, current, now));
			return done('The cancelled occurrence is out of your calendar');
		} catch (error) {
			if (error instanceof CaldavNotFound) {
				await deps.invitations.remove(uid);
				return done('It is not in your calendar');
			}

			const userError = refusal(error, deps);
			progress.report({step: 'calendar', state: 'failed', detail: userError.message});
			return {ok: false, uid, steps: progress.steps, error: userError};
		}
	});
}
