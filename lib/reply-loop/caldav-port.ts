/** The reply loop's CalendarPort on lib/caldav: updates retried on 5xx with backoff, failures sorted by kind. */
import {CaldavAuthFailed, CaldavConflict, CaldavInvalidObject, CaldavNotFound, CaldavRejected, CaldavUidConflict, CaldavUnavailable, withBackoff, type BackoffOptions, type CaldavClient} from '../caldav/index.ts';
import {CalendarPortError, type CalendarDecision, type CalendarFailureKind, type CalendarPort} from './ports.ts';

function kindOf(error: unknown): CalendarFailureKind {
	if (error instanceof CaldavConflict) {
		return 'conflict';
	}

	if (error instanceof CaldavUnavailable) {
		return 'unavailable';
	}

	if (error instanceof CaldavNotFound) {
		return 'not-found';
	}

	if (error instanceof CaldavAuthFailed) {
		return 'auth';
	}

	// A 4xx other than 401/403/404/412 (or an object the server would not take): final for this message.
	if (error instanceof CaldavRejected || error instanceof CaldavUidConflict || error instanceof CaldavInvalidObject) {
		return 'rejected';
	}

	return 'other';
}

/** Runs CalDAV work and turns its failure into a CalendarPortError of the right kind (an abort passes through). */
export async function sorted<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof CalendarPortError || (error instanceof Error && error.name === 'AbortError')) {
			throw error;
		}

		throw new CalendarPortError(kindOf(error), error instanceof Error ? error.message : String(error), {cause: error});
	}
}

export function caldavCalendarPort(client: CaldavClient, calendarUrl: string, backoff: Omit<BackoffOptions, 'signal'> = {}): CalendarPort {
	return {
		async update(href: string, decide: (ics: string) => CalendarDecision, signal?: AbortSignal) {
			return sorted(async () => {
				// Safe to retry whole: updateWithRetry reads before it decides, so a write whose answer was lost is seen, not repeated.
				const result = await withBackoff(async () => client.updateWithRetry(href, ics => decide(ics), {signal}), {...backoff, signal});
				if (result.status === 'unchanged') {
					return {etag: result.etag, ics: result.ics, written: false};
				}

				// RFC 4791 §5.3.4: a server that changed the data on the way in may send no ETag; read it back then.
				const etag = result.etag ?? (await withBackoff(async () => client.readEvent(href, {signal}), {...backoff, signal})).etag;
				return {etag, ics: result.ics, written: true};
			});
		},
		async findByUid(uid: string, signal?: AbortSignal) {
			return sorted(async () => {
				const found = await withBackoff(async () => client.findEventByUid(calendarUrl, uid, {signal}), {...backoff, signal});
				return found ? {href: found.href} : null;
			});
		},
	};
}
