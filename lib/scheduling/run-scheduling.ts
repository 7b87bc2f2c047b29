/**
 * One tick of calendar-app scheduling (issue 18): what an RFC 6638 server would send, done for Purelymail's plain
 * CalDAV server. The extension's background and the agent call this one function.
 *
 * 1. Watch each calendar (watch.ts): only what changed since the last tick; a first look takes a baseline.
 * 2. Per changed object, lib/itip's changesToMessages decides; our own writes (the ETag the invite flow or the
 *    reply loop stored) send nothing. A SEQUENCE the app forgot to raise is written back with If-Match first; a 412
 *    leaves the object for the next tick, with the sync token held back so it is seen again.
 * 3. The composed mails go into the outbox in the same storage write as the new shadows and token.
 * 4. The outbox is sent; each mail leaves it only after SMTP answered (recordSent). A crash in between sends the
 *    very same mail again (same SEQUENCE, DTSTAMP and Message-ID): receivers see a duplicate, never a new version.
 */
import {CaldavConflict, isRetryable, withBackoff} from '../caldav/index.ts';
import {changesToMessages, isMailedVersion, schedulingRole, type ScheduledChange} from '../itip/index.ts';
import {rememberRequestMail} from '../plain-answers/remember-request.ts';
import {RelayClientError} from '../relay-client/index.ts';
import {composeScheduleMail} from './compose.ts';
import {uidOf} from '../ical-lines.ts';
import {sentSentence} from './sentence.ts';
import type {CalendarWatch, OutboxEntry, SchedulingDeps, SchedulingResult, SchedulingState, SentRecord, Shadow} from './types.ts';
import {watchCalendar, type ObjectChange} from './watch.ts';

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Relay answers that will not change by trying again: the mail is logged as not sent rather than retried forever. */
const finalRelayCodes: ReadonlySet<string> = new Set(['BAD_REQUEST', 'TOO_LARGE']);

type Processed = {shadow: Shadow | undefined; outbox: OutboxEntry[]; adopt: boolean; wrote: boolean};

export async function runScheduling(deps: SchedulingDeps): Promise<SchedulingResult> {
	const now = deps.now ?? (() => new Date());
	const state = await deps.store.load();
	const own = await deps.store.ownEtags();
	const isRelevant = (ics: string): boolean => schedulingRole(ics, deps.me) !== 'none';
	const result: SchedulingResult = {changes: 0, baselines: 0, sent: [], waiting: 0, writes: 0};
	const calendars: Record<string, CalendarWatch> = {...state.calendars};
	const outbox = [...state.outbox];
	const adopted: Array<{href: string; calendarUrl: string; shadow: Shadow}> = [];
	let counter = 0;

	for (const calendarUrl of deps.calendars) {
		const previous = state.calendars[calendarUrl];
		let watched;
		try {
			watched = await watchCalendar(deps, calendarUrl, previous, isRelevant);
		} catch (error) {
			result.error ??= {kind: 'calendar', message: messageOf(error), cause: error};
			continue;
		}

		if (watched.baseline) {
			result.baselines++;
			calendars[calendarUrl] = watched.next;
			continue;
		}

		const shadows = {...previous!.shadows};
		let complete = true;
		for (const change of watched.changes) {
			result.changes++;
			let processed: Processed | undefined;
			try {
				processed = await processChange(deps, change, own, now(), () => `${now().getTime().toString(36)}-${counter++}`);
			} catch (error) {
				// 412: the app wrote again while we raised SEQUENCE; the next tick sees its newest version.
				if (!(error instanceof CaldavConflict)) {
					result.error ??= {kind: 'calendar', message: messageOf(error), cause: error};
				}

				complete = false;
				continue;
			}

			if (processed.shadow) {
				shadows[change.href] = processed.shadow;
			} else {
				delete shadows[change.href];
			}

			if (processed.wrote) {
				result.writes++;
			}

			if (processed.adopt && processed.shadow) {
				adopted.push({href: change.href, calendarUrl, shadow: processed.shadow});
			}

			outbox.push(...processed.outbox);
		}

		// The token (or ctag) moves only when every change it covers was dealt with; what was dealt with already is
		// recognised next time by its shadowed ETag.
		calendars[calendarUrl] = complete ? {...watched.next, shadows} : {...previous!, shadows, ...(previous!.etags && watched.next.etags ? {etags: mergedEtags(previous!, watched.next, shadows)} : {})};
	}

	await deps.store.save({calendars, outbox});
	for (const {href, calendarUrl, shadow} of adopted) {
		await deps.store.adopt({uid: shadow.uid, href, etag: shadow.etag, calendarUrl, ics: shadow.ics});
	}

	await flushOutbox(deps, outbox, result, now);
	return result;
}

