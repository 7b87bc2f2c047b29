/**
 * What the reply loop needs from the outside world, as narrow interfaces: the relay (new mail), the CalDAV
 * server (the stored event) and the extension's storage. The background passes the real ones; tests may pass
 * the real ones too (against the sandbox) or fakes for what they are not testing.
 */
import type {InvitationDeps} from '../invitations/ports.ts';
import type {MessageOutcome, TrackedEvent} from '../model.ts';
import type {RelayAccount, RepliesCursor, RepliesRequest, RepliesResponse} from '../relay-client/types.ts';
import type {MovePort} from './file-messages.ts';

export type RelayPort = {
	replies(request: RepliesRequest, call?: {signal?: AbortSignal | undefined}): Promise<RepliesResponse>;
	/** `/v1/move`, for filing processed mails (./file-messages.ts); without it filing is off. */
	move?: MovePort;
};

/** Why a calendar call failed, as far as the loop cares. */
export type CalendarFailureKind =
	/** The event kept changing between our read and write (412 after every attempt). */
	| 'conflict'
	/** 5xx or network, after retries: try again next tick. */
	| 'unavailable'
	/** The href is gone. */
	| 'not-found'
	/** 401/403: the password is wrong. */
	| 'auth'
	/** Any other 4xx: the server will not take this object; trying again changes nothing. */
	| 'rejected'
	| 'other';

export class CalendarPortError extends Error {
	override name = 'CalendarPortError';
	constructor(readonly kind: CalendarFailureKind, message: string, options?: {cause?: unknown}) {
		super(message, options);
	}
}

export type CalendarDecision = {ics: string} | {unchanged: true};

export type CalendarPort = {
	/**
	 * Reads the event at `href`, calls `decide` on it and writes the result with If-Match. After a 412 it reads
	 * again and calls `decide` again. Throws CalendarPortError.
	 */
	update(href: string, decide: (ics: string) => CalendarDecision, signal?: AbortSignal): Promise<{etag: string; ics: string; written: boolean}>;
	/** The fallback when an href is gone: a calendar-query by UID (Purelymail's search lags, so only then). */
	findByUid(uid: string, signal?: AbortSignal): Promise<{href: string} | null>;
};

export type ReplyLoopState = {
	cursor: RepliesCursor | null;
	events: Record<string, TrackedEvent>;
	/** Keys of messages whose outcome is already stored. */
	doneKeys: Set<string>;
	/** Outcomes of kind `parked` not dismissed: retried when their `retryAt` has come. */
	parked: MessageOutcome[];
};

export type ReplyLoopStore = {
	load(): Promise<ReplyLoopState>;
	/** Stores changed events and new outcomes together, in one write; an outcome replaces any earlier one for its key. */
	commit(update: {events: TrackedEvent[]; outcomes: MessageOutcome[]}): Promise<void>;
	/** Called only after `commit` of every message before the cursor. */
	saveCursor(cursor: RepliesCursor): Promise<void>;
};

export type ReplyLoopDeps = {
	relay: RelayPort;
	calendar: CalendarPort;
	store: ReplyLoopStore;
	account: RelayAccount;
	/** The user's own addresses: the account's and its aliases. */
	me: string[];
	now?: () => Date;
	/** How long a tick may start new event writes, measured on `now`; 20 s by default. */
	budgetMs?: number;
	/** The user's mail provider's Authentication-Results authserv-id; Purelymail's by default. */
	authservId?: string;
	signal?: AbortSignal;
	/** Invitations for the user (REQUEST, CANCEL) are processed too when given (lib/invitations); skipped otherwise. */
	invitations?: InvitationDeps;
	/** For fault tests: runs after an event was written to CalDAV and before the outcomes are stored. */
	afterCalendarWrite?: (uid: string) => void | Promise<void>;
};
