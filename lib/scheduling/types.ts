/**
 * What calendar-app scheduling keeps between ticks (issue 18): per watched calendar, how it is watched and a shadow
 * of each scheduling-relevant event; the outbox of composed mails not yet accepted by SMTP; and a log for the popup.
 */
import type {BackoffOptions, CaldavClient} from '../caldav/index.ts';
import type {RememberSent} from '../plain-answers/remember-request.ts';
import type {RelayAccount, RelayClient} from '../relay-client/index.ts';

/** The last version of a meeting we saw: its ETag and text (diffed against the next version). */
export type Shadow = {uid: string; etag: string; ics: string};

export type CalendarWatch = {
	/** `sync`: RFC 6578 sync-collection with `token`; `ctag`: the calendar's ctag, then every member's ETag. */
	mode: 'sync' | 'ctag';
	token?: string;
	ctag?: string;
	/** `ctag` mode only: every member's ETag by href, to tell which changed. */
	etags?: Record<string, string>;
	/** Scheduling-relevant events (the user organizes or attends) by href. */
	shadows: Record<string, Shadow>;
};

/** A mail composed for a change and not yet accepted by SMTP: sent again, byte for byte, until it is. */
export type OutboxEntry = {
	id: string;
	uid: string;
	summary: string;
	/** What the popup says once it is sent: "Sent the new time of Team sync to 3 people because it changed in another app". */
	sentence: string;
	envelope: {from: string; to: string[]};
	raw: string;
	createdAt: string;
};

/** One mail sent for a change made in another app, as the popup lists it. */
export type SentRecord = {
	id: string;
	at: string;
	uid: string;
	summary: string;
	sentence: string;
	/** Recipients the mail server refused, with its reason. */
	rejected: Array<{address: string; reason: string}>;
	/** Set when the mail could not be sent at all and will not be retried (the relay refused the request itself). */
	error?: string;
};

export type SchedulingState = {
	calendars: Record<string, CalendarWatch>;
	outbox: OutboxEntry[];
};

/** An event the user organizes, to make one of ours (its replies applied by the reply loop). */
export type AdoptedEvent = {uid: string; href: string; etag: string; calendarUrl: string; ics: string};

export type SchedulingStore = {
	load(): Promise<SchedulingState>;
	/** Stores the watch state and the outbox in one write. */
	save(state: SchedulingState): Promise<void>;
	/** The ETag each of our events had after our own last write (invite flow, reply loop), by UID. */
	ownEtags(): Promise<Map<string, string>>;
	/** Makes a meeting the user organizes one of ours, or refreshes ours after a change in another app. */
	adopt(event: AdoptedEvent): Promise<void>;
	/** Takes the entry out of the outbox and logs it, in one write: called only after SMTP answered. */
	recordSent(record: SentRecord): Promise<void>;
};

export type SchedulingDeps = {
	caldav: Pick<CaldavClient, 'syncCollection' | 'collectionState' | 'listEvents' | 'readEvents' | 'updateEvent'>;
	/** The calendars to watch (absolute collection URLs). */
	calendars: readonly string[];
	relay: Pick<RelayClient, 'send'>;
	account: RelayAccount;
	/** Who the mail is from: the account's address and name. */
	from: {email: string; name: string};
	/** The user's own addresses: the account's and its aliases. */
	me: readonly string[];
	store: SchedulingStore;
	now?: () => Date;
	signal?: AbortSignal;
	/** Retries of 5xx within a tick; the defaults of lib/caldav's withBackoff. */
	backoff?: Omit<BackoffOptions, 'signal'>;
	/**
	 * Keeps each REQUEST sent by its Message-ID and subject, so that a plain-mail answer to it is recognised
	 * (lib/plain-answers, the extension's storage); the agent, which does not look for plain answers, leaves it out.
	 */
	rememberSent?: RememberSent;
	/** For fault tests: runs when SMTP has accepted a mail and before it leaves the outbox (a worker killed there). */
	afterAccepted?: (id: string) => void | Promise<void>;
};

export type SchedulingResult = {
	/** Changed calendar objects looked at (a baseline counts none). */
	changes: number;
	/** Calendars whose baseline was taken this tick (nothing sent for what they hold). */
	baselines: number;
	/** Mails accepted by SMTP this tick. */
	sent: SentRecord[];
	/** Mails still in the outbox (relay down, server failing): sent on a later tick. */
	waiting: number;
	/** Calendar objects written back (SEQUENCE raised, answers reset). */
	writes: number;
	error?: {kind: 'relay' | 'calendar'; message: string; cause?: unknown};
};
