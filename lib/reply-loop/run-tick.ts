/**
 * One run of the reply loop: new calendar mail from the relay (and parked replies whose retry is due) → the REPLY in
 * each → applyReply against our stored event → one CalDAV write per event → the outcome of each message → the cursor.
 *
 * Exactly once: a message's outcome is stored before the cursor moves past it, and applying a reply twice is
 * `unchanged` (lib/itip), so a tick cut short anywhere, a duplicate delivery or a replayed tick changes
 * nothing twice and loses nothing.
 *
 * Every event's write ends in exactly one of four ways (writeEvent), and each has one rule for its messages:
 * - `written`: each message gets applyReply's outcome;
 * - `final`: the event is gone, kept changing, or the server refused the write for good (a 4xx): each message gets a
 *   `review` (it can be applied anyway later) with the reason, and the cursor moves on;
 * - `park`: the server kept failing (5xx) after the port's bounded retries: each message is `parked`, listed in the
 *   popup, retried on later ticks with growing waits, and the cursor moves on, so one bad event holds nothing else;
 * - `wait`: the password is wrong or the failure is unknown: no outcome, the cursor stops before the message and
 *   the next tick fetches it again.
 * A tick also has a time budget: past it, the events not yet written are left for the next tick (cursor before them).
 */
import {isInvitationMethod, processInvitations, type InvitationPart} from '../invitations/process-invitations.ts';
import {cleanLine, eventFacts, keptReply, maxNameLength, type ApplyReplyResult} from '../itip/index.ts';
import type {MessageOutcome, TrackedEvent} from '../model.ts';
import type {ReplyMessage, RepliesCursor, RepliesResponse} from '../relay-client/types.ts';
import {applyReplies, type PendingReply} from './apply-replies.ts';
import {classifyMessage} from './classify-message.ts';
import {noCalendarReason, outcomePriority, unreadOutcome} from './decide-message.ts';
import {compactOutcome} from './compact-outcome.ts';
import {fileMessages, isFiled, type FilingResult} from './file-messages.ts';
import {messageKey} from './message-key.ts';
import {CalendarPortError, type ReplyLoopDeps} from './ports.ts';
import {replyContextOf} from './reply-context.ts';

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
	/** Messages the relay returned that had no stored outcome yet, plus parked ones retried. */
	messages: number;
	outcomes: MessageOutcome[];
	answers: AppliedAnswer[];
	/** Events whose calendar object was written. */
	writes: number;
	/** Set when the relay could not be asked, or an event could not be reached; the work waits for the next tick. */
	error?: {kind: 'relay' | 'calendar'; message: string; cause?: unknown};
	/** Set when the tick ran out of time; the rest waits for the next tick. */
	stopped?: 'time-budget';
	/** Set when filing is on and this tick processed mails: which were moved, and why any stayed. */
	filing?: FilingResult;
};

/** A tick stops starting new events after this long (a browser may stop a busy background worker). */
export const defaultTickBudgetMs = 20_000;

/** A parked reply is retried on the next tick, then after 5, 10, 20 … minutes, at most every 6 hours. */
export function parkedRetryAt(attempts: number, now: Date): string {
	const waitMinutes = attempts <= 1 ? 0 : Math.min(5 * 2 ** (attempts - 2), 360);
	return new Date(now.getTime() + waitMinutes * 60_000).toISOString();
}

type Item = {key: string; message: ReplyMessage | undefined; parked: MessageOutcome | undefined};
type Outcome = Omit<MessageOutcome, 'key' | 'recordedAt'>;
type Reply = PendingReply & {item: Item; uid: string};

/** The most telling of a message's part outcomes (a mail rarely carries more than one calendar). */
function strongest(a: Outcome, b: Outcome): Outcome {
	return outcomePriority[b.outcome] > outcomePriority[a.outcome] ? b : a;
}

function headersOf(item: Item): Pick<MessageOutcome, 'messageId' | 'from' | 'subject'> {
	if (!item.message) {
		const {messageId, from, subject} = item.parked!;
		return {messageId, from, subject};
	}

	const {headers} = item.message;
	return {messageId: headers.messageId, from: headers.from ? cleanLine(headers.from.address) : null, subject: cleanLine(headers.subject, maxNameLength)};
}

/**
 * The cursor to store: the relay's, except that a folder stops just before its first message that has no
 * outcome yet (its event could not be reached, or time ran out), so that the next tick fetches it again.
 */
