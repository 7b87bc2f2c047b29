/**
 * The requests against a fake fetch: what goes out (XML bodies, headers) and how answers that Radicale never gives
 * are read — Purelymail-shaped paths, odd property values, no ETag on GET, non-XML, no answer at all.
 */
import {describe, expect, test} from 'vitest';
import {
	CaldavBadResponse, CaldavError, CaldavInvalidObject, CaldavUnavailable, createCaldavClient, discoverCalendars,
} from '../../../lib/caldav/index.ts';

type Seen = {method: string; url: string; headers: Headers; body: string};
type Handler = (request: Seen) => Response | Promise<Response>;

/** A fetch answering from `handler`, recording every request with its body. */
function fakeFetch(handler: Handler): {fetch: typeof fetch; seen: Seen[]} {
	const seen: Seen[] = [];
	return {
		seen,
		async fetch(input, init) {
			const request = {method: init?.method ?? 'GET', url: String(input), headers: new Headers(init?.headers), body: typeof init?.body === 'string' ? init.body : ''};
			seen.push(request);
			return handler(request);
		},
	};
}

function multistatus(...responses: string[]): Response {
	return new Response(`<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus xmlns:d="DAV:" xmlns:cal="urn:ietf:params:xml:ns:caldav" xmlns:x1="http://apple.com/ns/ical/">${responses.join('')}</d:multistatus>`, {
		status: 207, headers: {'content-type': 'application/xml; charset=utf-8'},
	});
}

