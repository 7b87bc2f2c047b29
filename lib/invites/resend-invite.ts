/**
 * Sending the invitation again to those who have not answered (or to everyone, when it never went out), from
 * the event as it is stored now.
 */
import type {SendInviteResult} from '../messaging.ts';
import {attendeeStatuses, requestFromStored} from '../itip/index.ts';
import {toUserFacingError, userError} from '../user-errors.ts';
import {mailRequest, stepper} from './create-invite.ts';
import type {InviteDeps} from './ports.ts';

export async function resendInvite(uid: string, deps: InviteDeps): Promise<SendInviteResult> {
	const progress = stepper(deps);
	const tracked = await deps.events.get(uid);
	if (!tracked) {
		return {ok: false, steps: [], error: userError('unknown-event')};
	}

	let stored: {ics: string; etag: string};
	try {
		stored = await deps.caldav.readEvent(tracked.href);
	} catch (error) {
		return {ok: false, uid, steps: [], error: toUserFacingError(error, {relayUrl: deps.settings.relayUrl})};
	}

	const statuses = attendeeStatuses(stored.ics);
	const everyone = tracked.delivery.state === 'not-sent';
	const recipients = statuses.filter(status => everyone || status.partstat === 'NEEDS-ACTION').map(status => status.email);
	if (recipients.length === 0) {
		return {ok: false, uid, steps: [], error: userError('nobody')};
	}

	await deps.events.update(uid, current => current && {...current, etag: stored.etag, attendees: statuses});
	return mailRequest(deps, tracked, requestFromStored(stored.ics), recipients, progress);
}
