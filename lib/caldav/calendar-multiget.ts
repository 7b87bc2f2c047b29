/**
 * calendar-multiget REPORT (RFC 4791 §7.9): events' text and ETags from one answer. `readEvents` reads a calendar's
 * changed events with it; `readByMultiget` one event when a GET came back without an ETag.
 */
import type {DAVResponse} from 'tsdav';
import {CaldavBadResponse, CaldavNotFound} from './errors.ts';
import type {Connection} from './request.ts';
import {report} from './report.ts';
import type {CalendarEvent, CallOptions} from './types.ts';
import {eventIn, multistatus, responseFor} from './xml.ts';

/** One calendar-multiget of `hrefs` in the collection at `collection`; the responses and the URL to resolve them by. */
export async function multiget(connection: Connection, collection: string, hrefs: readonly string[], call: CallOptions): Promise<{entries: DAVResponse[]; base: string}> {
	const {value, response} = await report(connection, collection, 'c:calendar-multiget', {
		'd:prop': {'d:getetag': {}, 'c:calendar-data': {}},
		'd:href': hrefs.map(href => ({_text: new URL(href).pathname})),
	}, call);
	return {entries: multistatus(value, {method: 'REPORT', url: collection, status: response.status}), base: response.url || collection};
}

/**
 * Reads one event by href through its calendar collection.
 * @throws {CaldavNotFound} when the server reports nothing (or 404) for the href
 */
export async function readByMultiget(connection: Connection, href: string, call: CallOptions = {}): Promise<CalendarEvent> {
	const collection = new URL('./', href).href;
	const {entries} = await multiget(connection, collection, [href], call);
	const found = responseFor(entries, href);
	if (!found || found.status === 404) {
		throw new CaldavNotFound(`REPORT ${collection} has nothing at ${href}`, {method: 'REPORT', url: href, status: 404});
	}

	const event = eventIn(found, href);
	if (!event) {
		throw new CaldavBadResponse(`REPORT ${collection} returned no ETag or calendar data for ${href}`, {method: 'REPORT', url: collection, status: found.status});
	}

	return event;
}
