/**
 * Finding what changed in one calendar since the last tick, cheaply: one sync-collection REPORT (RFC 6578) with the
 * stored token where the server does WebDAV sync, else one PROPFIND for the ctag, and only when it moved, the
 * members' ETags and a calendar-multiget of the changed ones. A calendar where nothing changed costs one request.
 * A calendar seen for the first time gets a baseline: what it holds is shadowed, nothing is reported as changed.
 */
import {withBackoff, type ChangedObject, type CalendarEvent} from '../caldav/index.ts';
import {uidOf} from '../ical-lines.ts';
import type {CalendarWatch, SchedulingDeps, Shadow} from './types.ts';

/** One changed calendar object: the shadow we had (if any) and the object now (undefined: deleted). */
export type ObjectChange = {href: string; before?: Shadow; after?: {etag: string; ics: string}};

export type WatchResult = {
	/** The state to store once every change below is dealt with (`token`/`ctag` advanced). */
	next: CalendarWatch;
	changes: ObjectChange[];
	baseline: boolean;
};

/** calendar-multiget in batches, so that one answer stays a reasonable size. */
const multigetBatch = 100;

type Deps = Pick<SchedulingDeps, 'caldav' | 'signal' | 'backoff'>;

async function retried<T>(deps: Deps, work: () => Promise<T>): Promise<T> {
	return withBackoff(work, {...deps.backoff, signal: deps.signal});
}

/** The data of every object: what the server sent along, the rest read with calendar-multiget. */
async function withData(deps: Deps, calendarUrl: string, objects: readonly ChangedObject[]): Promise<CalendarEvent[]> {
	const complete = objects.filter((object): object is CalendarEvent => object.ics !== undefined);
	const missing = objects.filter(object => object.ics === undefined).map(object => object.href);
	for (let index = 0; index < missing.length; index += multigetBatch) {
		const batch = missing.slice(index, index + multigetBatch);
		complete.push(...await retried(deps, async () => deps.caldav.readEvents(calendarUrl, batch, {signal: deps.signal})));
	}

	return complete;
}

/**
 * @param isRelevant Whether an object is worth a shadow (the user organizes or attends it).
 */
export async function watchCalendar(deps: Deps, calendarUrl: string, previous: CalendarWatch | undefined, isRelevant: (ics: string) => boolean): Promise<WatchResult> {
	const call = {signal: deps.signal};
	if (!previous) {
		return baseline(deps, calendarUrl, isRelevant);
	}

	if (previous.mode === 'sync') {
		const result = await retried(deps, async () => deps.caldav.syncCollection(calendarUrl, previous.token ?? '', call));
		if (result.kind === 'token-expired') {
			// RFC 6578 §3.2: start over with the empty token; what is missing from the full listing was deleted.
			const full = await retried(deps, async () => deps.caldav.syncCollection(calendarUrl, '', call));
			if (full.kind !== 'changes') {
				throw new Error(`${calendarUrl}: the server refused even the empty sync-token`);
			}

			const present = new Set(full.changed.map(object => object.href));
			const removed = Object.keys(previous.shadows).filter(href => !present.has(href));
			const changed = full.changed.filter(object => previous.shadows[object.href]?.etag !== object.etag);
			return {next: {...previous, token: full.token}, changes: await changesOf(deps, calendarUrl, previous, changed, removed), baseline: false};
		}

		return {next: {...previous, token: result.token}, changes: await changesOf(deps, calendarUrl, previous, result.changed, result.removed), baseline: false};
	}

	const state = await retried(deps, async () => deps.caldav.collectionState(calendarUrl, call));
	if (state.ctag !== undefined && state.ctag === previous.ctag) {
		return {next: previous, changes: [], baseline: false};
	}

	const listed = await retried(deps, async () => deps.caldav.listEvents(calendarUrl, call));
	const known = previous.etags ?? {};
	const present = new Set(listed.map(object => object.href));
	const changed = listed.filter(object => known[object.href] !== object.etag);
	const removed = Object.keys(known).filter(href => !present.has(href));
	const etags = Object.fromEntries(listed.map(object => [object.href, object.etag]));
	return {next: {...previous, ...(state.ctag === undefined ? {} : {ctag: state.ctag}), etags}, changes: await changesOf(deps, calendarUrl, previous, changed, removed), baseline: false};
}

async function changesOf(deps: Deps, calendarUrl: string, previous: CalendarWatch, changed: readonly ChangedObject[], removed: readonly string[]): Promise<ObjectChange[]> {
	// An ETag we already shadow is no change (our own write-back, or the same sync reported twice).
	const fresh = changed.filter(object => previous.shadows[object.href]?.etag !== object.etag);
	const read = await withData(deps, calendarUrl, fresh);
	const changes: ObjectChange[] = read.map(event => {
		const before = previous.shadows[event.href];
		return {href: event.href, ...(before ? {before} : {}), after: {etag: event.etag, ics: event.ics}};
	});
	for (const href of removed) {
		const before = previous.shadows[href];
		if (before) {
			changes.push({href, before});
		}
	}

	return changes;
}

async function baseline(deps: Deps, calendarUrl: string, isRelevant: (ics: string) => boolean): Promise<WatchResult> {
	const call = {signal: deps.signal};
	const state = await retried(deps, async () => deps.caldav.collectionState(calendarUrl, call));
	const shadowsOf = (events: readonly CalendarEvent[]): Record<string, Shadow> => Object.fromEntries(events
		.filter(event => isRelevant(event.ics))
		.map(event => [event.href, {uid: uidOf(event.ics) ?? '', etag: event.etag, ics: event.ics}]));
	if (state.syncToken !== undefined) {
		const full = await retried(deps, async () => deps.caldav.syncCollection(calendarUrl, '', call));
		if (full.kind === 'changes') {
			const events = await withData(deps, calendarUrl, full.changed);
			return {next: {mode: 'sync', token: full.token, shadows: shadowsOf(events)}, changes: [], baseline: true};
		}
	}

	const listed = await retried(deps, async () => deps.caldav.listEvents(calendarUrl, call));
	const events = await withData(deps, calendarUrl, listed);
	return {
		next: {mode: 'ctag', ...(state.ctag === undefined ? {} : {ctag: state.ctag}), etags: Object.fromEntries(listed.map(object => [object.href, object.etag])), shadows: shadowsOf(events)},
		changes: [],
		baseline: true,
	};
}
