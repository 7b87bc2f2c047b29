/**
 * Changing an event that was sent (RFC 5546 §2.1.4, §3.2.2): the stored copy first, then an "Updated invitation"
 * REQUEST to the attendees who need one and a CANCEL to those taken off (lib/itip's buildUpdate decides who).
 */
import {withBackoff} from '../caldav/index.ts';
import {buildUpdate, eventFacts, eventTimes, type BuiltUpdate, type EventChanges, type InviteSpec} from '../itip/index.ts';
import type {SendInviteResult} from '../messaging.ts';
import {toUserFacingError, userError} from '../user-errors.ts';
import {stepper} from './create-invite.ts';
import type {InviteDeps} from './ports.ts';
import {recordDelivery} from './record-delivery.ts';
import {sendItipMail} from './send-itip-mail.ts';

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
	const progress = stepper(deps);
	const tracked = await deps.events.get(uid);
	if (!tracked) {
		return {ok: false, steps: [], error: userError('unknown-event')};
	}

	progress.report({step: 'calendar', state: 'working', detail: 'Saving the change to your calendar…'});
	let update: BuiltUpdate | undefined;
	let etag: string;
	try {
		const result = await withBackoff(async () => deps.caldav.updateWithRetry(tracked.href, ics => {
			update = buildUpdate(ics, {...changes, now: now()});
			return {ics: update.caldav};
		}));
		etag = result.etag ?? (await deps.caldav.readEvent(tracked.href)).etag;
	} catch (error) {
		const failure = toUserFacingError(error, {relayUrl: deps.settings.relayUrl});
		progress.report({step: 'calendar', state: 'failed', detail: failure.message});
		return {ok: false, uid, steps: progress.steps, error: failure};
	}

	const built = update!;
	const spec = specAfter(tracked.spec, changes);
	const times = eventTimes(built.caldav);
	await deps.events.update(uid, current => current && {
		...current, etag, spec, summary: spec.summary, start: times.start, end: times.end, timeZone: spec.timeZone,
		allDay: spec.allDay ?? false, sequence: built.sequence, ...eventFacts(built.caldav, now()), updatedAt: now().toISOString(),
	});
	progress.report({step: 'calendar', state: 'done', detail: 'Saved to your calendar'});
	progress.report({step: 'mail', state: 'working', detail: 'Telling the attendees…'});
	try {
		const accepted: string[] = [];
		const rejected: Array<{address: string; reason: string}> = [];
		if (built.request && built.requestRecipients.length > 0) {
			const sent = await sendItipMail(deps, {kind: 'update', method: 'REQUEST', event: spec, calendar: built.request, recipients: built.requestRecipients});
			accepted.push(...sent.accepted);
			rejected.push(...sent.rejected);
		}

		if (built.cancel && built.cancelRecipients.length > 0) {
			const sent = await sendItipMail(deps, {kind: 'cancellation', method: 'CANCEL', event: tracked.spec, calendar: built.cancel, recipients: built.cancelRecipients});
			accepted.push(...sent.accepted);
			rejected.push(...sent.rejected);
		}

		await recordDelivery(deps, uid, {state: 'sent', at: now().toISOString(), rejected});
		progress.report({step: 'mail', state: 'done', detail: `Sent to ${accepted.length}`});
		return {ok: true, uid, steps: progress.steps, accepted, rejected};
	} catch (error) {
		const failure = toUserFacingError(error, {relayUrl: deps.settings.relayUrl});
		await recordDelivery(deps, uid, {state: 'not-sent', error: failure.message, at: now().toISOString()});
		progress.report({step: 'mail', state: 'failed', detail: failure.message});
		return {ok: false, uid, steps: progress.steps, error: failure};
	}
}
