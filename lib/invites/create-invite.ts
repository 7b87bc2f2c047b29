/**
 * Sending a new invitation: the CalDAV copy first (so that a reply can always find its event), then the REQUEST
 * mail through the relay, then the record. A failed send leaves the event in the calendar, marked "not sent"
 * with the error, to be re-sent from the popup: nothing the user typed is lost.
 */
import {buildInvite, eventFacts, eventTimes, type InviteSpec} from '../itip/index.ts';
import type {InviteDraft, SendInviteResult} from '../messaging.ts';
import type {TrackedEvent} from '../model.ts';
import {userError} from '../user-errors.ts';
import type {InviteDeps} from './ports.ts';
import {plural, runFlow, stepper, type MailPlan} from './run-flow.ts';

/** The mail step of a REQUEST to `recipients` for a tracked event. Shared by create and resend. */
export function requestMail(tracked: Pick<TrackedEvent, 'spec'>, request: string, recipients: readonly string[]): MailPlan {
	return {
		mails: [{kind: 'invitation', method: 'REQUEST', event: tracked.spec, calendar: request, recipients}],
		working: `Sending to ${plural(recipients.length, 'attendee')}…`,
		done: accepted => `Sent to ${plural(accepted.length, 'attendee')}`,
		record: true,
	};
}

export async function createInvite(draft: InviteDraft, deps: InviteDeps): Promise<SendInviteResult> {
	const now = deps.now ?? (() => new Date());
	return runFlow(deps, async ({caldav}) => {
		const calendarUrl = deps.settings.calendarUrl;
		if (!calendarUrl) {
			return {refused: userError('not-configured', 'No calendar is chosen yet.')};
		}

		const organized = {...draft, organizer: {email: deps.account.email, name: deps.account.name}};
		const built = buildInvite({...organized, now: now()});
		const spec: InviteSpec = {...organized, uid: built.uid};
		return {
			uid: built.uid,
			calendar: {
				working: 'Saving to your calendar…',
				done: 'Saved to your calendar',
				async write() {
					const written = await caldav.createEvent(calendarUrl, built.uid, built.caldav);
					const times = eventTimes(built.caldav);
					const tracked: TrackedEvent = {
						uid: built.uid,
						href: written.href,
						etag: written.etag,
						calendarUrl,
						summary: spec.summary,
						start: times.start,
						end: times.end,
						timeZone: spec.timeZone,
						allDay: spec.allDay ?? false,
						sequence: 0,
						...eventFacts(built.caldav, now()),
						delivery: {state: 'not-sent', error: 'Not sent yet.', at: now().toISOString()},
						cancelled: false,
						spec,
						createdAt: now().toISOString(),
						updatedAt: now().toISOString(),
					};
					await deps.events.update(tracked.uid, () => tracked);
				},
			},
			mail: () => requestMail({spec}, built.request, built.recipients),
		};
	});
}

/** Kept here for lib/attendee's answer and remove flows, which take the same progress steps. */
export {stepper};
