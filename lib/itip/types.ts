/**
 * The shapes that go in and out of lib/itip. Every function here is pure: text in, text out.
 */

/** A weekday as RRULE writes it (RFC 5545 §3.3.10 BYDAY). */
export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

/** How an event repeats; becomes one RRULE (RFC 5545 §3.3.10). */
export type RepeatSpec = {
	freq: 'daily' | 'weekly' | 'monthly' | 'yearly';
	/** Every `interval` days/weeks/…; default 1. */
	interval?: number;
	/** Weekdays the event falls on (weekly repeats, mostly). */
	byDay?: Weekday[];
	/** Number of occurrences in all; not together with `until`. */
	count?: number;
	/**
	 * Last day (`YYYY-MM-DD`, inclusive) or last start (`YYYY-MM-DDTHH:mm`, local time in the event's zone).
	 * Not together with `count`.
	 */
	until?: string;
};

/** One person to invite. */
export type AttendeeSpec = {
	email: string;
	name?: string;
	/** ROLE=OPT-PARTICIPANT instead of REQ-PARTICIPANT. */
	optional?: boolean;
};

/**
 * What `pmi invite` and the extension's compose form ask for.
 * Local times are wall-clock times in `timeZone` (an IANA name such as `Europe/Berlin`).
 */
export type InviteSpec = {
	organizer: {email: string; name: string};
	attendees: AttendeeSpec[];
	summary: string;
	/** `YYYY-MM-DDTHH:mm` (seconds optional), or `YYYY-MM-DD` when `allDay`. */
	start: string;
	/** Same form as `start`; for all-day events the day after the last day (exclusive, as DTEND is). */
	end: string;
	/** IANA time zone of `start`/`end`; `UTC` writes UTC times without a VTIMEZONE. */
	timeZone: string;
	allDay?: boolean;
	location?: string;
	description?: string;
	repeat?: RepeatSpec;
	/** Defaults to a new random UUID (RFC 7986 §5.3). */
	uid?: string;
	/** The clock, for DTSTAMP/CREATED/LAST-MODIFIED; defaults to `new Date()`. */
	now?: Date;
};

/** What `buildInvite` returns: one VEVENT in two envelopes. */
export type BuiltInvite = {
	uid: string;
	/** METHOD:REQUEST iCalendar text, for the iMIP mail (RFC 5546 §3.2.2, RFC 6047). */
	request: string;
	/** The same event without METHOD, for a CalDAV PUT (RFC 4791 §4.1). */
	caldav: string;
	/** The attendees to mail the request to (everyone but the organizer), lower-case addresses. */
	recipients: string[];
};

/** Changes an organizer makes to an event it already sent. Omitted fields stay as they are. */
export type EventChanges = {
	summary?: string;
	/** Empty string removes the property. */
	description?: string;
	/** Empty string removes the property. */
	location?: string;
	/** New start, same forms as `InviteSpec.start`; give `end` too. */
	start?: string;
	end?: string;
	/** Zone of the new `start`/`end`; defaults to the stored DTSTART's zone. */
	timeZone?: string;
	allDay?: boolean;
	/** A new repeat rule, or `null` to stop repeating. */
	repeat?: RepeatSpec | null;
	addAttendees?: AttendeeSpec[];
	/** Addresses to take off the event; they get a CANCEL. */
	removeAttendees?: string[];
	now?: Date;
};

/** What `buildUpdate` returns. */
export type BuiltUpdate = {
	uid: string;
	/** The event's SEQUENCE after the update. */
	sequence: number;
	/** True when RFC 5546 §2.1.4 required SEQUENCE+1 (time, place, recurrence or status changed). */
	significant: boolean;
	/** The updated event for CalDAV (no METHOD). */
	caldav: string;
	/** METHOD:REQUEST for `requestRecipients`, or null when nobody needs one. */
	request: string | null;
	requestRecipients: string[];
	/** METHOD:CANCEL for removed attendees, or null when nobody was removed. */
	cancel: string | null;
	cancelRecipients: string[];
};

