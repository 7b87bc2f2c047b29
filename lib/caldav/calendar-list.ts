/**
 * The whole calendar, cheaply: a calendar-query REPORT for every VEVENT object with its ETag only (RFC 4791 §7.8),
 * then a calendar-multiget REPORT (RFC 4791 §7.9) for the hrefs whose ETag the caller does not know yet. The agent
 * keeps href and ETag of every event, so a calendar that did not change costs one small REPORT.
 */
import {multiget} from './calendar-multiget.ts';
import type {Connection} from './request.ts';
import {collectionUrl, report} from './report.ts';
import type {CalendarEvent, CallOptions, EventTag} from './types.ts';
import {eventIn, multistatus, textOf} from './xml.ts';

/** Hrefs per calendar-multiget: keeps one answer a few MB at most. */
const multigetBatch = 100;

/**
 * Every calendar object holding a VEVENT, as href and ETag.
 * @throws {CaldavNotFound} when the calendar itself is gone
 */
export async function listEventTags(connection: Connection, calendarUrl: string, call: CallOptions = {}): Promise<EventTag[]> {
	const url = collectionUrl(calendarUrl);
	const {value, response} = await report(connection, url, 'c:calendar-query', {
		'd:prop': {'d:getetag': {}},
		'c:filter': {'c:comp-filter': {_attributes: {name: 'VCALENDAR'}, 'c:comp-filter': {_attributes: {name: 'VEVENT'}}}},
	}, call);
	const base = response.url || url;
	return multistatus(value, {method: 'REPORT', url, status: response.status}).flatMap(entry => {
		const etag = textOf(entry.props?.getetag)?.trim();
		if (!entry.ok || entry.href === undefined || !etag) {
			return [];
		}

		const href = new URL(entry.href, base).href;
		// The collection itself may be listed; it is no event.
		return href === url ? [] : [{href, etag}];
	});
}

/** The events at these hrefs of one calendar, with their ETags; an href the server no longer has is left out. */
export async function readEvents(connection: Connection, calendarUrl: string, hrefs: readonly string[], call: CallOptions = {}): Promise<CalendarEvent[]> {
	const url = collectionUrl(calendarUrl);
	const events: CalendarEvent[] = [];
	for (let start = 0; start < hrefs.length; start += multigetBatch) {
		// One batch at a time, so one account never floods the server.
		const {entries, base} = await multiget(connection, url, hrefs.slice(start, start + multigetBatch), call);
		for (const entry of entries) {
			const event = eventIn(entry, base);
			if (event) {
				events.push(event);
			}
		}
	}

	return events;
}
