/**
 * One occurrence of a repeating event: cancel it (EXDATE on the stored copy, a CANCEL with RECURRENCE-ID to the
 * attendees, RFC 5546 §3.2.5) or change it (an override and its own REQUEST, §4.4.3). Calendar first, then mail,
 * as for the whole event.
 */
import {withBackoff} from '../caldav/index.ts';
import {buildCancel, buildOccurrenceUpdate, eventFacts, eventTimes, type BuiltCancel, type BuiltOccurrenceUpdate, type OccurrenceChanges} from '../itip/index.ts';
import type {SendInviteResult} from '../messaging.ts';
import type {TrackedEvent} from '../model.ts';
import {toUserFacingError, userError} from '../user-errors.ts';
import {wallClockIn} from '../local-time.ts';
import {stepper} from './create-invite.ts';
import type {InviteDeps} from './ports.ts';
import {recordDelivery} from './record-delivery.ts';
import {sendItipMail, type ItipMail} from './send-itip-mail.ts';

/** `YYYY-MM-DDTHH:mm` of a UTC ISO instant in `timeZone`; a date stays a date. */
export function wallTimeOf(iso: string, timeZone: string): string {
	if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
		return iso;
	}

	const local = wallClockIn(new Date(iso), timeZone);
	return `${local.date}T${local.time}`;
}

/** The occurrence as the mail describes it: its own start and end, no repeat. */
function occurrenceMailEvent(tracked: TrackedEvent, start: string, end: string): ItipMail['event'] {
	const {repeat: _repeat, ...spec} = tracked.spec;
	return {...spec, start, end};
}

type Built = {caldav: string; calendar: string | null; recipients: string[]; sequence: number; mail: ItipMail['event']};

/** Writes the stored copy through `build`, records it, then mails what `build` made. */
async function writeThenMail(uid: string, deps: InviteDeps, method: 'CANCEL' | 'REQUEST', working: string, build: (ics: string, tracked: TrackedEvent) => Built): Promise<SendInviteResult> {
	const now = deps.now ?? (() => new Date());
	const progress = stepper(deps);
	const tracked = await deps.events.get(uid);
	if (!tracked) {
		return {ok: false, steps: [], error: userError('unknown-event')};
	}

	progress.report({step: 'calendar', state: 'working', detail: working});
	let built: Built | undefined;
	let etag: string;
	try {
		const result = await withBackoff(async () => deps.caldav.updateWithRetry(tracked.href, ics => {
			built = build(ics, tracked);
			return built.calendar === null ? {unchanged: true} : {ics: built.caldav};
		}));
		etag = result.etag ?? (await deps.caldav.readEvent(tracked.href)).etag;
	} catch (error) {
		const failure = toUserFacingError(error, {relayUrl: deps.settings.relayUrl});
		progress.report({step: 'calendar', state: 'failed', detail: failure.message});
		return {ok: false, uid, steps: progress.steps, error: failure};
	}

	const done = built!;
	await deps.events.update(uid, current => current && {...current, etag, sequence: Math.max(current.sequence, done.sequence), ...eventFacts(done.caldav, now()), updatedAt: now().toISOString()});
	progress.report({step: 'calendar', state: 'done', detail: 'Saved to your calendar'});
	if (done.calendar === null || done.recipients.length === 0) {
		return {ok: true, uid, steps: progress.steps, accepted: [], rejected: []};
	}

	progress.report({step: 'mail', state: 'working', detail: 'Telling the attendees…'});
	try {
		const sent = await sendItipMail(deps, {kind: method === 'CANCEL' ? 'cancellation' : 'update', method, event: done.mail, calendar: done.calendar, recipients: done.recipients});
		await recordDelivery(deps, uid, {state: 'sent', at: now().toISOString(), rejected: sent.rejected});
		progress.report({step: 'mail', state: 'done', detail: `Sent to ${sent.accepted.length}`});
		return {ok: true, uid, steps: progress.steps, accepted: sent.accepted, rejected: sent.rejected};
	} catch (error) {
		const failure = toUserFacingError(error, {relayUrl: deps.settings.relayUrl});
		await recordDelivery(deps, uid, {state: 'not-sent', error: failure.message, at: now().toISOString()});
		progress.report({step: 'mail', state: 'failed', detail: failure.message});
		return {ok: false, uid, steps: progress.steps, error: failure};
	}
}

/** Cancels one occurrence, named by its original start (`YYYY-MM-DDTHH:mm` in the event's zone, a date, or UTC `…Z`). */
export async function cancelOccurrence(uid: string, recurrenceId: string, deps: InviteDeps): Promise<SendInviteResult> {
	const now = deps.now ?? (() => new Date());
	return writeThenMail(uid, deps, 'CANCEL', 'Taking the occurrence off your calendar…', (ics, tracked) => {
		const cancel: BuiltCancel = buildCancel(ics, {recurrenceId, now: now()});
		const {start, end} = occurrenceTimes(cancel.cancel, tracked.spec.timeZone);
		return {caldav: cancel.caldav, calendar: cancel.cancel, recipients: cancel.recipients, sequence: cancel.sequence, mail: occurrenceMailEvent(tracked, start, end)};
	});
}

/** Changes one occurrence (time, place, title); its attendees get a REQUEST for it alone. */
export async function updateOccurrence(uid: string, changes: OccurrenceChanges, deps: InviteDeps): Promise<SendInviteResult> {
	const now = deps.now ?? (() => new Date());
	return writeThenMail(uid, deps, 'REQUEST', 'Saving the change to your calendar…', (ics, tracked) => {
		const update: BuiltOccurrenceUpdate = buildOccurrenceUpdate(ics, {...changes, now: now()});
		const {start, end} = update.request === null ? {start: tracked.spec.start, end: tracked.spec.end} : occurrenceTimes(update.request, tracked.spec.timeZone);
		const mail = {...occurrenceMailEvent(tracked, start, end), ...(changes.summary ? {summary: changes.summary} : {}), ...(changes.location === undefined ? {} : {location: changes.location})};
		return {caldav: update.caldav, calendar: update.request, recipients: update.recipients, sequence: update.sequence, mail};
	});
}

/** Start and end of the one VEVENT of an iTIP message, as wall-clock times in `timeZone`, for the mail's text. */
function occurrenceTimes(itip: string, timeZone: string): {start: string; end: string} {
	const {start, end} = eventTimes(itip, 'first');
	return {start: wallTimeOf(start, timeZone), end: wallTimeOf(end, timeZone)};
}
