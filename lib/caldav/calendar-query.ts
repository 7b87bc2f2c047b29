/**
 * calendar-query REPORT by UID (RFC 4791 §7.8.6): the fallback for finding our own event when its stored href is
 * gone. Never the first choice: Purelymail's search index lags minutes behind writes, so a fresh event may be
 * missing from the answer; keep each event's href and ETag and read by href instead.
 */
import {davRequest} from 'tsdav';
import {uidOf} from '../ical-lines.ts';
import {absoluteUrl, send, type Connection} from './request.ts';
import type {CallOptions, FoundEvent} from './types.ts';
import {eventIn, multistatus} from './xml.ts';

/**
 * The calendar-query body: VEVENTs whose UID equals `uid`, compared octet by octet (i;octet, RFC 4790 §9.3) so
 * case matters as it does for UIDs. tsdav's XML writer escapes the text.
 */
export function uidQuery(uid: string): Record<string, unknown> {
	return {
		'c:calendar-query': {
			_attributes: {'xmlns:d': 'DAV:', 'xmlns:c': 'urn:ietf:params:xml:ns:caldav'},
			'd:prop': {'d:getetag': {}, 'c:calendar-data': {}},
			'c:filter': {
				'c:comp-filter': {
					_attributes: {name: 'VCALENDAR'},
					'c:comp-filter': {
						_attributes: {name: 'VEVENT'},
						'c:prop-filter': {
							_attributes: {name: 'UID'},
							'c:text-match': {_attributes: {collation: 'i;octet'}, _text: uid},
						},
					},
				},
			},
		},
	};
}

/**
 * Searches a calendar for the event with this UID.
 * @returns the event marked `foundBy: 'search'`, or undefined when the search finds none (text-match is a
 * substring match, so only an exact UID counts)
 * @throws {CaldavNotFound} when the calendar itself is gone
 */
export async function findEventByUid(connection: Connection, calendarUrl: string, uid: string, call: CallOptions = {}): Promise<FoundEvent | undefined> {
	const url = absoluteUrl(calendarUrl, 'calendarUrl');
	if (!url.pathname.endsWith('/')) {
		url.pathname += '/';
	}

	if (typeof uid !== 'string' || uid === '') {
		throw new TypeError('uid must be non-empty text');
	}

	const target = {method: 'REPORT', url: url.href};
	const {value, response} = await send(connection, target, call, async fetchWithAuth => davRequest({
		url: url.href,
		init: {method: 'REPORT', headers: {depth: '1'}, body: uidQuery(uid)},
		fetch: fetchWithAuth,
	}));
	for (const entry of multistatus(value, {...target, status: response.status})) {
		const event = eventIn(entry, response.url || url.href);
		if (event && uidOf(event.ics) === uid) {
			return {...event, foundBy: 'search'};
		}
	}

	return undefined;
}
