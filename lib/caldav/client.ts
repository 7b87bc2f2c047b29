/**
 * The client: one account's credentials bound once, the event operations as methods. Holds no state besides the
 * connection, so make one per tick or keep one; both are fine.
 */
import {createEvent, deleteEvent, readEvent, updateEvent} from './calendar-objects.ts';
import {listEventTags, readEvents} from './calendar-list.ts';
import {findEventByUid} from './calendar-query.ts';
import {openConnection} from './request.ts';
import {collectionState, syncCollection} from './sync-collection.ts';
import type {CaldavClient, CaldavClientOptions} from './types.ts';
import {updateWithRetry} from './update-with-retry.ts';

/**
 * Creates a client for one account. Nothing is sent until a method is called.
 * @throws {TypeError} on a bad username (empty, or with a colon), password, fetch or timeout
 * @example
 * const caldav = createCaldavClient({username: 'me@example.com', password});
 * const {href, etag} = await caldav.createEvent(calendar.url, uid, ics);
 * const result = await withBackoff(async () => caldav.updateWithRetry(href, current => {
 * 	const applied = applyReply(current, replyIcs, context);
 * 	return applied.outcome === 'applied' ? {ics: applied.event} : {unchanged: true};
 * }, {signal}), {signal});
 */
export function createCaldavClient(options: CaldavClientOptions): CaldavClient {
	const connection = openConnection(options);
	return {
		createEvent: async (calendarUrl, uid, ics, call) => createEvent(connection, calendarUrl, uid, ics, call),
		readEvent: async (href, call) => readEvent(connection, href, call),
		updateEvent: async (href, ics, etag, call) => updateEvent(connection, href, ics, etag, call),
		deleteEvent: async (href, etag, call) => deleteEvent(connection, href, etag, call),
		findEventByUid: async (calendarUrl, uid, call) => findEventByUid(connection, calendarUrl, uid, call),
		listEvents: async (calendarUrl, call) => listEventTags(connection, calendarUrl, call),
		readEvents: async (calendarUrl, hrefs, call) => readEvents(connection, calendarUrl, hrefs, call),
		updateWithRetry: async (href, decide, retryOptions) => updateWithRetry(connection, href, decide, retryOptions),
		syncCollection: async (calendarUrl, token, call) => syncCollection(connection, calendarUrl, token, call),
		collectionState: async (calendarUrl, call) => collectionState(connection, calendarUrl, call),
	};
}
