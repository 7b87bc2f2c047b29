/**
 * The REPORT requests of this folder (RFC 4791 §7.8 calendar-query, §7.9 calendar-multiget, RFC 6578 §3.2
 * sync-collection) share one set-up: Depth 1 on the calendar collection, a body in CalDAV's two namespaces, sent
 * through tsdav's `davRequest` with our authenticated fetch.
 */
import {davRequest, type DAVResponse} from 'tsdav';
import {absoluteUrl, send, type Connection, type Sent} from './request.ts';
import type {CallOptions} from './types.ts';

/**
 * `calendarUrl` as a collection URL: absolute, ending in `/` (RFC 4918 §5.2: a collection's URL ends in a slash).
 * @throws {TypeError} when it is not an absolute http(s) URL
 */
export function collectionUrl(calendarUrl: unknown): string {
	const url = absoluteUrl(calendarUrl, 'calendarUrl');
	if (!url.pathname.endsWith('/')) {
		url.pathname += '/';
	}

	return url.href;
}

/**
 * One REPORT at Depth 1 on `url`: `<root>` (e.g. `c:calendar-query`) holding `children` in tsdav's XML-as-object
 * form, with the DAV: (`d:`) and CalDAV (`c:`) namespaces declared. The answer as tsdav parsed it; read it with
 * `multistatus` (xml.ts).
 */
export async function report(connection: Connection, url: string, root: string, children: Record<string, unknown>, call: CallOptions): Promise<Sent<DAVResponse[]>> {
	return send(connection, {method: 'REPORT', url}, call, async fetchWithAuth => davRequest({
		url,
		init: {
			method: 'REPORT',
			headers: {depth: '1'},
			body: {[root]: {_attributes: {'xmlns:d': 'DAV:', 'xmlns:c': 'urn:ietf:params:xml:ns:caldav'}, ...children}},
		},
		fetch: fetchWithAuth,
	}));
}
