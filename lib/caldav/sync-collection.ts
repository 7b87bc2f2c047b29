/**
 * Watching a calendar cheaply (issue 18): WebDAV sync (RFC 6578 `sync-collection`) where the server offers it, and
 * otherwise the calendar's ctag (Apple's calendarserver `getctag`) plus the members' ETags. Each call is one request;
 * a calendar where nothing changed costs exactly one.
 */
import type {DAVResponse} from 'tsdav';
import {propfindAt} from './discover.ts';
import {errorForStatus} from './errors.ts';
import {collectionUrl, report} from './report.ts';
import type {Connection} from './request.ts';
import type {CallOptions} from './types.ts';
import {eventIn, multistatus, responseFor, textOf} from './xml.ts';

/** A member of a calendar as a sync or listing reports it; `ics` when the server sent the data along. */
export type ChangedObject = {href: string; etag: string; ics?: string};

export type SyncCollectionResult =
	| {
		kind: 'changes';
		/** The token to send next time (RFC 6578 §3.2 DAV:sync-token). */
		token: string;
		/** Members added or changed since the token given (all members for the empty token). */
		changed: ChangedObject[];
		/** Hrefs of members removed since the token given (RFC 6578 §3.5.2: a 404 per removed member). */
		removed: string[];
	}
	/** RFC 6578 §3.2: the token is no longer valid (403/409 with DAV:valid-sync-token); start over with the empty one. */
	| {kind: 'token-expired'};

export type CollectionState = {
	/** RFC 6578 §4 DAV:sync-token, when the server does WebDAV sync. */
	syncToken?: string;
	/** calendarserver.org's getctag: changes whenever any member changes. */
	ctag?: string;
};

/** A member's href (not the collection itself), absolute. */
function memberHref(response: DAVResponse, base: string): string | undefined {
	if (response.href === undefined) {
		return undefined;
	}

	const href = new URL(response.href, base).href;
	return href === base || `${href}/` === base ? undefined : href;
}

/**
 * One sync-collection REPORT (RFC 6578 §3.2) at depth 1, asking for each changed member's ETag and, to save a
 * second request, its calendar data (servers that leave the data out are asked with calendar-multiget after).
 * @param token The token of the last sync; '' for the first (RFC 6578 §3.4: the empty element lists every member).
 */
export async function syncCollection(connection: Connection, calendarUrl: string, token: string, call: CallOptions = {}): Promise<SyncCollectionResult> {
	const url = collectionUrl(calendarUrl);
	const target = {method: 'REPORT', url};
	const {value, response} = await report(connection, url, 'd:sync-collection', {
		'd:sync-token': token === '' ? {} : {_text: token},
		'd:sync-level': {_text: '1'},
		'd:prop': {'d:getetag': {}, 'c:calendar-data': {}},
	}, call);
	if ((response.status === 403 || response.status === 409) && token !== '') {
		const raw = value[0]?.raw;
		const body = typeof raw === 'string' ? raw : JSON.stringify(raw ?? '');
		if (/valid-?sync-?token/i.test(body)) {
			return {kind: 'token-expired'};
		}
	}

	const entries = multistatus(value, {...target, status: response.status});
	const rawRoot = (value[0]?.raw as {multistatus?: {syncToken?: unknown}} | undefined)?.multistatus;
	const next = textOf(rawRoot?.syncToken);
	if (next === undefined) {
		throw errorForStatus({...target, status: 502}, 'the sync-collection answer carries no sync-token');
	}

	const base = response.url || url;
	const changed: ChangedObject[] = [];
	const removed: string[] = [];
	for (const entry of entries) {
		const href = memberHref(entry, base);
		if (!href) {
			continue;
		}

		if (entry.status === 404) {
			removed.push(href);
			continue;
		}

		const event = eventIn(entry, base);
		const etag = event?.etag ?? textOf(entry.props?.getetag)?.trim();
		if (etag) {
			changed.push(event ? {href, etag, ics: event.ics} : {href, etag});
		}
	}

	return {kind: 'changes', token: next, changed, removed};
}

/** One PROPFIND at depth 0 for the calendar's sync-token and ctag: what `watch` needs to choose how to watch. */
export async function collectionState(connection: Connection, calendarUrl: string, call: CallOptions = {}): Promise<CollectionState> {
	const url = collectionUrl(calendarUrl);
	const {responses: entries} = await propfindAt(connection, url, {'d:sync-token': {}, 'cs:getctag': {_attributes: {'xmlns:cs': 'http://calendarserver.org/ns/'}}}, '0', call);
	const own = responseFor(entries, url) ?? entries[0];
	const syncToken = textOf(own?.props?.syncToken)?.trim();
	const ctag = textOf(own?.props?.getctag)?.trim();
	return {...(syncToken ? {syncToken} : {}), ...(ctag ? {ctag} : {})};
}
