/**
 * Discovery: from a server URL to the account's calendars, in three PROPFINDs (RFC 4791 §7.1 and RFC 6764 §6):
 * current-user-principal at the root, calendar-home-set at the principal, the calendars in the home.
 *
 * Done with tsdav's `propfind` rather than its `createAccount`/`fetchCalendars`: those lose the HTTP status (a 500
 * from a busy server becomes "cannot find homeUrl", or an empty calendar list) and spend one more PROPFIND per
 * calendar on supported-report-set, each another chance of a 500.
 */
import {propfind, type DAVResponse} from 'tsdav';
import {CaldavBadResponse, CaldavNotFound, CaldavRejected} from './errors.ts';
import {absoluteUrl, openConnection, send, type Connection} from './request.ts';
import {defaultServerUrl, type CalendarInfo, type CallOptions, type DiscoverOptions, type Discovery} from './types.ts';
import {childNames, componentNames, hrefIn, multistatus, responseFor, textOf} from './xml.ts';

/** tsdav's XML-as-object form of a DAV:prop (xml-js compact), e.g. `{'d:displayname': {}}`. */
export type Props = Parameters<typeof propfind>[0]['props'];

/** One PROPFIND; the Multi-Status responses and the URL they came from (after redirects, for resolving hrefs). */
export async function propfindAt(connection: Connection, url: string, props: Props, depth: '0' | '1', call: CallOptions): Promise<{responses: DAVResponse[]; base: string}> {
	const {value, response} = await send(connection, {method: 'PROPFIND', url}, call, async fetchWithAuth => propfind({url, props, depth, fetch: fetchWithAuth}));
	return {responses: multistatus(value, {method: 'PROPFIND', url, status: response.status}), base: response.url || url};
}

/** The principal named by DAV:current-user-principal (RFC 5397 §3) at `url`, or undefined when it names none. */
async function principalAt(connection: Connection, url: string, call: CallOptions): Promise<string | undefined> {
	const {responses, base} = await propfindAt(connection, url, {'d:current-user-principal': {}}, '0', call);
	for (const response of responses) {
		const href = hrefIn(response.props?.currentUserPrincipal);
		if (href) {
			return new URL(href, base).href;
		}
	}

	return undefined;
}

/**
 * The principal URL: asked at the server URL, then (when that is not a CalDAV root, e.g. just the site) at
 * `/.well-known/caldav` (RFC 6764 §5), whose redirect fetch follows.
 */
export async function findPrincipal(connection: Connection, serverUrl: string, call: CallOptions): Promise<string> {
	try {
		const principal = await principalAt(connection, serverUrl, call);
		if (principal) {
			return principal;
		}
	} catch (error) {
		// 404 or 405 at a site root that is not the CalDAV root; anything else (401, 500…) is the answer.
		if (!(error instanceof CaldavNotFound || error instanceof CaldavRejected)) {
			throw error;
		}
	}

	const wellKnown = new URL('/.well-known/caldav', serverUrl).href;
	const principal = wellKnown === serverUrl ? undefined : await principalAt(connection, wellKnown, call).catch((error: unknown) => {
		if (error instanceof CaldavNotFound || error instanceof CaldavRejected) {
			return undefined;
		}

		throw error;
	});
	if (!principal) {
		throw new CaldavNotFound(`no CalDAV principal at ${serverUrl} nor at ${wellKnown}`, {method: 'PROPFIND', url: serverUrl, status: 404});
	}

	return principal;
}

/** The calendar home (RFC 4791 §6.2.1 calendar-home-set) of a principal. */
async function findHome(connection: Connection, principalUrl: string, call: CallOptions): Promise<string> {
	const {responses, base} = await propfindAt(connection, principalUrl, {'c:calendar-home-set': {}}, '0', call);
	const href = hrefIn((responseFor(responses, principalUrl) ?? responses[0])?.props?.calendarHomeSet);
	if (!href) {
		throw new CaldavBadResponse(`PROPFIND ${principalUrl} named no calendar-home-set`, {method: 'PROPFIND', url: principalUrl, status: 207});
	}

	return new URL(href, base).href;
}

/** The calendars in the home that can hold events: resourcetype calendar (RFC 4791 §4.2), VEVENT supported or no restriction (§5.2.3). */
async function listCalendars(connection: Connection, homeUrl: string, call: CallOptions): Promise<CalendarInfo[]> {
	const {responses, base} = await propfindAt(connection, homeUrl, {
		'd:resourcetype': {},
		'd:displayname': {},
		'ca:calendar-color': {},
		'c:supported-calendar-component-set': {},
	}, '1', call);
	const calendars: CalendarInfo[] = [];
	for (const response of responses) {
		const props = response.props ?? {};
		const components = componentNames(props.supportedCalendarComponentSet);
		if (!response.href || !childNames(props.resourcetype).includes('calendar') || (components.length > 0 && !components.includes('VEVENT'))) {
			continue;
		}

		const url = new URL(response.href, base);
		if (!url.pathname.endsWith('/')) {
			url.pathname += '/';
		}

		const lastSegment = decodeURIComponent(url.pathname.split('/').findLast(segment => segment !== '') ?? '');
		const color = textOf(props.calendarColor)?.trim();
		calendars.push({name: textOf(props.displayname) ?? lastSegment, url: url.href, ...(color ? {color} : {})});
	}

	return calendars;
}

/** The account id in a principal URL: its last path segment (`/webdav/<id>/` on Purelymail). */
function accountIdOf(principalUrl: string): string {
	const segments = new URL(principalUrl).pathname.split('/').filter(segment => segment !== '');
	return decodeURIComponent(segments.at(-1) ?? '');
}

/**
 * Finds the principal, account id, calendar home and calendars for one login. Three PROPFINDs (more when the server
 * URL is only the site and `/.well-known/caldav` has to be asked); wrap it in `withBackoff` for a busy server.
 * @throws {CaldavAuthFailed} wrong username or password; {CaldavUnavailable} no answer or 5xx (retryable);
 * {CaldavNotFound} no CalDAV server at that URL; {TypeError} bad options
 * @example
 * const {accountId, calendars} = await discoverCalendars({username: 'me@example.com', password});
 * const defaultCalendar = calendars[0];
 */
export async function discoverCalendars(options: DiscoverOptions): Promise<Discovery> {
	const connection = openConnection(options);
	const serverUrl = absoluteUrl(options.serverUrl ?? defaultServerUrl, 'serverUrl').href;
	const call = {signal: options.signal};
	const principalUrl = await findPrincipal(connection, serverUrl, call);
	const homeUrl = await findHome(connection, principalUrl, call);
	const calendars = await listCalendars(connection, homeUrl, call);
	return {principalUrl, accountId: accountIdOf(principalUrl), homeUrl, calendars};
}
