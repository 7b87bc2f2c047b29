/**
 * The calendar the user's copies of invitations live in, for the invitation part of the reply loop: create a new
 * copy, update or remove one by href, and find one by UID when its href is gone. Failures are CalendarPortErrors,
 * sorted as the reply loop sorts them (lib/reply-loop/caldav-port.ts).
 */
import {CaldavNotFound, eventHref, withBackoff, type BackoffOptions, type CaldavClient} from '../caldav/index.ts';
import {caldavCalendarPort, sorted} from '../reply-loop/caldav-port.ts';
import type {CalendarPort} from '../reply-loop/ports.ts';

export type InvitationCalendarPort = CalendarPort & {
	/** The calendar new copies go to. */
	calendarUrl: string;
	/**
	 * Stores a new copy at `<calendarUrl><uid>.ics` with If-None-Match (RFC 4791 §5.3.2), so a copy written by an
	 * earlier, interrupted tick is never overwritten: that is a `conflict`, and the caller updates it instead.
	 */
	create(uid: string, ics: string, signal?: AbortSignal): Promise<{href: string; etag: string}>;
	/** Deletes the copy if it still has `etag`; a copy already gone counts as removed. */
	remove(href: string, etag: string, signal?: AbortSignal): Promise<void>;
};

export function invitationCalendarPort(client: CaldavClient, calendarUrl: string, backoff: Omit<BackoffOptions, 'signal'> = {}): InvitationCalendarPort {
	const base = caldavCalendarPort(client, calendarUrl, backoff);
	return {
		...base,
		calendarUrl,
		async create(uid, ics, signal) {
			return sorted(async () => {
				// Not retried whole: after a lost answer the retry's If-None-Match fails with 412, which the caller reads as
				// "already there" and turns into an update of what is there.
				const written = await withBackoff(async () => client.createEvent(calendarUrl, uid, ics, {signal}), {...backoff, signal});
				const href = written.href || eventHref(calendarUrl, uid);
				const etag = written.etag ?? (await withBackoff(async () => client.readEvent(href, {signal}), {...backoff, signal})).etag;
				return {href, etag};
			});
		},
		async remove(href, etag, signal) {
			return sorted(async () => {
				try {
					await withBackoff(async () => client.deleteEvent(href, etag, {signal}), {...backoff, signal});
				} catch (error) {
					if (!(error instanceof CaldavNotFound)) {
						throw error;
					}
				}
			});
		},
	};
}
