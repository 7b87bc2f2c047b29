/**
 * One dead property of a collection (RFC 4918 §4: a property the server stores for the client and does not
 * interpret), read with PROPFIND Depth 0 (§9.1) and written with PROPPATCH (§9.2). Calendar apps ignore properties
 * in namespaces they do not know, so this is where the agent keeps its marker on the user's calendar (lib/agent
 * marker.ts) without adding anything the user sees. The value is text (the marker is JSON).
 */
import {davRequest, type DAVResponse} from 'tsdav';
import {propfindAt} from './discover.ts';
import {CaldavRejected} from './errors.ts';
import {absoluteUrl, openConnection, send} from './request.ts';
import type {CaldavClientOptions, CallOptions} from './types.ts';
import {multistatus, responseFor, textOf} from './xml.ts';

/** A property by XML namespace and local name, e.g. `{namespace: 'urn:x-purelymail-invites', name: 'agent'}`. */
export type DeadProperty = {namespace: string; name: string};

/** tsdav camel-cases the local names it parses (xml.ts); ours are single lowercase words, so the key is the name. */
function element(property: DeadProperty): string {
	if (!/^[a-z]+$/.test(property.name)) {
		throw new TypeError('a dead property here is one lowercase word');
	}

	return `x:${property.name}`;
}

/**
 * The property's text on the collection at `url`, or undefined when the collection has none (the server answers
 * 404 for that property inside the 207).
 * @throws {CaldavError} when the PROPFIND itself fails
 */
export async function readCollectionProperty(options: CaldavClientOptions, url: string, property: DeadProperty, call: CallOptions = {}): Promise<string | undefined> {
	const target = absoluteUrl(url, 'url').href;
	const name = element(property);
	const {responses} = await propfindAt(openConnection(options), target, {[name]: {_attributes: {'xmlns:x': property.namespace}}}, '0', call);
	const response = responseFor(responses, target) ?? responses[0];
	return textOf((response?.props as Record<string, unknown> | undefined)?.[property.name]);
}

/**
 * Sets the property's text on the collection at `url`.
 * @throws {CaldavRejected} when the server refuses to store it (a 207 whose propstat is not 200, or 403/405)
 * @throws {CaldavError} for any other failure
 */
export async function writeCollectionProperty(options: CaldavClientOptions, url: string, property: DeadProperty, value: string, call: CallOptions = {}): Promise<void> {
	const target = absoluteUrl(url, 'url').href;
	const name = element(property);
	const context = {method: 'PROPPATCH', url: target};
	const {value: responses, response} = await send(openConnection(options), context, call, async fetchWithAuth => davRequest({
		url: target,
		init: {
			method: 'PROPPATCH',
			namespace: 'd',
			body: {propertyupdate: {_attributes: {'xmlns:d': 'DAV:', 'xmlns:x': property.namespace}, set: {prop: {[name]: {_text: value}}}}},
		},
		fetch: fetchWithAuth,
	}) as Promise<DAVResponse[]>);
	const entries = multistatus(responses, {...context, status: response.status});
	// RFC 4918 §9.2.1: each property gets a propstat with its own status, and only 200 means it was stored. tsdav
	// merges the propstats' props and drops their statuses, so they are read from the parsed body it keeps (`raw`).
	const statuses = propstatStatuses(entries[0]?.raw);
	const refused = statuses.find(status => status !== 200);
	if (statuses.length === 0 || refused !== undefined) {
		throw new CaldavRejected(`PROPPATCH ${target}: the server did not store ${property.name} (${refused ?? 'no status'})`, {...context, status: refused ?? response.status});
	}
}

const asList = (value: unknown): unknown[] => Array.isArray(value) ? value : (value === undefined ? [] : [value]);

/** The HTTP status of every propstat in a parsed Multi-Status (`HTTP/1.1 200 OK` → 200). */
function propstatStatuses(raw: unknown): number[] {
	const multistatusBody = (raw as {multistatus?: {response?: unknown}} | undefined)?.multistatus;
	return asList(multistatusBody?.response).flatMap(entry => asList((entry as {propstat?: unknown}).propstat)).map(propstat => {
		const line = textOf((propstat as {status?: unknown}).status) ?? '';
		return Number(/^\S+\s(\d{3})/.exec(line)?.[1] ?? 0);
	});
}
