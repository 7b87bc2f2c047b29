/**
 * lib/caldav: the account's calendar on Purelymail's CalDAV server, on tsdav, with plain `fetch` (service worker
 * and Node alike). Discover once, then keep each event's href and ETag and work by href; search by UID only as a
 * fallback. Every failure is a `CaldavError` with a string `code`; see README.md in this folder.
 */
export {basicAuthorization} from './auth.ts';
export {createCaldavClient} from './client.ts';
export {eventFileName, eventHref} from './calendar-objects.ts';
export {discoverCalendars} from './discover.ts';
export {
	CaldavAuthFailed,
	CaldavBadResponse,
	CaldavConflict,
	CaldavError,
	CaldavInvalidObject,
	CaldavNotFound,
	CaldavRejected,
	CaldavUidConflict,
	CaldavUnavailable,
	isRetryable,
} from './errors.ts';
export type {CaldavErrorCode} from './errors.ts';
export type {ChangedObject, CollectionState, SyncCollectionResult} from './sync-collection.ts';
export {withBackoff} from './retry.ts';
export {retrying} from './retrying.ts';
export type {RetryingCaldav} from './retrying.ts';
export {defaultServerUrl} from './types.ts';
export type {
	BackoffOptions,
	CalendarEvent,
	CalendarInfo,
	CaldavClient,
	CaldavClientOptions,
	CallOptions,
	WriteOptions,
	Decide,
	Decision,
	DiscoverOptions,
	EventTag,
	Discovery,
	FoundEvent,
	UpdateWithRetryOptions,
	UpdateWithRetryResult,
	WrittenEvent,
} from './types.ts';
