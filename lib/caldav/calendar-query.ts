/**
 * calendar-query REPORT by UID (RFC 4791 §7.8.6): the fallback for finding our own event when its stored href is
 * gone. Never the first choice: Purelymail's search index lags minutes behind writes, so a fresh event may be
 * missing from the answer; keep each event's href and ETag and read by href instead.
 */
import {uidOf} from '../ical-lines.ts';
import {collectionUrl, report} from './report.ts';
import type {Connection} from './request.ts';
import type {CallOptions, FoundEvent} from './types.ts';
import {eventIn, multistatus} from './xml.ts';

/**
 * The calendar-query's content: VEVENTs whose UID equals `uid`, compared octet by octet (i;octet, RFC 4790 §9.3) so
 * case matters as it does for UIDs. tsdav's XML writer escapes the text.
 */
function uidQuery(uid: string): Record<string, unknown> {
	return {
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
	};
}

/**
 * Searches a calendar for the event with this UID.
 * @returns the event marked `foundBy: 'search'`, or undefined when the search finds none (text-match is a
 * substring match, so only an exact UID counts)
 * @throws {CaldavNotFound} when the calendar itself is gone
 */
export async function findEventByUid(connection: Connection, calendarUrl: string, uid: string, call: CallOptions = {}): Promise<FoundEvent | undefined> {
	const url = collectionUrl(calendarUrl);
	if (typeof uid !== 'string' || uid === '') {
		throw new TypeError('uid must be non-empty text');
	}

	const {value, response} = await report(connection, url, 'c:calendar-query', uidQuery(uid), call);
	for (const entry of multistatus(value, {method: 'REPORT', url, status: response.status})) {
		const event = eventIn(entry, response.url || url);
		if (event && uidOf(event.ics) === uid) {
			return {...event, foundBy: 'search'};
		}
	}

	return undefined;
}