export type CancelOptions = {
	/** Cancel for these attendees only (they were removed); default: the whole event for everyone. */
	attendees?: string[];
	/**
	 * Cancel one occurrence: its original start as `YYYY-MM-DDTHH:mm` (local, in DTSTART's zone),
	 * `YYYY-MM-DD` for all-day events, or any UTC instant `…Z`.
	 */
	recurrenceId?: string;
	now?: Date;
};

/** What `buildCancel` returns. */
export type BuiltCancel = {
	uid: string;
	sequence: number;
	/** METHOD:CANCEL iCalendar text (RFC 5546 §3.2.5). */
	cancel: string;
	recipients: string[];
	/** The stored event after the cancellation (STATUS:CANCELLED, fewer attendees, or a new EXDATE). */
	caldav: string;
};

/** An attendee's answer, as RFC 5545 §3.2.12 PARTSTAT spells it for VEVENTs. */
export type PartStat = 'ACCEPTED' | 'DECLINED' | 'TENTATIVE' | 'DELEGATED' | 'NEEDS-ACTION';

/**
 * A check that sends a reply to a person instead of applying it; "apply anyway" overrides exactly one of them.
 * - `uninvited`: the replier is not on the event (RFC 5546 §3.2.3 "party crasher");
 * - `sender`: the mail's From is not the replier, nor a SENT-BY the event already names (RFC 6047 §2.2.1);
 * - `authentication`: the user's own mail provider says DKIM or DMARC failed for the From domain;
 * - `sequence-ahead`: the reply answers a SEQUENCE the event never had;
 * - `dtstamp-ahead`: the reply is stamped more than a day in the future;
 * - `delegation`: a delegation to someone already invited, or to more than one delegate.
 */
export type ReviewCheck = 'uninvited' | 'sender' | 'authentication' | 'sequence-ahead' | 'dtstamp-ahead' | 'delegation';

/** Where a reply came from and who the user is. */
export type ReplyContext = {
	/**
	 * The mail's From address (the originator, RFC 5322 §3.6.2); empty for a bare .ics. A Sender header is not one:
	 * it is only the sending agent's claim, so it goes in `senderHeader`.
	 */
	senders?: readonly string[];
	/** The mail's Sender header, when it names someone other than From; only mentioned, never trusted. */
	senderHeader?: string;
	/** Set when the user's own provider's Authentication-Results says DKIM or DMARC failed for the From domain. */
	authentication?: string;
	/** The clock, for "stamped in the future"; defaults to now. */
	now?: Date;
	/** Checks a person has looked at and overrides ("apply anyway"). */
	overrides?: readonly ReviewCheck[];
	/** The user's own addresses; the stored event must be organized by one of them. */
	me: readonly string[];
	/** The caller vouches for the sender (e.g. `--trust-sender`): skip the sender and authentication checks. */
	trustSender?: boolean;
	/** Apply a reply from an address that is not invited (adding it), after a user reviewed it. */
	allowUninvited?: boolean;
};

export type ReplyOutcome = 'applied' | 'unchanged' | 'ignored' | 'review';

/** One attendee's answer for the whole event (no `recurrenceId`) or one occurrence. */
export type ReplyChange = {
	/** Lower-case address without `mailto:`. */
	attendee: string;
	partstat: PartStat;
	/**
	 * The occurrence answered, by its original start: `2026-12-08T09:00:00Z` (UTC), `2026-12-08` for all-day events,
	 * or `2026-12-08T10:00:00` for floating times. Absent for an answer to the whole event.
	 */
	recurrenceId?: string;
	comment?: string;
	/** Set when the reply answered an earlier SEQUENCE than the event's (RFC 5546 §2.1.5). */
	note?: string;
	/** Addresses the attendee delegated to (RFC 5546 §3.2.2.3). */
	delegatedTo?: string[];
	/** The reply's REQUEST-STATUS values, kept as sent. */
	requestStatus?: string[];
};

/** A COUNTER's proposal (RFC 5546 §3.2.7), for a person to decide on. */
export type CounterProposal = {
	attendee: string;
	/** Proposed start and end as UTC ISO strings (`YYYY-MM-DD` for dates). */
	start?: string;
	end?: string;
	recurrenceId?: string;
	comment?: string;
};

