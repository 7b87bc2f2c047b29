/**
 * Keeps the agent's list of the user's events true to the calendar: one ETag listing, then a read of only the
 * objects whose ETag is new. Events whose object is gone are forgotten; moved ones are found again under their UID.
 */
import type {CaldavClient} from '../caldav/index.ts';
import type {TrackedEvent} from '../model.ts';
import {organizedEvent} from './organized-event.ts';

export type EventSync = {
	/** Events of ours that are new or changed since the last sync. */
	put: TrackedEvent[];
	/** UIDs of events whose calendar object is gone. */
	removed: string[];
	/** Calendar objects listed, and read because their ETag was new. */
	listed: number;
	read: number;
};

export async function syncEvents(
	caldav: CaldavClient,
	calendarUrl: string,
	known: Readonly<Record<string, TrackedEvent>>,
	me: readonly string[],
	options: {now: Date; signal?: AbortSignal | undefined},
): Promise<EventSync> {
	const call = {signal: options.signal};
	const tags = await caldav.listEvents(calendarUrl, call);
	const knownByHref = new Map(Object.values(known).map(event => [event.href, event]));
	// Objects that are not ours are read once per ETag too; remembering them would save little (they rarely change).
	const changed = tags.filter(tag => knownByHref.get(tag.href)?.etag !== tag.etag).map(tag => tag.href);
	const read = changed.length > 0 ? await caldav.readEvents(calendarUrl, changed, call) : [];
	const put: TrackedEvent[] = [];
	const seenUids = new Set<string>();
	for (const stored of read) {
		const event = organizedEvent(stored, calendarUrl, me, options.now);
		// One record per UID (RFC 4791 §4.1 allows one object per UID in a calendar; the first wins otherwise).
		if (event && !seenUids.has(event.uid)) {
			seenUids.add(event.uid);
			const before = known[event.uid];
			put.push(before ? {...event, createdAt: before.createdAt} : event);
		}
	}

	const listed = new Set(tags.map(tag => tag.href));
	const removed = Object.values(known)
		.filter(event => !listed.has(event.href) && !seenUids.has(event.uid))
		.map(event => event.uid);
	return {put, removed, listed: tags.length, read: read.length};
}
