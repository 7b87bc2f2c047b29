/**
 * The user's address books on the same DAV server as the calendars (Purelymail serves CardDAV beside CalDAV):
 * discovered as calendars are (current-user-principal, then RFC 6352 §7.1.1 addressbook-home-set, then the
 * collections whose resourcetype is addressbook, §5.2), and read with tsdav's vCard calls: one addressbook-query
 * for every card's ETag, then an addressbook-multiget (tsdav's fetchVCards) for the cards that are new or changed.
 */
import ICAL from 'ical.js';
import {addressBookQuery, fetchVCards} from 'tsdav';
import {findPrincipal, propfindAt} from '../caldav/discover.ts';
import {CaldavBadResponse} from '../caldav/errors.ts';
import {absoluteUrl, openConnection, send, type Connection} from '../caldav/request.ts';
import {defaultServerUrl, type CallOptions, type CaldavClientOptions} from '../caldav/types.ts';
import {childNames, hrefIn, responseFor, textOf} from '../caldav/xml.ts';
import {normalizeAddress} from '../address.ts';
import type {ContactCard, ContactsCopy} from './types.ts';

async function addressBookHome(connection: Connection, principalUrl: string, call: CallOptions): Promise<string | undefined> {
	const {responses, base} = await propfindAt(connection, principalUrl, {'card:addressbook-home-set': {}}, '0', call);
	const href = hrefIn((responseFor(responses, principalUrl) ?? responses[0])?.props?.addressbookHomeSet);
	return href ? new URL(href, base).href : undefined;
}

/** The address book URLs of the account (none when the server names no addressbook-home-set). */
export async function discoverAddressBooks(connection: Connection, serverUrl: string, call: CallOptions): Promise<string[]> {
	const principalUrl = await findPrincipal(connection, serverUrl, call);
	const home = await addressBookHome(connection, principalUrl, call);
	if (!home) {
		return [];
	}

	const {responses, base} = await propfindAt(connection, home, {'d:resourcetype': {}}, '1', call);
	return responses
		.filter(response => response.href && childNames(response.props?.resourcetype).includes('addressbook'))
		.map(response => {
			const url = new URL(response.href!, base);
			if (!url.pathname.endsWith('/')) {
				url.pathname += '/';
			}

			return url.href;
		});
}

/** Every EMAIL of a vCard (RFC 6350 §6.4.2), normalised; a card that does not parse has none. */
export function vcardEmails(text: string): string[] {
	try {
		const parsed = ICAL.parse(text) as unknown[];
		// One vCard parses to ['vcard', …]; several to a list of those.
		const cards = Array.isArray(parsed[0]) ? parsed : [parsed];
		return cards.flatMap(card => new ICAL.Component(card as unknown[]).getAllProperties('email'))
			.map(property => normalizeAddress(String(property.getFirstValue())))
			.filter(address => address.includes('@'));
	} catch {
		return [];
	}
}

/** The ETag of every card in a book, by absolute href. */
async function cardEtags(connection: Connection, bookUrl: string, call: CallOptions): Promise<Map<string, string>> {
	const {value} = await send(connection, {method: 'REPORT', url: bookUrl}, call, async fetchWithAuth => addressBookQuery({
		url: bookUrl, props: {'d:getetag': {}}, depth: '1', fetch: fetchWithAuth,
	}));
	const etags = new Map<string, string>();
	for (const response of value) {
		if (response.status !== undefined && response.status >= 300) {
			throw new CaldavBadResponse(`REPORT ${bookUrl} answered ${response.status} for ${response.href ?? 'a card'}`, {method: 'REPORT', url: bookUrl, status: response.status});
		}

		const etag = textOf(response.props?.getetag);
		const href = response.href ? new URL(response.href, bookUrl).href : undefined;
		if (href && etag && href !== bookUrl) {
			etags.set(href, etag);
		}
	}

	return etags;
}

/**
 * Brings the copy up to date: cards whose ETag did not change are not downloaded again; cards gone from the
 * server are dropped; books gone are dropped.
 * @throws CaldavError (CaldavAuthFailed, CaldavUnavailable …) when the server cannot be read
 */
export async function syncAddressBooks(options: CaldavClientOptions & CallOptions & {serverUrl?: string; copy: ContactsCopy; now?: Date}): Promise<ContactsCopy> {
	const connection = openConnection(options);
	const call = {signal: options.signal};
	const serverUrl = absoluteUrl(options.serverUrl ?? defaultServerUrl, 'serverUrl').href;
	const books: ContactsCopy['books'] = {};
	for (const bookUrl of await discoverAddressBooks(connection, serverUrl, call)) {
		const previous = options.copy.books[bookUrl]?.cards ?? {};
		const etags = await cardEtags(connection, bookUrl, call);
		const cards: Record<string, ContactCard> = {};
		const changed: string[] = [];
		for (const [href, etag] of etags) {
			if (previous[href]?.etag === etag) {
				cards[href] = previous[href];
			} else {
				changed.push(href);
			}
		}

		if (changed.length > 0) {
			const {value} = await send(connection, {method: 'REPORT', url: bookUrl}, call, async fetchWithAuth => fetchVCards({
				addressBook: {url: bookUrl}, objectUrls: changed.map(href => new URL(href).pathname), fetch: fetchWithAuth,
			}));
			for (const card of value) {
				const href = new URL(card.url, bookUrl).href;
				cards[href] = {etag: card.etag ?? etags.get(href) ?? '', emails: vcardEmails(typeof card.data === 'string' ? card.data : '')};
			}
		}

		books[bookUrl] = {cards};
	}

	return {books, syncedAt: (options.now ?? new Date()).toISOString()};
}

/** Every address in the copy. */
export function contactAddresses(copy: ContactsCopy): Set<string> {
	return new Set(Object.values(copy.books).flatMap(book => Object.values(book.cards).flatMap(card => card.emails)));
}
