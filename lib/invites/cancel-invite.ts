/**
 * Cancelling a whole event (RFC 5546 §3.2.5): the stored copy gets STATUS:CANCELLED and SEQUENCE+1, and every
 * attendee gets a METHOD:CANCEL. The calendar is written first, so that a failed mail can be sent again.
 */
import {withBackoff} from '../caldav/index.ts';
import {buildCancel, type BuiltCancel} from '../itip/index.ts';
import type {SendInviteResult} from '../messaging.ts';
import {toUserFacingError, userError} from '../user-errors.ts';
import {stepper} from './create-invite.ts';
import type {InviteDeps} from './ports.ts';
import {sendItipMail} from './send-itip-mail.ts';

export async function cancelInvite(uid: string, deps: InviteDeps): Promise<SendInviteResult> {
	const now = deps.now ?? (() => new Date());
	const progress = stepper(deps);
	const tracked = await deps.events.get(uid);
	if (!tracked) {
		return {ok: false, steps: [], error: userError('unknown-event')};
	}

	progress.report({step: 'calendar', state: 'working', detail: 'Marking the event cancelled…'});
	let cancel: BuiltCancel | undefined;
	let etag: string;
	try {
		const result = await withBackoff(async () => deps.caldav.updateWithRetry(tracked.href, ics => {
			cancel = buildCancel(ics, {now: now()});
			return {ics: cancel.caldav};
		}));
		etag = result.etag ?? (await deps.caldav.readEvent(tracked.href)).etag;
	} catch (error) {
		const failure = toUserFacingError(error, {relayUrl: deps.settings.relayUrl});
		progress.report({step: 'calendar', state: 'failed', detail: failure.message});
		return {ok: false, uid, steps: progress.steps, error: failure};
	}

	const built = cancel!;
	await deps.events.update(uid, current => current && {...current, etag, sequence: built.sequence, cancelled: true, updatedAt: now().toISOString()});
	progress.report({step: 'calendar', state: 'done', detail: 'Cancelled in your calendar'});
	progress.report({step: 'mail', state: 'working', detail: 'Telling the attendees…'});
	try {
		const sent = await sendItipMail(deps, {kind: 'cancellation', method: 'CANCEL', event: tracked.spec, calendar: built.cancel, recipients: built.recipients});
		progress.report({step: 'mail', state: 'done', detail: `Cancellation sent to ${sent.accepted.length}`});
		return {ok: true, uid, steps: progress.steps, accepted: sent.accepted, rejected: sent.rejected};
	} catch (error) {
		const failure = toUserFacingError(error, {relayUrl: deps.settings.relayUrl});
		progress.report({step: 'mail', state: 'failed', detail: failure.message});
		return {ok: false, uid, steps: progress.steps, error: failure};
	}
}
