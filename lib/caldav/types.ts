/**
 * Public types of lib/caldav. Every URL and href here is absolute (`https://purelymail.com/webdav/…`), so it can
 * be stored and used as is.
 */

import type {CollectionState, SyncCollectionResult} from './sync-collection.ts';

/** Purelymail's CalDAV root, where discovery starts unless told otherwise. */
export const defaultServerUrl = 'https://purelymail.com/webdav/';

/** Who we are and how we talk to the server; one per account. */
export type CaldavClientOptions = {
	/** Login name; on Purelymail the full e-mail address. */
	username: string;
	/** Any Unicode is fine: the Basic header is built from UTF-8 (see auth.ts). */
	password: string;
	/** Defaults to the global `fetch` (service worker and Node alike); tests pass a recording one. */
	fetch?: typeof fetch;
	/** Give up on one request after this many ms; it then fails with `CaldavUnavailable`. Default 30 000. */
	timeoutMs?: number;
};

/** Per-call options. */
export type CallOptions = {
	/** Aborting rejects with the signal's reason (not a `CaldavError`), at once. */
	signal?: AbortSignal | undefined;
};

/** A write's options: `mailed: false` for a version whose mail is not sent yet (see calendar-objects.ts). */
export type WriteOptions = CallOptions & {mailed?: boolean};

export type DiscoverOptions = CaldavClientOptions & CallOptions & {
	/** Where to start: the CalDAV root or just the site (then RFC 6764 §5's `/.well-known/caldav` is tried). Default `defaultServerUrl`. */
	serverUrl?: string;
};

/** One calendar that can hold events. */
export type CalendarInfo = {
	/** DAV:displayname, or the last path segment when the server has none. */
	name: string;
	/** Absolute URL of the calendar collection, ending in `/`; pass it to `createEvent`. */
	url: string;
	/** Apple's calendar-color as the server gives it (`#rrggbb` or `#rrggbbaa`); missing when none is set. */
	color?: string;
};

/** What `discoverCalendars` found. */
export type Discovery = {
	/** The principal (RFC 5397 current-user-principal), e.g. `https://purelymail.com/webdav/<id>/`. */
	principalUrl: string;
	/** The account id: the principal's last path segment (`<id>` above). */
	accountId: string;
	/** The calendar home (RFC 4791 §6.2.1 calendar-home-set). */
	homeUrl: string;
	/** Calendars that accept VEVENTs, in the server's order; the first is the default. Empty when there is none. */
	calendars: CalendarInfo[];
};

/** Where an event was written. */
export type WrittenEvent = {
	/** Absolute URL of the calendar object resource. */
	href: string;
	/**
	 * The new ETag, when the server sent one. RFC 4791 §5.3.4 lets a server that changed the data on the way in
	 * leave it out; then read the event before the next conditional write.
	 */
	etag: string | undefined;
};

/** An event as stored on the server. */
export type CalendarEvent = {
	/** Absolute URL of the calendar object resource. */
	href: string;
	/** Strong ETag to send back in `If-Match`, quotes included. */
	etag: string;
	/** The iCalendar text as the server returned it (it may reorder properties or change line endings). */
	ics: string;
};

/**
 * An event found by `findEventByUid`'s calendar-query. Only a fallback for when the stored href is gone: Purelymail's
 * search lags minutes behind writes, so a miss does not prove the event does not exist.
 */
export type FoundEvent = CalendarEvent & {foundBy: 'search'};

/** Where an event is and which version: what `listEvents` gives for each event of a calendar. */
export type EventTag = {href: string; etag: string};

/** What `decide` wants done with the event it was shown. */
export type Decision = {ics: string} | {unchanged: true};

/**
 * Turns the current event into the new one. Called again, with the fresh event, after every 412, so it must decide
 * from its arguments alone (the same reply applied to whatever the event now is).
 */
export type Decide = (ics: string, etag: string) => Decision | Promise<Decision>;

export type UpdateWithRetryOptions = CallOptions & {
	/** Read-decide-write rounds before giving up with `CaldavConflict`. Default 4. */
	attempts?: number;
};

