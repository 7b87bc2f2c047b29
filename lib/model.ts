/**
 * The extension's own records: settings, the account, the events we organized and what became of each reply.
 * Plain data, stored in storage.local (lib/storage.ts) and shown by the popup.
 */
import type {InviteSpec, PartStat, ReplyChange, ReplyContext, ReviewCheck} from './itip/index.ts';
import type {InvitationSettings} from './invitations/types.ts';
import type {MailEndpoint} from './relay-client/types.ts';

/** Where Purelymail's servers are; the defaults every setting starts from. */
export const purelymailServers = {
	caldavUrl: 'https://purelymail.com/webdav/',
	imap: {host: 'imap.purelymail.com', port: 993, secure: true},
	smtp: {host: 'smtp.purelymail.com', port: 465, secure: true},
} as const satisfies ServerSettings;

export const defaultRelayUrl = 'http://127.0.0.1:8787';

export type RelayMode = 'native' | 'http';

export type ServerSettings = {
	caldavUrl: string;
	imap: MailEndpoint;
	smtp: MailEndpoint;
};

export type Settings = {
	servers: ServerSettings;
	/** The calendar invitations are written to; null until discovered (then the first one). */
	calendarUrl: string | null;
	/**
	 * The picked calendar's display name as the server listed it, kept beside the URL so the picker can show it
	 * after a restart, before "Find calendars" runs again. Absent in settings saved before it existed.
	 */
	calendarName?: string;
	/**
	 * How the extension reaches the relay: 'native', the browser starts it (native messaging, no port, no token);
	 * 'http', a relay listening at relayUrl with relayToken (on another machine, or started by hand).
	 */
	relayMode: RelayMode;
	relayUrl: string;
	relayToken: string;
	/** How often the reply loop runs, 1 to 30 minutes. */
	pollMinutes: number;
	/** A desktop notification per answer. */
	notifications: boolean;
	/** Roundcube origins besides Purelymail's, granted by the user as optional host permissions. */
	webmailOrigins: string[];
	/** Invitations the user receives (issue 14); lib/invitations' defaults when absent. */
	invitations?: InvitationSettings;
	/**
	 * "Send invitations and answers for changes made in other calendar apps" (lib/scheduling): off until the user
	 * turns it on; missing in settings stored before it existed, which means off.
	 */
	scheduleOtherApps?: boolean;
};

/**
 * The mailbox the extension acts for. Kept in storage.local only (never storage.sync), read by the background
 * alone and never sent to a content script or a page.
 */
export type Account = {
	email: string;
	name: string;
	/** A Purelymail app password. */
	password: string;
	/** Other addresses of this account (aliases): invitations may come from them and replies go to them. */
	aliases: string[];
};

export type AttendeeStatus = {
	email: string;
	name?: string;
	optional: boolean;
	partstat: PartStat;
	comment?: string;
	/** ISO time the answer was applied. */
	answeredAt?: string;
};

export type DeliveryState =
	| {state: 'sent'; at: string; rejected: Array<{address: string; reason: string}>}
	| {state: 'not-sent'; error: string; at: string};

/** One attendee's answer for one occurrence ("Sam declined 15 Dec"). */
export type OccurrenceAnswer = {
	/** The occurrence's original start (UTC ISO, or a date). */
	recurrenceId: string;
	email: string;
	name?: string;
	partstat: PartStat;
};

/** An event we organized, with where it lives on the CalDAV server: never found again by searching. */
export type TrackedEvent = {
	uid: string;
	href: string;
	etag: string;
	calendarUrl: string;
	summary: string;
	/** ISO instant of the first start (for sorting and "upcoming"). */
	start: string;
	end: string;
	timeZone: string;
	allDay: boolean;
	sequence: number;
	attendees: AttendeeStatus[];
	delivery: DeliveryState;
	cancelled: boolean;
	/** What the user typed, so that nothing is lost when a send fails and it can be re-sent. */
	spec: InviteSpec;
	/** Answers for single occurrences of a repeating event, where they differ from the series'. */
	occurrenceAnswers?: OccurrenceAnswer[];
	/** The next starts of a repeating event (ISO), as of the last write. */
	upcomingStarts?: string[];
	createdAt: string;
	updatedAt: string;
};

/**
 * What the reply loop did with one message; `skipped` is mail about an event that is not ours; `parked`: the
 * calendar server kept failing (5xx) for its event, so it waits, listed, and is retried on later ticks without
 * holding up the messages after it.
 */
export type MessageOutcomeKind = 'applied' | 'unchanged' | 'ignored' | 'review' | 'skipped' | 'parked';

/** What the mail's headers said about its sender, kept so a parked or reviewed reply is decided later as it was. */
export type ReplyOrigin = Pick<ReplyContext, 'senders' | 'senderHeader' | 'authentication'>;

export type MessageOutcome = {
	/** `<folder>/<uidValidity>/<uid>`: one message, for exactly-once bookkeeping. */
	key: string;
	messageId: string | null;
	from: string | null;
	subject: string;
	/** The iCalendar UID the reply is about, when it has one. */
	eventUid: string | null;
	outcome: MessageOutcomeKind;
	reason: string;
	changes: ReplyChange[];
	recordedAt: string;
	/**
	 * For `review` and `parked`: the reply's calendar, reduced to what applying it reads (lib/itip `keptReply`), so
	 * that "apply anyway" or a later retry can apply it. Absent when even that was too large to keep.
	 */
	calendar?: string;
	/** For `review` and `parked`: who the mail said sent it. */
	origin?: ReplyOrigin;
	/** For `review`: the check "apply anyway" overrides. */
	check?: ReviewCheck;
	/** For `parked`: how many times the write failed, and when the next try is due (ISO). */
	attempts?: number;
	retryAt?: string;
	/** The user dismissed or resolved it in the popup. */
	dismissed?: boolean;
};

/** What the popup shows about the loop itself. */
export type LoopStatus = {
	lastCheck: string | null;
	lastError: string | null;
	/** Answers applied since the popup was last opened: the badge count. */
	unseenAnswers: number;
};
