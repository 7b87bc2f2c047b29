/**
 * Cancelling a whole event (RFC 5546 §3.2.5): the stored copy gets STATUS:CANCELLED and SEQUENCE+1, and every
 * attendee gets a METHOD:CANCEL. The calendar is written first; how the mail went is recorded on the event as for
 * every flow (lib/invites/run-flow.ts), so a cancellation nobody received shows as not sent.
 */
import {buildCancel, type BuiltCancel} from '../itip/index.ts';
import type {SendInviteResult} from '../messaging.ts';
import type {InviteDeps} from './ports.ts';
import {runOnTracked} from './run-flow.ts';

export async function cancelInvite(uid: string, deps: InviteDeps): Promise<SendInviteResult> {
	const now = deps.now ?? (() => new Date());
	return runOnTracked(deps, uid, (tracked, {caldav}) => {
		let cancel: BuiltCancel | undefined;
		return {
			uid,
			calendar: {
				working: 'Marking the event cancelled…',
				done: 'Cancelled in your calendar',
				async write() {
					const {etag} = await caldav.updateWithRetry(tracked.href, ics => {
						cancel = buildCancel(ics, {now: now()});
						return {ics: cancel.caldav};
					});
					const built = cancel!;
					await deps.events.update(uid, current => current && {...current, etag, sequence: built.sequence, cancelled: true, updatedAt: now().toISOString()});
				},
			},
			mail: () => ({
				mails: [{kind: 'cancellation', method: 'CANCEL', event: tracked.spec, calendar: cancel!.cancel, recipients: cancel!.recipients}],
				working: 'Telling the attendees…',
				done: accepted => `Cancellation sent to ${accepted.length}`,
				record: true,
			}),
		};
	});
}
