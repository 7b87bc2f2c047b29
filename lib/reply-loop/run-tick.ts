/**
 * One run of the reply loop: new calendar mail from the relay → the REPLY in each → applyReply against our
 * stored event → one CalDAV write per event → the outcome of each message → the cursor.
 *
 * Exactly once: a message's outcome is stored before the cursor moves past it, and applying a reply twice is
 * `unchanged` (lib/itip), so a tick cut short anywhere, a duplicate delivery or a replayed tick changes
 * nothing twice and loses nothing.
 */
import type {ApplyReplyResult} from '../itip/index.ts';
import type {MessageOutcome, MessageOutcomeKind, TrackedEvent} from '../model.ts';
import type {ReplyMessage, RepliesCursor, RepliesResponse} from '../relay-client/types.ts';
import {applyReplies, type PendingReply} from './apply-replies.ts';
import {eventFacts} from './event-facts.ts';
import {classifyMessage} from './classify-message.ts';
import {messageKey} from './message-key.ts';
import {CalendarPortError, type ReplyLoopDeps} from './ports.ts';

/** An answer applied in this tick, for the badge and the notifications. */
export type AppliedAnswer = {
	eventUid: string;
	summary: string;
	attendee: string;
	name?: string;
	partstat: string;
	comment?: string;
};

export type TickResult = {
	/** Messages the relay returned that had no stored outcome yet. */
	messages: number;
	outcomes: MessageOutcome[];
	answers: AppliedAnswer[];
	/** Events whose calendar object was written. */
	writes: number;
	/** Set when the relay could not be asked, or an event could not be reached; the work waits for the next tick. */
	error?: {kind: 'relay' | 'calendar'; message: string; cause?: unknown};
};

type Keyed = {key: string; message: ReplyMessage};

const priority: Record<MessageOutcomeKind, number> = {review: 5, applied: 4, unchanged: 3, ignored: 2, skipped: 1};

/** The most telling of a message's part outcomes (a mail rarely carries more than one calendar). */
function strongest(a: Omit<MessageOutcome, 'key' | 'recordedAt'>, b: Omit<MessageOutcome, 'key' | 'recordedAt'>): Omit<MessageOutcome, 'key' | 'recordedAt'> {
	return priority[b.outcome] > priority[a.outcome] ? b : a;
}

function headersOf(message: ReplyMessage): Pick<MessageOutcome, 'messageId' | 'from' | 'subject'> {
	return {messageId: message.headers.messageId, from: message.headers.from?.address ?? null, subject: message.headers.subject};
}

function keyed(response: RepliesResponse): Keyed[] {
	return response.messages.map(message => ({
		key: messageKey(message.folder, response.cursor.folders[message.folder]?.uidValidity ?? '0', message.uid),
		message,
	}));
}

/**
 * The cursor to store: the relay's, except that a folder stops just before its first message that has no
 * outcome yet (its event could not be reached), so that the next tick fetches it again.
 */
function safeCursor(previous: RepliesCursor | null, next: RepliesCursor, unfinished: Keyed[]): RepliesCursor {
	const folders = {...next.folders};
	for (const {message} of unfinished) {
		const folder = folders[message.folder];
		if (!folder) {
			continue;
		}

		const before = previous?.folders[message.folder];
		const floor = before && before.uidValidity === folder.uidValidity ? before.highestUid : 0;
		folders[message.folder] = {...folder, highestUid: Math.max(floor, Math.min(folder.highestUid, message.uid - 1))};
	}

	return {folders};
}

function outcomeOf(result: ApplyReplyResult, calendar: string): Omit<MessageOutcome, 'key' | 'recordedAt' | 'messageId' | 'from' | 'subject' | 'eventUid'> {
	return {
		outcome: result.outcome,
		reason: result.reason,
		changes: result.changes,
		// Kept so that the user can "apply anyway" from the popup.
		...(result.outcome === 'review' ? {calendar} : {}),
	};
}