function ok(href: string, prop: string): string {
	return `<d:response><d:href>${href}</d:href><d:propstat><d:prop>${prop}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
}

const server = 'https://purelymail.com/webdav/';
const account = {username: 'me@example.com', password: 'secret'};
const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:a&b<c>@example.com\r\nDTSTAMP:20260101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

/** Purelymail's layout: principal /webdav/<id>/, calendars under /webdav/<id>/caldav/. */
const purelymail: Handler = request => {
	const depth = request.headers.get('depth');
	if (request.url === server) {
		return multistatus(ok('/webdav/', '<d:current-user-principal><d:href>/webdav/abc123/</d:href></d:current-user-principal>'));
	}

	if (request.url === `${server}abc123/`) {
		return multistatus(ok('/webdav/abc123/', '<cal:calendar-home-set><d:href>/webdav/abc123/caldav/</d:href></cal:calendar-home-set>'));
	}

	if (request.url === `${server}abc123/caldav/` && depth === '1') {
		return multistatus(
			ok('/webdav/abc123/caldav/', '<d:resourcetype><d:collection/></d:resourcetype><d:displayname>Home</d:displayname>'),
			ok('/webdav/abc123/caldav/default/', '<d:resourcetype><d:collection/><cal:calendar/></d:resourcetype><d:displayname>Personal</d:displayname><x1:calendar-color>#FF0000FF</x1:calendar-color><cal:supported-calendar-component-set><cal:comp name="VEVENT"/><cal:comp name="VTODO"/></cal:supported-calendar-component-set>'),
			ok('/webdav/abc123/caldav/tasks/', '<d:resourcetype><d:collection/><cal:calendar/></d:resourcetype><d:displayname>Tasks</d:displayname><cal:supported-calendar-component-set><cal:comp name="VTODO"/></cal:supported-calendar-component-set>'),
			ok('/webdav/abc123/caldav/2024/', '<d:resourcetype><d:collection/><cal:calendar/></d:resourcetype><d:displayname>2024</d:displayname>'),
			ok('/webdav/abc123/caldav/no%20name', '<d:resourcetype><d:collection/><cal:calendar/></d:resourcetype>'),
			ok('/webdav/abc123/caldav/cdata/', '<d:resourcetype><d:collection/><cal:calendar/></d:resourcetype><d:displayname><![CDATA[Work & <Play>]]></d:displayname>'),
			ok('/webdav/abc123/caldav/inbox/', '<d:resourcetype><d:collection/><cal:schedule-inbox/></d:resourcetype>'),
		);
	}

	return new Response('not here', {status: 404});
};

describe('discoverCalendars, read from Purelymail-shaped answers', () => {
	test('principal, account id, home, and only the calendars that take events, in order', async () => {
		const {fetch, seen} = fakeFetch(purelymail);
		await expect(discoverCalendars({...account, fetch})).resolves.toEqual({
			principalUrl: `${server}abc123/`,
			accountId: 'abc123',
			homeUrl: `${server}abc123/caldav/`,
			calendars: [
				{name: 'Personal', url: `${server}abc123/caldav/default/`, color: '#FF0000FF'},
				// tsdav's parser turns "2024" into a number; it comes out as text again.
				{name: '2024', url: `${server}abc123/caldav/2024/`},
				{name: 'no name', url: `${server}abc123/caldav/no%20name/`},
				{name: 'Work & <Play>', url: `${server}abc123/caldav/cdata/`},
			],
		});
		expect(seen.map(request => request.url)).toEqual([server, `${server}abc123/`, `${server}abc123/caldav/`]);
	});

	test('the PROPFIND bodies ask for the right properties in the right namespaces', async () => {
		const {fetch, seen} = fakeFetch(purelymail);
		await discoverCalendars({...account, fetch});
		const [root, principal, home] = seen.map(request => request.body.replaceAll(/\s+/g, ' '));
		expect(root).toMatch(/<d:propfind [^>]*xmlns:d="DAV:"[^>]*> <d:prop> <d:current-user-principal\/> <\/d:prop> <\/d:propfind>/);
		expect(principal).toMatch(/xmlns:c="urn:ietf:params:xml:ns:caldav".*<c:calendar-home-set\/>/);
		expect(home).toMatch(/xmlns:ca="http:\/\/apple.com\/ns\/ical\/".*<d:resourcetype\/> <d:displayname\/> <ca:calendar-color\/> <c:supported-calendar-component-set\/>/);
		expect(seen.map(request => request.headers.get('depth'))).toEqual(['0', '0', '1']);
	});

	test('a 207 that is not XML is CaldavBadResponse', async () => {
		const {fetch} = fakeFetch(() => new Response('<html>maintenance</html>', {status: 207, headers: {'content-type': 'text/html'}}));
		await expect(discoverCalendars({...account, fetch})).rejects.toBeInstanceOf(CaldavBadResponse);
	});

	test('a principal without calendar-home-set is CaldavBadResponse', async () => {
		const {fetch} = fakeFetch(request => request.url === server ? purelymail(request) : multistatus(ok('/webdav/abc123/', '<d:displayname>x</d:displayname>')));
		await expect(discoverCalendars({...account, fetch})).rejects.toMatchObject({name: 'CaldavBadResponse', message: expect.stringContaining('calendar-home-set')});
	});

	test('no principal at the server URL nor at /.well-known/caldav is CaldavNotFound', async () => {
		const {fetch, seen} = fakeFetch(() => new Response('nope', {status: 404}));
		await expect(discoverCalendars({...account, serverUrl: 'https://example.com/dav/', fetch})).rejects.toMatchObject({name: 'CaldavNotFound'});
		expect(seen.map(request => request.url)).toEqual(['https://example.com/dav/', 'https://example.com/.well-known/caldav']);
	});

	test.each([
		[{serverUrl: 'purelymail.com'}], [{serverUrl: 'ftp://purelymail.com/'}], [{username: ''}], [{timeoutMs: 0}],
	])('refuses %j before any request', async options => {
		const {fetch, seen} = fakeFetch(purelymail);
		await expect(discoverCalendars({...account, ...options, fetch})).rejects.toThrow(TypeError);
		expect(seen).toEqual([]);
	});
});

describe('no answer', () => {
	const href = `${server}abc123/caldav/default/e.ics`;

	test('a network failure is CaldavUnavailable with status 0 and the cause kept', async () => {
		const cause = new TypeError('fetch failed');
		const client = createCaldavClient({...account, fetch: fakeFetch(() => {
			throw cause;
		}).fetch});
		const failure = await client.readEvent(href).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(CaldavUnavailable);
		expect(failure).toMatchObject({status: 0, method: 'GET', url: href, cause});
	});

	test('no answer within timeoutMs is CaldavUnavailable', async () => {
		const hanging: typeof fetch = async (_input, init) => new Promise((_resolve, reject) => {
			init?.signal?.addEventListener('abort', () => {
				reject(init.signal!.reason as Error);
			});
		});
		const client = createCaldavClient({...account, fetch: hanging, timeoutMs: 20});
		await expect(client.readEvent(href)).rejects.toMatchObject({name: 'CaldavUnavailable', status: 0, message: expect.stringContaining('no answer within 20 ms')});
	});

	test('the caller aborting rejects with its reason, never a CaldavError', async () => {
		const controller = new AbortController();
		const reason = new Error('tick cancelled');
		const hanging: typeof fetch = async (_input, init) => new Promise((_resolve, reject) => {
			init?.signal?.addEventListener('abort', () => {
				reject(init.signal!.reason as Error);
			});
			controller.abort(reason);
		});
		const failure = await createCaldavClient({...account, fetch: hanging}).readEvent(href, {signal: controller.signal}).catch((error: unknown) => error);
		expect(failure).toBe(reason);
		expect(failure).not.toBeInstanceOf(CaldavError);
	});

	test('every request says no-store and omits cookies (a cached GET would hand back a stale ETag)', async () => {
		const inits: RequestInit[] = [];
		const client = createCaldavClient({...account, fetch: async (_input, init) => {
			inits.push(init ?? {});
			return new Response(ics, {status: 200, headers: {etag: '"1"'}});
		}});
		await client.readEvent(href);
		expect(inits[0]).toMatchObject({cache: 'no-store', credentials: 'omit'});
		expect(new Headers(inits[0]!.headers).get('authorization')).toBe('Basic bWVAZXhhbXBsZS5jb206c2VjcmV0');
	});
});

describe('events, read from answers Radicale never gives', () => {
	const calendarUrl = `${server}abc123/caldav/default/`;
	const href = `${calendarUrl}e.ics`;

	test('a GET without ETag is read again by calendar-multiget, which gives text and ETag together', async () => {
		const {fetch, seen} = fakeFetch(request => request.method === 'GET'
			? new Response(ics, {status: 200, headers: {'content-type': 'text/calendar'}})
			: multistatus(ok('/webdav/abc123/caldav/default/e.ics', `<d:getetag>"v7"</d:getetag><cal:calendar-data>${ics.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</cal:calendar-data>`)));
		const event = await createCaldavClient({...account, fetch}).readEvent(href);
		expect(event).toEqual({href, etag: '"v7"', ics: ics.trim()});
		expect(seen.map(request => `${request.method} ${request.url} ${request.headers.get('depth')}`)).toEqual([`GET ${href} null`, `REPORT ${calendarUrl} 1`]);
		expect(seen[1]!.body.replaceAll(/\s+/g, ' ')).toMatch(/<c:calendar-multiget [^>]*> <d:prop> <d:getetag\/> <c:calendar-data\/> <\/d:prop> <d:href>\/webdav\/abc123\/caldav\/default\/e.ics<\/d:href> <\/c:calendar-multiget>/);
	});

	test('a GET answered with something that is not iCalendar (a login page) is CaldavBadResponse', async () => {
		const {fetch} = fakeFetch(() => new Response('<html>Please log in</html>', {status: 200, headers: {etag: '"x"'}}));
		await expect(createCaldavClient({...account, fetch}).readEvent(href)).rejects.toBeInstanceOf(CaldavBadResponse);
	});

	test('findEventByUid escapes the UID in its calendar-query and compares it octet by octet', async () => {
		const {fetch, seen} = fakeFetch(() => multistatus(ok('/webdav/abc123/caldav/default/x.ics', `<d:getetag>"v1"</d:getetag><cal:calendar-data><![CDATA[${ics}]]></cal:calendar-data>`)));
		const found = await createCaldavClient({...account, fetch}).findEventByUid(calendarUrl, 'a&b<c>@example.com');
		expect(found).toEqual({href: `${calendarUrl}x.ics`, etag: '"v1"', ics: ics.trim(), foundBy: 'search'});
		const body = seen[0]!.body.replaceAll(/\s+/g, ' ');
		expect(body).toContain('<c:comp-filter name="VCALENDAR"> <c:comp-filter name="VEVENT"> <c:prop-filter name="UID"> <c:text-match collation="i;octet">a&amp;b&lt;c&gt;@example.com</c:text-match>');
		expect(body).toMatch(/<d:prop> <d:getetag\/> <c:calendar-data\/> <\/d:prop>/);
	});

	test('an empty calendar-query answer is "not found", not an error', async () => {
		const {fetch} = fakeFetch(() => multistatus());
		await expect(createCaldavClient({...account, fetch}).findEventByUid(calendarUrl, 'missing')).resolves.toBeUndefined();
	});

	test.each([[''], ['   ']])('update and delete refuse the ETag %j: tsdav would drop If-Match and overwrite blindly', async etag => {
		const {fetch, seen} = fakeFetch(() => new Response(null, {status: 204}));
		const client = createCaldavClient({...account, fetch});
		await expect(client.updateEvent(href, ics, etag)).rejects.toThrow(TypeError);
		await expect(client.deleteEvent(href, etag)).rejects.toThrow(TypeError);
		expect(seen).toEqual([]);
	});

	test('createEvent refuses text whose UID is not the one named, before any request', async () => {
		const {fetch, seen} = fakeFetch(() => new Response(null, {status: 201}));
		await expect(createCaldavClient({...account, fetch}).createEvent(calendarUrl, 'other@example.com', ics)).rejects.toBeInstanceOf(CaldavInvalidObject);
		expect(seen).toEqual([]);
	});

	test('a write without ETag in the answer says so (RFC 4791 §5.3.4)', async () => {
		const {fetch} = fakeFetch(() => new Response(null, {status: 201}));
		await expect(createCaldavClient({...account, fetch}).createEvent(calendarUrl, 'a&b<c>@example.com', ics)).resolves.toEqual({
			href: `${calendarUrl}a%26b%3Cc%3E%40example.com.ics`, etag: undefined,
		});
	});
});

describe('updateWithRetry, its own rules', () => {
	const href = `${server}abc123/caldav/default/e.ics`;
	const stored: Handler = request => request.method === 'GET'
		? new Response(ics, {status: 200, headers: {etag: '"1"'}})
		: new Response(null, {status: 204, headers: {etag: '"2"'}});

	test('giving back the text it was shown counts as unchanged: no PUT', async () => {
		const {fetch, seen} = fakeFetch(stored);
		await expect(createCaldavClient({...account, fetch}).updateWithRetry(href, current => ({ics: current}))).resolves.toMatchObject({status: 'unchanged', etag: '"1"', attempts: 1});
		expect(seen.map(request => request.method)).toEqual(['GET']);
	});

	test('a decision that is neither {ics} nor {unchanged: true} is a TypeError, and nothing is written', async () => {
		const {fetch, seen} = fakeFetch(stored);
		const client = createCaldavClient({...account, fetch});
		for (const decision of [undefined, {}, {unchanged: false}, {ics: 42}, {ics, unchanged: true}]) {
			await expect(client.updateWithRetry(href, () => decision as never)).rejects.toThrow(TypeError);
		}

		expect(seen.every(request => request.method === 'GET')).toBe(true);
	});

	test.each([[0], [2.5]])('refuses attempts: %d', async attempts => {
		const {fetch, seen} = fakeFetch(stored);
		await expect(createCaldavClient({...account, fetch}).updateWithRetry(href, () => ({unchanged: true}), {attempts})).rejects.toThrow(TypeError);
		expect(seen).toEqual([]);
	});

	test('the METHOD check holds for what decide returns too', async () => {
		const {fetch, seen} = fakeFetch(stored);
		const withMethod = ics.replace('VERSION:2.0', 'VERSION:2.0\r\nMETHOD:REPLY');
		await expect(createCaldavClient({...account, fetch}).updateWithRetry(href, () => ({ics: withMethod}))).rejects.toBeInstanceOf(CaldavInvalidObject);
		expect(seen.map(request => request.method)).toEqual(['GET']);
	});
});
