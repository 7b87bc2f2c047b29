/**
 * The CalDAV client with its retries built in, for callers that want every call retried the same way (the
 * organizer's invite flows, lib/invites): reads and read-modify-writes under `withBackoff`, and a create whose
 * answer was lost recognised on its retry. The flows then never retry on their own, and none reads without it.
 */
import {eventHref} from './calendar-objects.ts';
import {CaldavConflict} from './errors.ts';
import {withBackoff} from './retry.ts';
import {uidOf} from '../ical-lines.ts';
import type {BackoffOptions, CaldavClient, CalendarEvent, Decide, UpdateWithRetryResult, WrittenEvent} from './types.ts';

export type RetryingCaldav = {
	/** `createEvent`, retried; a retry that meets our own event (the first PUT stored it, its answer was lost) returns it. */
	createEvent(calendarUrl: string, uid: string, ics: string): Promise<WrittenEvent & {etag: string}>;
	readEvent(href: string): Promise<CalendarEvent>;
	/** `updateWithRetry` (412 handled by reading again), itself retried on 5xx: it reads before it decides, so that is safe. */
	updateWithRetry(href: string, decide: Decide): Promise<UpdateWithRetryResult & {etag: string}>;
};

/**
 * Wraps `client` so that each call is retried with `withBackoff` (5xx, network, timeout), and each write answers with
 * the ETag (read back when the server did not send one, RFC 4791 §5.3.4 allows that).
 */
export function retrying(client: Pick<CaldavClient, 'createEvent' | 'readEvent' | 'updateWithRetry'>, backoff: BackoffOptions = {}): RetryingCaldav {
	const readEvent = async (href: string): Promise<CalendarEvent> => withBackoff(async () => client.readEvent(href), backoff);
	const withEtag = async <T extends {href: string; etag: string | undefined}>(written: T): Promise<T & {etag: string}> =>
		({...written, etag: written.etag ?? (await readEvent(written.href)).etag}) as T & {etag: string};
	return {
		readEvent,
		async createEvent(calendarUrl, uid, ics) {
			const written = await withBackoff(async attempt => {
				try {
					return await client.createEvent(calendarUrl, uid, ics);
				} catch (error) {
					// If-None-Match: * failing (412) on a retry: the first PUT was stored; ours if it has our UID.
					if (attempt > 1 && error instanceof CaldavConflict) {
						const existing = await client.readEvent(eventHref(calendarUrl, uid));
						if (uidOf(existing.ics) === uid) {
							return {href: existing.href, etag: existing.etag};
						}
					}

					throw error;
				}
			}, backoff);
			return withEtag(written);
		},
		async updateWithRetry(href, decide) {
			return withEtag(await withBackoff(async () => client.updateWithRetry(href, decide), backoff));
		},
	};
}
