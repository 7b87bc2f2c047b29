/**
 * In-memory stand-ins for the reply loop's ports, for unit tests of the loop's own logic. The real relay,
 * CalDAV server and storage are exercised by the integration tests.
 */
import type {MessageOutcome, TrackedEvent} from '../../lib/model.ts';
import {CalendarPortError, type CalendarPort, type RelayPort, type ReplyLoopStore} from '../../lib/reply-loop/index.ts';
import type {RepliesCursor, ReplyMessage} from '../../lib/relay-client/types.ts';

export function replyMessage(uid: number, calendar: string, from: string, folder = 'INBOX'): ReplyMessage {
	return {
		folder,
		uid,
		seen: false,
		headers: {
			from: {name: '', address: from}, sender: null, to: [], subject: `Reply ${uid}`,
			messageId: `<m${uid}@test>`, date: null, authenticationResults: [],
		},
		calendarParts: [{part: '2', contentType: 'text/calendar', filename: null, encoding: 'utf-8', text: calendar}],
	};
}

/** A mailbox the relay reads: messages by UID; a poll returns those above the cursor. */
export function fakeRelay(messages: ReplyMessage[], uidValidity = '7'): RelayPort & {messages: ReplyMessage[]; down: boolean; polls: number} {
	const relay = {
		messages,
		down: false,
		polls: 0,
		async replies(request: {cursor?: RepliesCursor | undefined}): Promise<{messages: ReplyMessage[]; cursor: RepliesCursor; notices: []}> {
			relay.polls++;
			if (relay.down) {
				throw new Error('The relay is not running');
			}

			const after = request.cursor?.folders.INBOX?.highestUid ?? 0;
			const fresh = relay.messages.filter(message => message.uid > after);
			const highestUid = Math.max(after, ...relay.messages.map(message => message.uid));
			return {messages: fresh, cursor: {folders: {INBOX: {uidValidity, highestUid}}}, notices: []};
		},
	};
	return relay;
}

/** A CalDAV collection in memory with ETags and If-Match, and switches for failures. */
export function fakeCalendar(): CalendarPort & {
	objects: Map<string, {ics: string; etag: string}>;
	writes: number;
	reads: number;
	failNext: Array<'unavailable' | 'conflict-once' | 'rejected'>;
	concurrentEdit?: ((ics: string) => string) | undefined;
} {
	let version = 0;
	const calendar = {
		objects: new Map<string, {ics: string; etag: string}>(),
		writes: 0,
		reads: 0,
		failNext: [] as Array<'unavailable' | 'conflict-once' | 'rejected'>,
		concurrentEdit: undefined as ((ics: string) => string) | undefined,
		async update(href: string, decide: (ics: string) => {ics: string} | {unchanged: true}) {
			const failure = calendar.failNext.shift();
			if (failure === 'unavailable') {
				throw new CalendarPortError('unavailable', 'Calendar server answered 503');
			}

			if (failure === 'rejected') {
				throw new CalendarPortError('rejected', 'PUT /cal/x.ics answered 422');
			}

			for (let attempt = 0; attempt < 4; attempt++) {
				const current = calendar.objects.get(href);
				calendar.reads++;
				if (!current) {
					throw new CalendarPortError('not-found', `${href} is gone`);
				}

				const decision = decide(current.ics);
				if ('unchanged' in decision) {
					return {etag: current.etag, ics: current.ics, written: false};
				}

				if (failure === 'conflict-once' && attempt === 0 && calendar.concurrentEdit) {
					// Someone else writes between our read and our write: our If-Match fails (412).
					calendar.objects.set(href, {ics: calendar.concurrentEdit(current.ics), etag: `"v${++version}"`});
					continue;
				}

				const etag = `"v${++version}"`;
				calendar.objects.set(href, {ics: decision.ics, etag});
				calendar.writes++;
				return {etag, ics: decision.ics, written: true};
			}

			throw new CalendarPortError('conflict', 'kept changing');
		},
		async findByUid() {
			return null;
		},
	};
	return calendar;
}

export function memoryStore(events: TrackedEvent[]): ReplyLoopStore & {events: Record<string, TrackedEvent>; outcomes: MessageOutcome[]; cursor: RepliesCursor | null} {
	const store = {
		events: Object.fromEntries(events.map(event => [event.uid, event])),
		outcomes: [] as MessageOutcome[],
		cursor: null as RepliesCursor | null,
		async load() {
			return {
				cursor: store.cursor, events: structuredClone(store.events), doneKeys: new Set(store.outcomes.map(outcome => outcome.key)),
				parked: structuredClone(store.outcomes.filter(outcome => outcome.outcome === 'parked' && !outcome.dismissed)),
			};
		},
		async commit(update: {events: TrackedEvent[]; outcomes: MessageOutcome[]}) {
			for (const event of update.events) {
				store.events[event.uid] = event;
			}

			// As the real store does (mergeOutcomes): a later outcome for a key replaces the earlier one, in place order.
			const added = new Set(update.outcomes.map(outcome => outcome.key));
			store.outcomes = [...store.outcomes.filter(outcome => !added.has(outcome.key)), ...update.outcomes];
		},
		async saveCursor(cursor: RepliesCursor) {
			store.cursor = cursor;
		},
	};
	return store;
}
