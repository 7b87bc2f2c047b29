/**
 * Writing the user's copy of an event they were invited to: update it where we (or a search by UID) know it is,
 * else create it at `<calendar>/<uid>.ics`. Like our own events, the href and ETag are then remembered, so later
 * writes go straight to it (lib/caldav's README: search only as a fallback).
 */
import {CaldavConflict, CaldavNotFound, eventHref, withBackoff} from '../caldav/index.ts';
import type {AttendeeDeps} from './types.ts';

export type WrittenCopy = {href: string; etag: string; ics: string; written: boolean};

/** Turns the stored copy (undefined: none yet) into the new one; called again with the fresh copy after a 412. */
export type MakeCopy = (stored: string | undefined) => string;

async function update(deps: AttendeeDeps, href: string, make: MakeCopy): Promise<WrittenCopy> {
	// Safe to retry whole: updateWithRetry reads before it decides, so a write whose answer was lost is seen, not repeated.
	const result = await withBackoff(async () => deps.caldav.updateWithRetry(href, ics => ({ics: make(ics)})));
	if (result.status === 'unchanged') {
		return {href: result.href, etag: result.etag, ics: result.ics, written: false};
	}

	// RFC 4791 §5.3.4: a server that changed the data on the way in may send no ETag; read it back then.
	const etag = result.etag ?? (await withBackoff(async () => deps.caldav.readEvent(href))).etag;
	return {href: result.href, etag, ics: result.ics, written: true};
}

/**
 * Creates or updates the copy of event `uid` in the calendar at `calendarUrl`.
 * @param knownHref Where the copy was last written, when the extension wrote it.
 */
export async function writeCopy(deps: AttendeeDeps, calendarUrl: string, uid: string, knownHref: string | undefined, make: MakeCopy): Promise<WrittenCopy> {
	// An invitation the user already has from another app (or a phone) must not become a second event with the same UID.
	const href = knownHref ?? (await withBackoff(async () => deps.caldav.findEventByUid(calendarUrl, uid)))?.href;
	if (href) {
		try {
			return await update(deps, href, make);
		} catch (error) {
			// The user deleted it in another app: write it anew below.
			if (!(error instanceof CaldavNotFound)) {
				throw error;
			}
		}
	}

	const ics = make(undefined);
	try {
		const written = await withBackoff(async () => deps.caldav.createEvent(calendarUrl, uid, ics));
		const etag = written.etag ?? (await withBackoff(async () => deps.caldav.readEvent(written.href))).etag;
		return {href: written.href, etag, ics, written: true};
	} catch (error) {
		// RFC 4791 §5.3.2 If-None-Match: the event is there after all (a retried PUT, a search that lagged): update it.
		if (error instanceof CaldavConflict) {
			return update(deps, eventHref(calendarUrl, uid), make);
		}

		throw error;
	}
}