export async function runTick(deps: ReplyLoopDeps): Promise<TickResult> {
	const now = deps.now ?? (() => new Date());
	const state = await deps.store.load();
	let response: RepliesResponse;
	try {
		response = await deps.relay.replies({account: deps.account, ...(state.cursor ? {cursor: state.cursor} : {})}, {signal: deps.signal});
	} catch (error) {
		return {messages: 0, outcomes: [], answers: [], writes: 0, error: {kind: 'relay', message: error instanceof Error ? error.message : String(error), cause: error}};
	}

	const fresh = keyed(response).filter(({key}) => !state.doneKeys.has(key));
	const partial = new Map<string, Omit<MessageOutcome, 'key' | 'recordedAt'>>();
	const note = (item: Keyed, outcome: Omit<MessageOutcome, 'key' | 'recordedAt' | 'messageId' | 'from' | 'subject'>): void => {
		const full = {...headersOf(item.message), ...outcome};
		const existing = partial.get(item.key);
		partial.set(item.key, existing ? strongest(existing, full) : full);
	};

	// Replies for each of our events, in mail order.
	const byEvent = new Map<string, Array<PendingReply & {item: Keyed}>>();
	for (const item of fresh) {
		const parts = classifyMessage(item.message);
		if (parts.length === 0) {
			note(item, {eventUid: null, outcome: 'ignored', reason: 'The mail carries no calendar.', changes: []});
		}

		for (const part of parts) {
			if (part.kind === 'unreadable') {
				note(item, {eventUid: null, outcome: 'review', reason: part.reason, changes: []});
				continue;
			}

			if (!state.events[part.uid]) {
				note(item, {
					eventUid: part.uid,
					outcome: 'skipped',
					reason: `Not about an event you sent with Purelymail Invites (${part.method ?? 'no method'}); it may be an invitation to you.`,
					changes: [],
				});
				continue;
			}

			const senders = [item.message.headers.from?.address, item.message.headers.sender?.address].filter((address): address is string => Boolean(address));
			const list = byEvent.get(part.uid) ?? [];
			// One key per calendar part: a mail may carry the same calendar twice in different bytes (inline and as an
			// attachment, folded differently) or two calendars for one event; each needs its own result, or the later
			// part's `unchanged` hides the earlier part's `applied`. `note` keeps the strongest per message.
			list.push({key: `${item.key}#${list.length}`, calendar: part.text, context: {senders, me: deps.me}, item});
			byEvent.set(part.uid, list);
		}
	}

	const changedEvents: TrackedEvent[] = [];
	const answers: AppliedAnswer[] = [];
	let writes = 0;
	let failure: TickResult['error'];
	const unfinished = new Set<string>();
	for (const [uid, replies] of byEvent) {
		const tracked = state.events[uid]!;
		let results: Map<string, ApplyReplyResult> | undefined;
		// What each round applied. A round whose PUT was stored but whose answer was lost (a 5xx after the write) is
		// retried from a fresh read, which finds these answers in place and says `unchanged`; they are news all the
		// same, brought by these messages, so they are reported as applied (and notified) below.
		const appliedInEarlierRounds = new Map<string, ApplyReplyResult>();
		const decide = (ics: string): {ics: string} | {unchanged: true} => {
			const applied = applyReplies(ics, replies);
			for (const [key, result] of applied.results) {
				if (result.outcome === 'applied') {
					appliedInEarlierRounds.set(key, result);
				}
			}

			results = applied.results;
			return applied.changed ? {ics: applied.event} : {unchanged: true};
		};

		let written: {etag: string; ics: string; written: boolean; href: string};
		try {
			 
			written = {...await deps.calendar.update(tracked.href, decide, deps.signal), href: tracked.href};
		} catch (error) {
			if (error instanceof CalendarPortError && error.kind === 'not-found') {
				 
				const found = await deps.calendar.findByUid(uid, deps.signal).catch(() => null);
				if (found) {
					try {
						 
						written = {...await deps.calendar.update(found.href, decide, deps.signal), href: found.href};
					} catch (retryError) {
						failure = {kind: 'calendar', message: retryError instanceof Error ? retryError.message : String(retryError), cause: retryError};
						for (const reply of replies) {
							unfinished.add(reply.item.key);
						}

						continue;
					}
				} else {
					for (const reply of replies) {
						note(reply.item, {eventUid: uid, outcome: 'review', reason: `"${tracked.summary}" is no longer in your calendar, so this answer could not be recorded.`, changes: [], calendar: reply.calendar});
					}

					continue;
				}
			} else if (error instanceof CalendarPortError && error.kind === 'conflict') {
				for (const reply of replies) {
					note(reply.item, {eventUid: uid, outcome: 'review', reason: `"${tracked.summary}" kept changing on the calendar server while this answer was being saved.`, changes: [], calendar: reply.calendar});
				}

				continue;
			} else {
				// Unavailable, wrong password or anything unexpected: no outcome, so the next tick tries again.
				failure = {kind: 'calendar', message: error instanceof Error ? error.message : String(error), cause: error};
				for (const reply of replies) {
					unfinished.add(reply.item.key);
				}

				continue;
			}
		}

		if (written.written) {
			writes++;
			 
			await deps.afterCalendarWrite?.(uid);
		}

		const facts = eventFacts(written.ics, now());
		const statuses = facts.attendees;
		changedEvents.push({...tracked, href: written.href, etag: written.etag, ...facts, updatedAt: now().toISOString()});
		for (const reply of replies) {
			const latest = results?.get(reply.key);
			const result = latest?.outcome === 'unchanged' ? appliedInEarlierRounds.get(reply.key) ?? latest : latest;
			if (!result) {
				continue;
			}

			note(reply.item, {eventUid: uid, ...outcomeOf(result, reply.calendar)});
			if (result.outcome === 'applied') {
				for (const change of result.changes) {
					const who = statuses.find(status => status.email === change.attendee);
					answers.push({
						eventUid: uid, summary: tracked.summary, attendee: change.attendee, partstat: change.partstat,
						...(who?.name ? {name: who.name} : {}), ...(change.comment ? {comment: change.comment} : {}),
					});
				}
			}
		}
	}

	const recordedAt = now().toISOString();
	const outcomes: MessageOutcome[] = fresh
		.filter(item => !unfinished.has(item.key) && partial.has(item.key))
		.map(item => ({key: item.key, recordedAt, ...partial.get(item.key)!}));
	await deps.store.commit({events: changedEvents, outcomes});
	await deps.store.saveCursor(safeCursor(state.cursor, response.cursor, fresh.filter(item => unfinished.has(item.key))));
	return {messages: fresh.length, outcomes, answers, writes, ...(failure ? {error: failure} : {})};
}
