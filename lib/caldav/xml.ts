/**
 * Reading the properties tsdav parsed out of a 207 Multi-Status (RFC 4918 §13). Its parser strips namespace
 * prefixes, camel-cases names (`current-user-principal` → `currentUserPrincipal`) and turns text that looks like a
 * number or boolean into one (a calendar named "2024" arrives as 2024), so every reader here takes `unknown`.
 */
import type {DAVResponse} from 'tsdav';
import {CaldavBadResponse, errorForStatus} from './errors.ts';

/** The text of a parsed element: a string, number or boolean, `{_text}` or `{_cdata}`; undefined when empty. */
export function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') {
		return value.trim() === '' ? undefined : value;
	}

	if (typeof value === 'number' || typeof value === 'boolean') {
		return String(value);
	}

	if (typeof value === 'object' && value !== null) {
		const {_text: text, _cdata: cdata} = value as {_text?: unknown; _cdata?: unknown};
		return textOf(cdata) ?? textOf(text);
	}

	return undefined;
}

/** The first DAV:href inside a property such as current-user-principal or calendar-home-set (RFC 4918 §14.7). */
export function hrefIn(property: unknown): string | undefined {
	if (typeof property !== 'object' || property === null) {
		return undefined;
	}

	const {href} = property as {href?: unknown};
	const first: unknown = Array.isArray(href) ? href[0] : href;
	return textOf(first)?.trim();
}

/** Names of the child elements of a property such as resourcetype: `{calendar: {}, collection: {}}` → both. */
export function childNames(property: unknown): string[] {
	return typeof property === 'object' && property !== null ? Object.keys(property).filter(name => !name.startsWith('_')) : [];
}

/** The `name` attributes of C:comp elements in supported-calendar-component-set (RFC 4791 §5.2.3). */
export function componentNames(property: unknown): string[] {
	if (typeof property !== 'object' || property === null) {
		return [];
	}

	const {comp} = property as {comp?: unknown};
	const list: unknown[] = Array.isArray(comp) ? comp : (comp === undefined ? [] : [comp]);
	return list.flatMap(entry => {
		const name = (entry as {_attributes?: {name?: unknown}} | undefined)?._attributes?.name;
		return typeof name === 'string' ? [name.toUpperCase()] : [];
	});
}

/**
 * The responses of a Multi-Status answer, or the error for any other answer.
 * @throws {CaldavError} for a non-207 status (a 2xx other than 207 is a CaldavBadResponse)
 */
export function multistatus(responses: DAVResponse[], context: {method: string; url: string; status: number}): DAVResponse[] {
	if (context.status !== 207) {
		const raw = responses[0]?.raw;
		throw errorForStatus(context, typeof raw === 'string' ? raw : '');
	}

	// tsdav gives an empty multistatus as one entry with neither href nor props, and a 207 it could not parse as
	// XML (or whose root is not multistatus) as one entry with the request's URL as href and no props.
	const entries = responses.filter(response => response.href !== undefined || response.props !== undefined);
	if (entries.some(response => response.props === undefined)) {
		throw new CaldavBadResponse(`${context.method} ${context.url} answered 207 without a readable multistatus`, context);
	}

	return entries;
}

/** The response about `url` itself in a Multi-Status (hrefs are usually paths; compared after resolving). */
export function responseFor(responses: DAVResponse[], url: string): DAVResponse | undefined {
	const wanted = withoutTrailingSlash(url);
	return responses.find(response => response.href !== undefined && withoutTrailingSlash(new URL(response.href, url).href) === wanted);
}

function withoutTrailingSlash(url: string): string {
	return url.endsWith('/') ? url.slice(0, -1) : url;
}

/**
 * The event in one response of a calendar-multiget or calendar-query (RFC 4791 §7.8, §7.9): DAV:getetag and
 * C:calendar-data, or undefined when the response lacks either (a 404 for that href, a server that left one out).
 */
export function eventIn(response: DAVResponse, base: string): {href: string; etag: string; ics: string} | undefined {
	const etag = textOf(response.props?.getetag)?.trim();
	const ics = textOf(response.props?.calendarData);
	if (!response.ok || response.href === undefined || !etag || !ics) {
		return undefined;
	}

	return {href: new URL(response.href, base).href, etag, ics};
}
