/**
 * Changing an event that was sent (RFC 5546 §2.1.4, §3.2.2): the stored copy first, then an "Updated invitation"
 * REQUEST to the attendees who need one and a CANCEL to those taken off (lib/itip's buildUpdate decides who).
 */
import {buildUpdate, eventFacts, eventTimes, type BuiltUpdate, type EventChanges, type InviteSpec} from '../itip/index.ts';
import type {SendInviteResult} from '../messaging.ts';
import type {InviteDeps} from './ports.ts';
import {runOnTracked} from './run-flow.ts';

/** The spec the user would type now, for the mail's text and for later resends. */
export function specAfter(spec: InviteSpec, changes: EventChanges): InviteSpec {
	const removed = new Set((changes.removeAttendees ?? []).map(address => address.toLowerCase()));
	const next: InviteSpec = {
		...spec,
		...(changes.summary === undefined ? {} : {summary: changes.summary}),
		...(changes.description === undefined ? {} : {description: changes.description}),
		...(changes.location === undefined ? {} : {location: changes.location}),
		...(changes.start === undefined ? {} : {start: changes.start}),
		...(changes.end === undefined ? {} : {end: changes.end}),
		...(changes.timeZone === undefined ? {} : {timeZone: changes.timeZone}),
		...(changes.allDay === undefined ? {} : {allDay: changes.allDay}),
		attendees: [...spec.attendees.filter(attendee => !removed.has(attendee.email.toLowerCase())), ...changes.addAttendees ?? []],
	};
	if (changes.repeat === null) {
		delete next.repeat;
	} else if (changes.repeat !== undefined) {
		next.repeat = changes.repeat;
	}

	return next;
}

export async function updateInvite(uid: string, changes: EventChanges, deps: InviteDeps): Promise<SendInviteResult> {
	const now = deps.now ?? (() => new Date());
	return runOnTracked(deps, uid, (tracked, {caldav}) => {
		let update: BuiltUpdate | undefined;
		const spec = specAfter(tracked.spec, changes);
		return {
			uid,
			calendar: {
				working: 'Saving the change to your calendar…',
				done: 'Saved to your calendar',
				async write() {
					const {etag} = await caldav.updateWithRetry(tracked.href, ics => {
						update = buildUpdate(ics, {...changes, now: now()});
						return {ics: update.caldav};
					});
					const built = update!;
					const times = eventTimes(built.caldav);
					await deps.events.update(uid, current => current && {
						...current, etag, spec, summary: spec.summary, start: times.start, end: times.end, timeZone: spec.timeZone,
						allDay: spec.allDay ?? false, sequence: built.sequence, ...eventFacts(built.caldav, now()), updatedAt: now().toISOString(),
					});
				},
			},
			mail() {
				const built = update!;
				return {
					mails: [
						...built.request ? [{kind: 'update', method: 'REQUEST', event: spec, calendar: built.request, recipients: built.requestRecipients} as const] : [],
						...built.cancel ? [{kind: 'cancellation', method: 'CANCEL', event: tracked.spec, calendar: built.cancel, recipients: built.cancelRecipients} as const] : [],
					],
					working: 'Telling the attendees…',
					done: accepted => `Sent to ${accepted.length}`,
					record: true,
				};
			},
		};
	});
}