export type UpdateWithRetryResult =
	| {
		status: 'updated';
		href: string;
		/** The new ETag, when the server sent one (see `WrittenEvent`). */
		etag: string | undefined;
		/** What was written. */
		ics: string;
		/** Rounds used, 1 when no one else wrote in between. */
		attempts: number;
	}
	| {
		/** `decide` said `unchanged` (or gave back the very same text): nothing was written. */
		status: 'unchanged';
		href: string;
		etag: string;
		/** The event as read. */
		ics: string;
		attempts: number;
	};

export type BackoffOptions = {
	/** Calls in all, the first included. Default 4. */
	attempts?: number;
	/** Wait before the 2nd call; doubled for each later one. Default 500 ms (so 0.5, 1, 2 s). */
	baseMs?: number;
	/** No single wait is longer. Default 8 000 ms. */
	maxMs?: number;
	/** Aborting stops the waiting at once and rejects with the signal's reason. */
	signal?: AbortSignal | undefined;
};

/** One account's event operations; see createCaldavClient in client.ts. */
export type CaldavClient = {
	/**
	 * PUT a new event at `<calendarUrl><uid>.ics` with `If-None-Match: *` (RFC 4791 §5.3.2).
	 * @throws {CaldavConflict} when something is already stored there
	 * @throws {CaldavUidConflict} when the calendar holds this UID under another name
	 * @throws {CaldavInvalidObject} before any request, when `ics` has a METHOD, no VCALENDAR, or another UID
	 */
	createEvent(calendarUrl: string, uid: string, ics: string, call?: WriteOptions): Promise<WrittenEvent>;
	/**
	 * GET the event with its ETag.
	 * @throws {CaldavNotFound} when nothing is stored at `href`
	 */
	readEvent(href: string, call?: CallOptions): Promise<CalendarEvent>;
	/**
	 * PUT `ics` over the event only if it still has `etag` (`If-Match`, RFC 7232 §3.1).
	 * @throws {CaldavConflict} when the event changed (or was deleted) since that ETag
	 * @throws {CaldavInvalidObject} before any request, when `ics` has a METHOD or no VCALENDAR
	 */
	updateEvent(href: string, ics: string, etag: string, call?: WriteOptions): Promise<WrittenEvent>;
	/**
	 * DELETE the event only if it still has `etag`.
	 * @throws {CaldavConflict} when it changed since; {CaldavNotFound} when it is already gone
	 */
	deleteEvent(href: string, etag: string, call?: CallOptions): Promise<void>;
	/**
	 * Fallback only, for when a stored href is gone: a calendar-query REPORT by UID (RFC 4791 §7.8.6).
	 * @returns the event, marked `foundBy: 'search'`, or undefined when the search has nothing (which, on
	 * Purelymail, may only mean the index has not caught up)
	 */
	findEventByUid(calendarUrl: string, uid: string, call?: CallOptions): Promise<FoundEvent | undefined>;
	/**
	 * Every event of the calendar as href and ETag: a calendar-query REPORT for VEVENTs, ETags only (RFC 4791 §7.8).
	 * @throws {CaldavNotFound} when the calendar itself is gone
	 */
	listEvents(calendarUrl: string, call?: CallOptions): Promise<EventTag[]>;
	/** The events at these hrefs with their ETags, by calendar-multiget (RFC 4791 §7.9); hrefs gone are left out. */
	readEvents(calendarUrl: string, hrefs: readonly string[], call?: CallOptions): Promise<CalendarEvent[]>;
	/**
	 * Read, `decide`, write with `If-Match`; on 412 read again and decide again, up to `attempts` rounds.
	 * @throws {CaldavConflict} with `attempts` set when every round lost the race
	 */
	updateWithRetry(href: string, decide: Decide, options?: UpdateWithRetryOptions): Promise<UpdateWithRetryResult>;
	/**
	 * One sync-collection REPORT (RFC 6578 §3.2): what changed since `token` ('' for everything), with the data.
	 * @returns `{kind: 'token-expired'}` when the server no longer knows the token
	 */
	syncCollection(calendarUrl: string, token: string, call?: CallOptions): Promise<SyncCollectionResult>;
	/** One PROPFIND at depth 0: the calendar's sync-token (RFC 6578 §4) and ctag, when it has them. */
	collectionState(calendarUrl: string, call?: CallOptions): Promise<CollectionState>;
};
