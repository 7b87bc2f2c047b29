/**
 * calendar-multiget REPORT (RFC 4791 §7.9) for one href: the event's text and ETag from one answer. Only used when a
 * GET came back without an ETag.
 */
import {davRequest} from 'tsdav';
import {CaldavBadResponse, CaldavNotFound} from './errors.ts';
import {send, type Connection} from './request.ts';
import type {CalendarEvent, CallOptions} from './types.ts';
import {eventIn, multistatus, responseFor} from './xml.ts';

/**
 * Reads one event by href through its calendar collection.
 * @throws {CaldavNotFound} when the server reports nothing (or 404) for the href
 */
export async function readByMultiget(connection: Connection, href: string, call: CallOptions = {}): Promise<CalendarEvent> {
	const collection = new URL('./', href).href;
	const target = {method: 'REPORT', url: collection};
	const {value, response} = await send(connection, target, call, async fetchWithAuth => davRequest({
		url: collection,
		init: {
			method: 'REPORT',
			headers: {depth: '1'},
			body: {
				'c:calendar-multiget': {
					_attributes: {'xmlns:d': 'DAV:', 'xmlns:c': 'urn:ietf:params:xml:ns:caldav'},
					'd:prop': {'d:getetag': {}, 'c:calendar-data': {}},
					'd:href': {_text: new URL(href).pathname},
				},
			},
		},
		fetch: fetchWithAuth,
	}));
	const found = responseFor(multistatus(value, {...target, status: response.status}), href);
	if (!found || found.status === 404) {
		throw new CaldavNotFound(`REPORT ${collection} has nothing at ${href}`, {method: 'REPORT', url: href, status: 404});
	}

	const event = eventIn(found, href);
	if (!event) {
		throw new CaldavBadResponse(`REPORT ${collection} returned no ETag or calendar data for ${href}`, {...target, status: found.status});
	}

	return event;
}