export type ApplyReplyResult = {
	outcome: ReplyOutcome;
	/** One sentence a user understands. */
	reason: string;
	/**
	 * For `applied`: what changed. For `review`: what the reply asks for (not applied).
	 * Empty for `unchanged` and `ignored`.
	 */
	changes: ReplyChange[];
	/** The stored event after the change (iCalendar text), or the stored event unchanged. */
	event: string;
	/** Only for a COUNTER. */
	proposal?: CounterProposal;
	/** For `review`: the check that sent it there, which "apply anyway" overrides. */
	check?: ReviewCheck;
	/** For `review`: lookalike addresses and the like, in words, with addresses in punycode. */
	warnings?: string[];
};

/** Who the user is and what the mail around an incoming iTIP message says about its sender. */
export type ProcessContext = {
	/** The user's own addresses. */
	me: readonly string[];
	/** The mail's From addresses (never its Sender); empty for a bare .ics. */
	from?: readonly string[];
	/** The mail's Authentication-Results header values, as received. */
	authenticationResults?: readonly string[];
	/** The caller vouches for the sender: skip the sender checks. */
	trustSender?: boolean;
};

/** Why a message needs a person (`review`), for the invitation card. */
export type ReviewCode = 'no-mail' | 'not-organizer' | 'authentication' | 'not-invited' | 'organizer-changed' | 'reply';

/** What `process` decided about one incoming iTIP message (RFC 5546 §3.2) and the user's copy after it. */
export type ProcessResult = {
	/** The message's METHOD (`REQUEST`, `CANCEL`, `REPLY`…), or '' when it has none. */
	method: string;
	outcome: ReplyOutcome;
	/** One sentence that says which rule decided. */
	reason: string;
	/** The user's calendar copy afterwards (no METHOD), or the copy as given; null when there is none. */
	event: string | null;
	/** For `review`: which rule wants a person. */
	review?: ReviewCode;
	/** For an update (REQUEST over a stored copy): what the organizer changed. */
	changed?: ChangedField[];
	/** For a CANCEL: the occurrences cancelled (ISO, as `ReplyChange.recurrenceId`), absent when the whole event was. */
	cancelledOccurrences?: string[];
	/** For a REPLY: what `applyReply` recorded or proposes. */
	changes?: ReplyChange[];
	proposal?: CounterProposal;
	/**
	 * For a REQUEST: the user organizes the event, so this is their own invitation (its copy in Sent, or one they sent
	 * themselves); nothing is answered or applied, and the invitation card offers Edit instead.
	 */
	ownEvent?: true;
};

/** What an organizer's update changed, in the words the invitation card uses. */
export type ChangedField = 'time' | 'repeat' | 'location' | 'summary' | 'description' | 'attendees' | 'status';

/** The answers an attendee sends in a REPLY (RFC 5545 §3.2.12). */
export type Answer = 'ACCEPTED' | 'TENTATIVE' | 'DECLINED';

export type ReplyOptions = {
	/** The user's addresses; the first one the event lists as ATTENDEE is the one that answers. */
	me: readonly string[];
	answer: Answer;
	/** A note to the organizer (RFC 5545 §3.8.1.4 COMMENT). */
	comment?: string;
	/**
	 * Answer one occurrence only: its original start as `YYYY-MM-DDTHH:mm` (wall clock of DTSTART's zone),
	 * `YYYY-MM-DD` for all-day events, or a UTC instant `…Z`.
	 */
	occurrence?: string;
	now?: Date;
};

/** What `buildReply` returns. */
export type BuiltReply = {
	uid: string;
	/** METHOD:REPLY iCalendar text for the organizer (RFC 5546 §3.2.3). */
	reply: string;
	/** The user's copy with their answer, for CalDAV (no METHOD). */
	caldav: string;
	organizer: {email: string; name?: string};
	/** The user as the event lists them. */
	attendee: {email: string; name?: string};
	summary: string;
	answer: Answer;
	/** The occurrence answered (ISO), when only one was. */
	recurrenceId?: string;
};
