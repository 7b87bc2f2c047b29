/**
 * One event, by href: create (PUT with If-None-Match), read (GET), update (PUT with If-Match), delete (DELETE with
 * If-Match). Every write is conditional (RFC 4791 §5.3.2, RFC 7232 §3), so nobody's change is overwritten unseen.
 */
import {createCalendarObject, deleteCalendarObject, updateCalendarObject} from 'tsdav';
import {withMailedStamp, withoutMailedStamp} from '../itip/index.ts';
import {CaldavBadResponse, errorForStatus} from './errors.ts';
import {readByMultiget} from './calendar-multiget.ts';
import {assertStorable} from './ics.ts';
import {collectionUrl} from './report.ts';
import {absoluteUrl, send, type Connection} from './request.ts';
import type {CalendarEvent, CallOptions, WriteOptions, WrittenEvent} from './types.ts';

const calendarContentType = 'text/calendar; charset=utf-8';

/**
 * The resource name we give an event: its UID, percent-encoded, plus `.ics` (so `a@b` is `a%40b.ics`, the form
 * Radicale also answers with). One name per UID makes a repeated create a 412, never a second copy.
 * @throws {TypeError} when the UID is empty or holds control characters
 */
export function eventFileName(uid: string): string {
	// eslint-disable-next-line no-control-regex -- a UID with control characters could not round-trip (RFC 5545 §3.3.11)
	if (typeof uid !== 'string' || uid === '' || /[\u0000-\u001F\u007F]/.test(uid)) {
		throw new TypeError('uid must be non-empty text without control characters');
	}

	return `${encodeURIComponent(uid)}.ics`;
}

/**
 * The href `createEvent` writes a UID to.
 * @throws {TypeError} on a bad calendar URL or UID
 */
export function eventHref(calendarUrl: string, uid: string): string {
	return new URL(eventFileName(uid), collectionUrl(calendarUrl)).href;
}

function assertEtag(etag: unknown): asserts etag is string {
	// tsdav leaves If-Match out when the ETag is empty, which would make the write unconditional.
	if (typeof etag !== 'string' || etag.trim() === '') {
		throw new TypeError('etag must be the non-empty ETag the event was read with');
	}
}

/**
 * The one rule for what a stored-event write stores (issue 18): our writes are mailed by their flow, so each carries
 * lib/itip's mailed stamp, and a watcher (the agent's or another extension's calendar-app scheduling) adopts that
 * version without sending anything; a write-back not mailed yet (`mailed: false`) carries none.
 */
async function storedText(ics: string, call: WriteOptions): Promise<string> {
	return call.mailed === false ? withoutMailedStamp(ics) : withMailedStamp(ics);
}

/** Runs a PUT or DELETE through tsdav, reads the answer, and throws the matching error unless it is 2xx. */
async function write(connection: Connection, method: 'PUT' | 'DELETE', url: string, call: CallOptions, run: (fetchWithAuth: typeof fetch) => Promise<Response>): Promise<WrittenEvent> {
	const {value: body, response} = await send(connection, {method, url}, call, async fetchWithAuth => (await run(fetchWithAuth)).text());
	if (!response.ok) {
		throw errorForStatus({method, url, status: response.status}, body);
	}

	return {href: url, etag: response.headers.get('ETag') ?? undefined};
}

/**
 * Stores a new event at `eventHref(calendarUrl, uid)`, only if nothing is there yet (`If-None-Match: *`).
 * After a `CaldavUnavailable` the first PUT may have been stored: a retry then fails with `CaldavConflict`, so read
 * the href to see whether it holds our event.
 * @throws {CaldavConflict} something is already stored under that name
 * @throws {CaldavUidConflict} the calendar holds this UID under another name (RFC 4791 §5.3.2.1)
 * @throws {CaldavInvalidObject} before any request: `ics` has a METHOD, is not a VCALENDAR, or has another UID
 */
export async function createEvent(connection: Connection, calendarUrl: string, uid: string, ics: string, call: WriteOptions = {}): Promise<WrittenEvent> {
	const href = eventHref(calendarUrl, uid);
	assertStorable(ics, uid);
	const text = await storedText(ics, call);
	return write(connection, 'PUT', href, call, async fetchWithAuth => createCalendarObject({
		calendar: {url: collectionUrl(calendarUrl)},
		filename: eventFileName(uid),
		iCalString: text,
		// tsdav sets If-None-Match: * itself; said again here because everything depends on it.
		headers: {'content-type': calendarContentType, 'If-None-Match': '*'},
		fetch: fetchWithAuth,
	}));
}

/**
 * Reads an event and its ETag with a GET. A server that sends no ETag with the GET is asked again with a
 * calendar-multiget REPORT, which returns text and ETag together (never a separate PROPFIND: the two could
 * describe different versions).
 * @throws {CaldavNotFound} nothing is stored at `href`
 */
export async function readEvent(connection: Connection, href: string, call: CallOptions = {}): Promise<CalendarEvent> {
	const url = absoluteUrl(href, 'href').href;
	const {value: ics, response} = await send(connection, {method: 'GET', url}, call, async fetchWithAuth => {
		const answer = await fetchWithAuth(url, {method: 'GET', headers: {Accept: calendarContentType}});
		return answer.text();
	});
	if (!response.ok) {
		throw errorForStatus({method: 'GET', url, status: response.status}, ics);
	}

	if (!/^\uFEFF?\s*BEGIN:VCALENDAR/i.test(ics)) {
		throw new CaldavBadResponse(`GET ${url} did not return iCalendar text`, {method: 'GET', url, status: response.status});
	}

	const etag = response.headers.get('ETag');
	return etag ? {href: url, etag, ics} : readByMultiget(connection, url, call);
}

/**
 * Replaces an event, only if it still has `etag` (`If-Match`, RFC 7232 §3.1).
 * @throws {CaldavConflict} it changed or was deleted since that ETag (a missing resource also fails If-Match)
 * @throws {CaldavInvalidObject} before any request: `ics` has a METHOD or is not a VCALENDAR
 * @throws {TypeError} when `etag` is empty (the write would otherwise be unconditional)
 */
export async function updateEvent(connection: Connection, href: string, ics: string, etag: string, call: WriteOptions = {}): Promise<WrittenEvent> {
	const url = absoluteUrl(href, 'href').href;
	assertEtag(etag);
	assertStorable(ics);
	const text = await storedText(ics, call);
	return write(connection, 'PUT', url, call, async fetchWithAuth => updateCalendarObject({
		calendarObject: {url, data: text, etag},
		headers: {'content-type': calendarContentType},
		fetch: fetchWithAuth,
	}));
}

/**
 * Deletes an event, only if it still has `etag`.
 * @throws {CaldavConflict} it changed since; {CaldavNotFound} it is already gone
 */
export async function deleteEvent(connection: Connection, href: string, etag: string, call: CallOptions = {}): Promise<void> {
	const url = absoluteUrl(href, 'href').href;
	assertEtag(etag);
	await write(connection, 'DELETE', url, call, async fetchWithAuth => deleteCalendarObject({calendarObject: {url, etag}, fetch: fetchWithAuth}));
}