function safeCursor(previous: RepliesCursor | null, next: RepliesCursor, unfinished: readonly ReplyMessage[]): RepliesCursor {
	const folders = {...next.folders};
	for (const message of unfinished) {
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

/** What the user needs to decide on or retry a reply later: the reduced calendar and who sent it. */
function keptFor(reply: Reply): Pick<MessageOutcome, 'calendar' | 'origin'> {
	const calendar = keptReply(reply.calendar);
	const {senders, senderHeader, authentication} = reply.context;
	return {
		...(calendar ? {calendar} : {}),
		origin: {senders: senders ?? [], ...(senderHeader ? {senderHeader} : {}), ...(authentication ? {authentication} : {})},
	};
}

function outcomeOf(result: ApplyReplyResult, reply: Reply): Omit<Outcome, 'messageId' | 'from' | 'subject'> {
	return {
		eventUid: reply.uid,
		outcome: result.outcome,
		reason: result.reason,
		changes: result.changes,
		// Kept so that the user can "apply anyway" from the popup, overriding exactly this check.
		...(result.outcome === 'review' ? {...keptFor(reply), ...(result.check ? {check: result.check} : {})} : {}),
	};
}

type EventWrite =
	| {kind: 'written'; href: string; etag: string; ics: string; written: boolean; results: Map<string, ApplyReplyResult>}
	| {kind: 'final'; reason: string}
	| {kind: 'park'; reason: string}
	| {kind: 'wait'; error: NonNullable<TickResult['error']>};

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Reads, decides and writes one event, and says which of the four endings it came to. The only try/catch of a
 * tick: every failure of the calendar port is sorted here, once.
 */
async function writeEvent(deps: ReplyLoopDeps, tracked: TrackedEvent, replies: readonly Reply[]): Promise<EventWrite> {
	let results = new Map<string, ApplyReplyResult>();
	// What each round applied. A round whose PUT was stored but whose answer was lost (a 5xx after the write) is
	// retried from a fresh read, which finds these answers in place and says `unchanged`; they are news all the
	// same, brought by these messages, so they are reported as applied (and notified).
	const appliedEarlier = new Map<string, ApplyReplyResult>();
	const decide = (ics: string): {ics: string} | {unchanged: true} => {
		const applied = applyReplies(ics, replies);
		for (const [key, result] of applied.results) {
			if (result.outcome === 'applied') {
				appliedEarlier.set(key, result);
			}
		}

		results = applied.results;
		return applied.changed ? {ics: applied.event} : {unchanged: true};
	};

	let href = tracked.href;
	for (let attempt = 0; ; attempt++) {
		try {
			const written = await deps.calendar.update(href, decide, deps.signal);
			for (const [key, result] of results) {
				const earlier = appliedEarlier.get(key);
				if (result.outcome === 'unchanged' && earlier) {
					results.set(key, earlier);
				}
			}

			return {kind: 'written', href, ...written, results};
		} catch (error) {
			if (!(error instanceof CalendarPortError)) {
				return {kind: 'wait', error: {kind: 'calendar', message: messageOf(error), cause: error}};
			}

			switch (error.kind) {
				case 'not-found': {
					// The href is gone; the event may have moved (a calendar-query by UID finds it), once.
					const found = attempt === 0 ? await deps.calendar.findByUid(tracked.uid, deps.signal).catch(() => null) : null;
					if (found) {
						href = found.href;
						continue;
					}

					return {kind: 'final', reason: `"${tracked.summary}" is no longer in your calendar, so this answer could not be recorded.`};
				}

				case 'conflict':
					return {kind: 'final', reason: `"${tracked.summary}" kept changing on the calendar server while this answer was being saved.`};
				case 'rejected':
					return {kind: 'final', reason: `The calendar server refused to save the answer to "${tracked.summary}" (${cleanLine(error.message)}).`};
				case 'unavailable':
					return {kind: 'park', reason: `Not written to "${tracked.summary}" yet: the calendar server is failing (${cleanLine(error.message)}); it will be retried.`};
				case 'auth':
				case 'other':
					return {kind: 'wait', error: {kind: 'calendar', message: error.message, cause: error}};
			}
		}
	}
}

/** A tick's result so far with one more page's: the counts and lists added up, the ending (error, stop) the page's. */
function addPage(total: TickResult, page: TickResult): TickResult {
	const filingError = page.filing?.error ?? total.filing?.error;
	const filing = total.filing || page.filing ? {moved: [...total.filing?.moved ?? [], ...page.filing?.moved ?? []], ...(filingError ? {error: filingError} : {})} : undefined;
	return {
		...page,
		messages: total.messages + page.messages,
		outcomes: [...total.outcomes, ...page.outcomes],
		answers: [...total.answers, ...page.answers],
		writes: total.writes + page.writes,
		...(filing ? {filing} : {}),
	};
}

/**
 * One tick: the relay's answers page after page (it caps each, issue 12 item 10), each page's outcomes stored before
 * its cursor moves, as long as a page ends cleanly and the tick's time budget lasts.
 */
export async function runTick(deps: ReplyLoopDeps): Promise<TickResult> {
	const now = deps.now ?? (() => new Date());
	const startedAt = now().getTime();
	let total: TickResult | undefined;
	for (let page = 0; ; page++) {
		const {more, ...result} = await runPage(deps, {startedAt, retryParked: page === 0});
		total = total ? addPage(total, result) : result;
		if (!more || result.error || result.stopped) {
			return total;
		}

		if (now().getTime() - startedAt > (deps.budgetMs ?? defaultTickBudgetMs)) {
			return {...total, stopped: 'time-budget'};
		}
	}
}

/**
 * One page of a tick. `retryParked`: only the first page retries parked replies (a later page would count a second
 * attempt in the same tick). `more`: the relay has another page and this one finished, its cursor saved past it.
 */
async function runPage(deps: ReplyLoopDeps, page: {startedAt: number; retryParked: boolean}): Promise<TickResult & {more: boolean}> {
	const now = deps.now ?? (() => new Date());
	const {startedAt} = page;
	const budgetMs = deps.budgetMs ?? defaultTickBudgetMs;
	const state = await deps.store.load();
	let response: RepliesResponse;
	try {
		response = await deps.relay.replies({account: deps.account, ...(state.cursor ? {cursor: state.cursor} : {})}, {signal: deps.signal});
	} catch (error) {
		return {messages: 0, outcomes: [], answers: [], writes: 0, error: {kind: 'relay', message: messageOf(error), cause: error}, more: false};
	}

	const fresh: Item[] = response.messages
		.map(message => ({key: messageKey(message.folder, response.cursor.folders[message.folder]?.uidValidity ?? '0', message.uid), message, parked: undefined}))
		.filter(({key}) => !state.doneKeys.has(key));
	const due: Item[] = (page.retryParked ? state.parked : [])
		.filter(outcome => !outcome.dismissed && (outcome.retryAt ?? '') <= now().toISOString())
		.map(outcome => ({key: outcome.key, message: undefined, parked: outcome}));
	const partial = new Map<string, Outcome>();
	const note = (item: Item, outcome: Omit<Outcome, 'messageId' | 'from' | 'subject'>): void => {
		const full = {...headersOf(item), ...outcome};
		const existing = partial.get(item.key);
		partial.set(item.key, existing ? strongest(existing, full) : full);
	};

	// Replies for each of our events, in mail order; parked replies first, they arrived earlier.
	const byEvent = new Map<string, Reply[]>();
	const add = (item: Item, uid: string, calendar: string, context: PendingReply['context']): void => {
		const list = byEvent.get(uid) ?? [];
		// One key per calendar part: a mail may carry the same calendar twice in different bytes (inline and as an
		// attachment, folded differently) or two calendars for one event; each needs its own result, or the later
		// part's `unchanged` hides the earlier part's `applied`. `note` keeps the strongest per message.
		list.push({key: `${item.key}#${list.length}`, calendar, context, item, uid});
		byEvent.set(uid, list);
	};

	for (const item of due) {
		const {parked} = item;
		if (parked?.eventUid && parked.calendar && state.events[parked.eventUid]) {
			add(item, parked.eventUid, parked.calendar, {...parked.origin, me: deps.me, now: now()});
		} else {
			note(item, {eventUid: parked?.eventUid ?? null, outcome: 'ignored', reason: 'This parked answer can no longer be applied (its event or its calendar is gone).', changes: []});
		}
	}

	// REQUESTs and CANCELs for the user as attendee, from the same fetch (issue 14): lib/invitations decides them.
	const invitations: Array<{part: InvitationPart; item: Item}> = [];
	for (const item of fresh) {
		const message = item.message!;
		const parts = classifyMessage(message);
		if (parts.length === 0) {
			note(item, {eventUid: null, outcome: 'ignored', reason: noCalendarReason, changes: []});
		}

		for (const part of parts) {
			if (part.kind === 'unreadable' || part.kind === 'refused') {
				note(item, {eventUid: null, ...unreadOutcome(part), changes: []});
				continue;
			}

			if (!state.events[part.uid] && deps.invitations && isInvitationMethod(part.method)) {
				invitations.push({item, part: {key: `${item.key}#${invitations.length}`, uid: part.uid, method: part.method, text: part.text, message}});
				continue;
			}

			if (!state.events[part.uid]) {
				note(item, {
					eventUid: cleanLine(part.uid),
					outcome: 'skipped',
					reason: `Not about an event you sent with Purelymail Invites (${part.method ? cleanLine(part.method, 40) : 'no method'}); it may be an invitation to you.`,
					changes: [],
				});
				continue;
			}

			const {headers} = message;
			const context = replyContextOf(
				{from: headers.from?.address, sender: headers.sender?.address, authenticationResults: headers.authenticationResults},
				{me: deps.me, ...(deps.authservId ? {authservId: deps.authservId} : {}), now: now()},
			);
			add(item, part.uid, part.text, context);
		}
	}

	const changedEvents: TrackedEvent[] = [];
	const answers: AppliedAnswer[] = [];
	let writes = 0;
	let failure: TickResult['error'];
	let stopped: TickResult['stopped'];
	const unfinished = new Set<string>();
	for (const [uid, replies] of byEvent) {
		if (stopped || now().getTime() - startedAt > budgetMs) {
			stopped = 'time-budget';
			for (const reply of replies) {
				unfinished.add(reply.item.key);
			}

			continue;
		}

		const tracked = state.events[uid]!;
		const write = await writeEvent(deps, tracked, replies);
		switch (write.kind) {
			case 'wait':
				failure = write.error;
				for (const reply of replies) {
					unfinished.add(reply.item.key);
				}

				break;
			case 'final':
				for (const reply of replies) {
					note(reply.item, {eventUid: uid, outcome: 'review', reason: write.reason, changes: [], ...keptFor(reply)});
				}

				break;
			case 'park':
				for (const reply of replies) {
					const attempts = (reply.item.parked?.attempts ?? 0) + 1;
					note(reply.item, {eventUid: uid, outcome: 'parked', reason: write.reason, changes: [], ...keptFor(reply), attempts, retryAt: parkedRetryAt(attempts, now())});
				}

				break;
			case 'written': {
				if (write.written) {
					writes++;
					await deps.afterCalendarWrite?.(uid);
				}

				const facts = eventFacts(write.ics, now());
				const statuses = facts.attendees;
				changedEvents.push({...tracked, href: write.href, etag: write.etag, ...facts, updatedAt: now().toISOString()});
				for (const reply of replies) {
					const result = write.results.get(reply.key);
					if (!result) {
						continue;
					}

					note(reply.item, outcomeOf(result, reply));
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

				break;
			}
		}
	}

	if (deps.invitations && invitations.length > 0) {
		const run = await processInvitations(deps.invitations, invitations.map(({part}) => part), {me: deps.me, now: now(), signal: deps.signal, afterCalendarWrite: deps.afterCalendarWrite});
		writes += run.writes;
		failure ??= run.error;
		for (const {part, item} of invitations) {
			const outcome = run.outcomes.get(part.key);
			if (run.unfinished.has(part.key)) {
				unfinished.add(item.key);
			} else if (outcome) {
				note(item, outcome);
			}
		}
	}

	const recordedAt = now().toISOString();
	const outcomes: MessageOutcome[] = [...due, ...fresh]
		.filter(item => !unfinished.has(item.key) && partial.has(item.key))
		.map(item => compactOutcome({key: item.key, recordedAt, ...partial.get(item.key)!}));
	await deps.store.commit({events: changedEvents, outcomes});
	const waiting = fresh.filter(item => unfinished.has(item.key)).map(item => item.message!);
	const cursor = safeCursor(state.cursor, response.cursor, waiting);
	await deps.store.saveCursor(cursor);
	const filing = await fileProcessed(deps, fresh, outcomes, response);
	// A relay that says `more` without moving the cursor would be asked the same page for ever.
	const more = response.more === true && unfinished.size === 0 && JSON.stringify(cursor) !== JSON.stringify(state.cursor);
	return {messages: fresh.length + due.length, outcomes, answers, writes, ...(failure ? {error: failure} : {}), ...(stopped ? {stopped} : {}), ...(filing ? {filing} : {}), more};
}

/** Filing (./file-messages.ts), when the user named a folder: last, after the outcomes and the cursor are stored. */
async function fileProcessed(deps: ReplyLoopDeps, fresh: readonly Item[], outcomes: readonly MessageOutcome[], response: RepliesResponse): Promise<FilingResult | undefined> {
	const to = deps.invitations?.settings.filingFolder;
	const done = new Set(outcomes.filter(outcome => isFiled(outcome.outcome)).map(outcome => outcome.key));
	const mails = fresh.filter(item => done.has(item.key)).map(item => ({message: item.message!, uidValidity: response.cursor.folders[item.message!.folder]?.uidValidity ?? '0'}));
	if (!to || !deps.relay.move || mails.length === 0) {
		return undefined;
	}

	const filing = await fileMessages(deps.relay.move, deps.account, to, mails, deps.signal);
	if (filing.moved.length > 0) {
		await deps.invitations?.store.relocate(filing.moved);
	}

	return filing;
}