/** ctag mode after an incomplete tick: keep the old ETag of what was not dealt with, so it is listed as changed again. */
function mergedEtags(previous: CalendarWatch, next: CalendarWatch, shadows: Record<string, Shadow>): Record<string, string> {
	const etags = {...next.etags};
	for (const [href, etag] of Object.entries(previous.etags ?? {})) {
		if (shadows[href]?.etag !== etags[href]) {
			etags[href] = etag;
		}
	}

	return etags;
}

async function processChange(deps: SchedulingDeps, change: ObjectChange, own: ReadonlyMap<string, string>, at: Date, nextId: () => string): Promise<Processed> {
	const {before, after} = change;
	const relevantAfter = after && schedulingRole(after.ics, deps.me) !== 'none';
	const uid = before?.uid ?? (after ? uidIn(after.ics) : '');
	const shadowOf = (etag: string, ics: string): Shadow | undefined => (relevantAfter ? {uid: uidIn(ics) || uid, etag, ics} : undefined);
	// Our own write (an invitation sent, a reply applied), by this instance (its ETag) or by another extension or agent
	// of the account (lib/itip's mailed stamp, which every write of ours carries): its mail is sent already, so nothing
	// to tell anyone, only a new shadow. A later change in an app no longer matches the stamp and is sent as usual.
	if (after && (own.get(uid) === after.etag || await isMailedVersion(after.ics))) {
		return {shadow: shadowOf(after.etag, after.ics), outbox: [], adopt: false, wrote: false};
	}

	const scheduled: ScheduledChange = changesToMessages(before?.ics, after?.ics, deps.me, {now: at});
	let etag = after?.etag;
	let ics = after?.ics;
	let wrote = false;
	if (after && scheduled.writeBack) {
		// Not mailed yet (the outbox is saved after this write): unstamped, so whoever reads it before our shadow is
		// saved (this instance after a crash, an agent taking over) diffs it and sends, rather than adopting it.
		const written = await withBackoff(async () => deps.caldav.updateEvent(change.href, scheduled.writeBack!, after.etag, {signal: deps.signal, mailed: false}), {...deps.backoff, signal: deps.signal});
		// RFC 4791 §5.3.4: no ETag means the server changed what we wrote; read it back.
		const reread = written.etag ? undefined : (await deps.caldav.readEvents(change.href.slice(0, change.href.lastIndexOf('/') + 1), [change.href], {signal: deps.signal}))[0];
		etag = written.etag ?? reread?.etag ?? after.etag;
		ics = reread?.ics ?? scheduled.writeBack;
		wrote = true;
	}

	const outbox = scheduled.messages.map((message): OutboxEntry => ({
		id: nextId(),
		uid: scheduled.uid,
		summary: scheduled.summary,
		sentence: sentSentence(message, scheduled.summary),
		envelope: {from: deps.from.email, to: [...message.recipients]},
		raw: composeScheduleMail(message, deps.from, scheduled.summary, at),
		createdAt: at.toISOString(),
	}));
	return {
		shadow: after && etag && ics ? shadowOf(etag, ics) : undefined,
		outbox,
		// A meeting the user organizes becomes one of ours once we sent for it (or it already was).
		adopt: scheduled.role === 'organizer' && Boolean(after) && (outbox.length > 0 || own.has(uid)),
		wrote,
	};
}

async function flushOutbox(deps: SchedulingDeps, outbox: readonly OutboxEntry[], result: SchedulingResult, now: () => Date): Promise<void> {
	for (const [index, entry] of outbox.entries()) {
		const base = {id: entry.id, uid: entry.uid, summary: entry.summary, sentence: entry.sentence};
		let record: SentRecord;
		try {
			const sent = await deps.relay.send({account: deps.account, envelope: entry.envelope, raw: entry.raw, copyToSent: true});
			await rememberRequestMail(deps.rememberSent, entry.raw, sent);
			record = {...base, at: now().toISOString(), rejected: sent.rejected};
		} catch (error) {
			if (error instanceof RelayClientError && finalRelayCodes.has(error.code)) {
				record = {...base, at: now().toISOString(), rejected: [], error: messageOf(error)};
			} else {
				// Relay down, mail server failing: the rest waits, in order, for the next tick.
				result.error = {kind: isRetryable(error) ? 'calendar' : 'relay', message: messageOf(error), cause: error};
				result.waiting = outbox.length - index;
				return;
			}
		}

		await deps.afterAccepted?.(entry.id);
		await deps.store.recordSent(record);
		result.sent.push(record);
	}
}

/** The log keeps this many sent mails at most (the popup shows the newest). */
export const keptSentRecords = 100;

/** Empties the watch state: the next tick (after the option is turned on again) takes a new baseline. */
export function emptySchedulingState(): SchedulingState {
	return {calendars: {}, outbox: []};
}

function uidIn(ics: string): string {
	return uidOf(ics) ?? '';
}
