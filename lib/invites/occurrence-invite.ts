/**
 * One occurrence of a repeating event: cancel it (EXDATE on the stored copy, a CANCEL with RECURRENCE-ID to the
 * attendees, RFC 5546 §3.2.5) or change it (an override and its own REQUEST, §4.4.3). Calendar first, then mail,
 * as for the whole event.
 */
import {buildCancel, buildOccurrenceUpdate, eventFacts, eventTimes, type BuiltCancel, type BuiltOccurrenceUpdate, type OccurrenceChanges} from '../itip/index.ts';
import type {SendInviteResult} from '../messaging.ts';
import type {TrackedEvent} from '../model.ts';
import {wallClockIn} from '../local-time.ts';
import type {InviteDeps} from './ports.ts';
import {runOnTracked} from './run-flow.ts';
import type {ItipMail} from './send-itip-mail.ts';

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

/** Writes the stored copy through `build`, records it, then mails what `build` made: one flow of the step runner. */
async function writeThenMail(uid: string, deps: InviteDeps, method: 'CANCEL' | 'REQUEST', working: string, build: (ics: string, tracked: TrackedEvent) => Built): Promise<SendInviteResult> {
	const now = deps.now ?? (() => new Date());
	return runOnTracked(deps, uid, (tracked, {caldav}) => {
		let built: Built | undefined;
		return {
			uid,
			calendar: {
				working,
				done: 'Saved to your calendar',
				async write() {
					const {etag} = await caldav.updateWithRetry(tracked.href, ics => {
						built = build(ics, tracked);
						return built.calendar === null ? {unchanged: true} : {ics: built.caldav};
					});
					const done = built!;
					await deps.events.update(uid, current => current && {...current, etag, sequence: Math.max(current.sequence, done.sequence), ...eventFacts(done.caldav, now()), updatedAt: now().toISOString()});
				},
			},
			mail() {
				const done = built!;
				return done.calendar === null ? undefined : {
					mails: [{kind: method === 'CANCEL' ? 'cancellation' : 'update', method, event: done.mail, calendar: done.calendar, recipients: done.recipients}],
					working: 'Telling the attendees…',
					done: accepted => `Sent to ${accepted.length}`,
					record: true,
				};
			},
		};
	});
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
