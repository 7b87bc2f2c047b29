/**
 * Sending a new invitation: the CalDAV copy first (so that a reply can always find its event), then the REQUEST
 * mail through the relay, then the record. A failed send leaves the event in the calendar, marked "not sent"
 * with the error, to be re-sent from the popup: nothing the user typed is lost.
 */
import {CaldavConflict, eventHref, withBackoff, type WrittenEvent} from '../caldav/index.ts';
import {uidOf} from '../ical-lines.ts';
import {buildInvite, eventFacts, eventTimes, type InviteSpec} from '../itip/index.ts';
import type {InviteDraft, SendInviteResult, SendStep} from '../messaging.ts';
import type {TrackedEvent} from '../model.ts';
import {toUserFacingError, userError} from '../user-errors.ts';
import type {InviteDeps} from './ports.ts';
import {recordDelivery} from './record-delivery.ts';
import {sendItipMail} from './send-itip-mail.ts';

function plural(count: number, word: string): string {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Tells the composer about a step and keeps it for the result. */
function stepper(deps: Pick<InviteDeps, 'onProgress'>): {steps: SendStep[]; report(step: SendStep): void} {
	const steps: SendStep[] = [];
	return {
		steps,
		report(step) {
			const index = steps.findIndex(existing => existing.step === step.step);
			if (index === -1) {
				steps.push(step);
			} else {
				steps[index] = step;
			}

			deps.onProgress?.(step);
		},
	};
}

/** Mails the REQUEST for a tracked event (its uid and spec) and records how it went. Shared by create and resend. */
export async function mailRequest(deps: InviteDeps, tracked: TrackedEvent, request: string, recipients: readonly string[], progress: ReturnType<typeof stepper>, kind: 'invitation' | 'update' = 'invitation'): Promise<SendInviteResult> {
	const now = deps.now ?? (() => new Date());
	progress.report({step: 'mail', state: 'working', detail: `Sending to ${plural(recipients.length, 'attendee')}…`});
	try {
		const sent = await sendItipMail(deps, {kind, method: 'REQUEST', event: tracked.spec, calendar: request, recipients});
		if (sent.accepted.length === 0) {
			const why = sent.rejected.map(rejected => `${rejected.address}: ${rejected.reason}`).join('; ');
			throw Object.assign(new Error(`Every attendee was refused (${why})`), {rejected: sent.rejected});
		}

		await recordDelivery(deps, tracked.uid, {state: 'sent', at: now().toISOString(), rejected: sent.rejected});
		const refused = sent.rejected.map(rejected => `${rejected.address} was refused: ${rejected.reason}`);
		progress.report({step: 'mail', state: 'done', detail: [`Sent to ${plural(sent.accepted.length, 'attendee')}`, ...refused].join('. ')});
		return {ok: true, uid: tracked.uid, steps: progress.steps, accepted: sent.accepted, rejected: sent.rejected};
	} catch (error) {
		const failure = 'rejected' in (error as object)
			? userError('rejected', (error as Error).message)
			: toUserFacingError(error, {relayUrl: deps.settings.relayUrl});
		await recordDelivery(deps, tracked.uid, {state: 'not-sent', error: failure.message, at: now().toISOString()});
		progress.report({step: 'mail', state: 'failed', detail: failure.message});
		return {ok: false, uid: tracked.uid, steps: progress.steps, error: failure};
	}
}

/**
 * Creates the event, retrying 5xx with backoff. A retry after a PUT whose answer was lost meets our own event
 * (If-None-Match: * fails with 412): that is success, recognised by its UID.
 */
async function createOnce(caldav: InviteDeps['caldav'], calendarUrl: string, uid: string, ics: string): Promise<WrittenEvent> {
	return withBackoff(async attempt => {
		try {
			return await caldav.createEvent(calendarUrl, uid, ics);
		} catch (error) {
			if (attempt > 1 && error instanceof CaldavConflict) {
				const existing = await caldav.readEvent(eventHref(calendarUrl, uid));
				if (uidOf(existing.ics) === uid) {
					return {href: existing.href, etag: existing.etag};
				}
			}

			throw error;
		}
	});
}

export async function createInvite(draft: InviteDraft, deps: InviteDeps): Promise<SendInviteResult> {
	const now = deps.now ?? (() => new Date());
	const progress = stepper(deps);
	const calendarUrl = deps.settings.calendarUrl;
	if (!calendarUrl) {
		return {ok: false, steps: [], error: userError('not-configured', 'No calendar is chosen yet.')};
	}

	let spec: InviteSpec;
	let built: ReturnType<typeof buildInvite>;
	try {
		const organized = {...draft, organizer: {email: deps.account.email, name: deps.account.name}};
		built = buildInvite({...organized, now: now()});
		spec = {...organized, uid: built.uid};
	} catch (error) {
		return {ok: false, steps: [], error: toUserFacingError(error, {relayUrl: deps.settings.relayUrl})};
	}

	progress.report({step: 'calendar', state: 'working', detail: 'Saving to your calendar…'});
	let tracked: TrackedEvent;
	try {
		const written = await createOnce(deps.caldav, calendarUrl, built.uid, built.caldav);
		const etag = written.etag ?? (await deps.caldav.readEvent(written.href)).etag;
		const times = eventTimes(built.caldav);
		tracked = {
			uid: built.uid,
			href: written.href,
			etag,
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
	} catch (error) {
		const failure = toUserFacingError(error, {relayUrl: deps.settings.relayUrl});
		progress.report({step: 'calendar', state: 'failed', detail: failure.message});
		return {ok: false, steps: progress.steps, error: failure};
	}

	progress.report({step: 'calendar', state: 'done', detail: 'Saved to your calendar'});
	return mailRequest(deps, tracked, built.request, built.recipients, progress);
}

export {stepper};
