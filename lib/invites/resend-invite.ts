/**
 * Sending the invitation again to those who have not answered (or to everyone, when it never went out), from
 * the event as it is stored now (read through the same retrying calendar as every flow).
 */
import {attendeeStatuses, requestFromStored} from '../itip/index.ts';
import type {SendInviteResult} from '../messaging.ts';
import {userError} from '../user-errors.ts';
import {requestMail} from './create-invite.ts';
import type {InviteDeps} from './ports.ts';
import {runOnTracked} from './run-flow.ts';

export async function resendInvite(uid: string, deps: InviteDeps): Promise<SendInviteResult> {
	return runOnTracked(deps, uid, async (tracked, {caldav}) => {
		const stored = await caldav.readEvent(tracked.href);
		const statuses = attendeeStatuses(stored.ics);
		const everyone = tracked.delivery.state === 'not-sent';
		const recipients = statuses.filter(status => everyone || status.partstat === 'NEEDS-ACTION').map(status => status.email);
		if (recipients.length === 0) {
			return {refused: userError('nobody'), uid};
		}

		await deps.events.update(uid, current => current && {...current, etag: stored.etag, attendees: statuses});
		return {uid, mail: () => requestMail(tracked, requestFromStored(stored.ics), recipients)};
	});
}
