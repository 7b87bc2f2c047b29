/**
 * The companion relay's HTTP API, version 1: every request and response body, shared by the relay
 * (`relay/`) and its typed client (`lib/relay-client/`). Plain data only, so it runs in the extension too.
 * See relay/README.md for the endpoints and issue 5 for why the relay exists.
 */

/** The path prefix of this API version. */
export const relayApiPrefix = '/v1';

/** Stable error codes; a client may branch on them, the message is for people. */
export const relayErrorCodes = [
	/** No bearer token, or the wrong one (HTTP 401). */
	'AUTH_REQUIRED',
	/** The request itself is wrong: bad JSON, a missing field, a sender that is not the account's (HTTP 400). */
	'BAD_REQUEST',
	/** The mail server refused the account's user name or password. */
	'MAILBOX_AUTH_FAILED',
	/** The mail server could not be reached: DNS, refused, timed out. */
	'UNREACHABLE',
	/** The TLS handshake with the mail server failed (bad certificate, not TLS on that port). */
	'TLS_FAILED',
	/** Over a size limit: request body or recipients per message (HTTP 413). */
	'TOO_LARGE',
	/** Over the requests-per-minute limit (HTTP 429, with Retry-After). */
	'RATE_LIMITED',
	/** The mail server said no; its own words are in the message. */
	'UPSTREAM',
] as const;

export type RelayErrorCode = typeof relayErrorCodes[number];

/** An error as the relay reports it, also inside `verify` results. */
export type RelayErrorInfo = {code: RelayErrorCode; message: string};

/** The body of every non-2xx response. */
export type RelayErrorBody = {error: RelayErrorInfo};

/** Where a mail server listens. `secure`: TLS from the first byte (993, 465); otherwise STARTTLS, required unless the host is loopback. */
export type MailEndpoint = {host: string; port: number; secure: boolean};

/**
 * The mailbox a request acts for. The relay keeps neither mail nor passwords, so every request carries this.
 * Missing endpoints are Purelymail's: `imap.purelymail.com:993` and `smtp.purelymail.com:465`, both TLS.
 */
export type RelayAccount = {
	/** The login, which is also the account's address. */
	user: string;
	password: string;
	imap?: MailEndpoint;
	smtp?: MailEndpoint;
	/** Other addresses this account may send as (Purelymail aliases); `user` is always allowed. */
	allowedSenders?: string[];
};

/** `GET /v1/health` (no token needed). */
export type HealthResponse = {ok: true; version: string};

/** `POST /v1/challenge` (no token): the client's fresh nonce, which the relay answers to prove it holds the token (./challenge.ts). */
export type ChallengeRequest = {nonce: string};

export type ChallengeResponse = {proof: string};

/** `POST /v1/verify`: log in to IMAP and SMTP, separately. */
export type VerifyRequest = {account: RelayAccount};

/** One login check: fine, or why not (MAILBOX_AUTH_FAILED, UNREACHABLE, TLS_FAILED, UPSTREAM). */
export type LoginCheck = {ok: true} | {ok: false; error: RelayErrorInfo};

export type VerifyResponse = {imap: LoginCheck; smtp: LoginCheck};

/** `POST /v1/send`: submit a finished message over SMTP. */
export type SendRequest = {
	account: RelayAccount;
	/** SMTP envelope. `from` must be the account's user or one of its allowedSenders: the relay is no open relay. */
	envelope: {from: string; to: string[]};
	/** The whole RFC 5322 message, headers and body, CRLF or LF line ends. Sent as is. */
	raw: string;
	/** Also append the same bytes, flagged \Seen, to the account's Sent folder (found by SPECIAL-USE). */
	copyToSent?: boolean;
};

/** What became of the copy in Sent; the message is sent either way. */
export type SentCopy = {ok: true; folder: string} | {ok: false; error: RelayErrorInfo};

export type SendResponse = {
	/** The Message-ID header of `raw`, or null when it has none. */
	messageId: string | null;
	accepted: string[];
	/** Recipients the SMTP server refused, each with its reply. */
	rejected: Array<{address: string; reason: string}>;
	/** Present when copyToSent was asked for. */
	sentCopy?: SentCopy;
};

/** Per folder: where the last poll stopped. Opaque to the extension; keep it and send it back. */
export type FolderCursor = {
	/** The folder's UIDVALIDITY, as a decimal string (it can exceed 2^53 in theory). */
	uidValidity: string;
	/** The highest UID already looked at; the next poll starts after it. */
	highestUid: number;
};

/** Keyed by the folder's real path ('INBOX', 'Junk', 'Spam' ...). */
export type RepliesCursor = {folders: Record<string, FolderCursor>};

/**
 * `POST /v1/replies`: calendar-bearing mail that arrived since the cursor.
 * `folders` defaults to ['INBOX', 'Junk']; 'Junk' means the account's junk folder, found by SPECIAL-USE
 * or a common name, and skipped (with a notice) when there is none.
 */
export type RepliesRequest = {
	account: RelayAccount;
	folders?: string[];
	cursor?: RepliesCursor | undefined;
	/**
	 * Also return mail without a calendar that answers one of our invitations: whose In-Reply-To or References names
	 * one of `messageIds`, or whose subject is one of `subjects` after reply prefixes ("Re:", "AW:"…). Nothing else
	 * without a calendar is ever returned. Absent: none is looked for.
	 */
	answersTo?: AnswersTo | undefined;
};

/** The invitations the extension sent: their Message-IDs (with angle brackets) and subjects. */
export type AnswersTo = {messageIds: string[]; subjects?: string[]};

/**
 * A mail without a calendar that answers one of the invitations asked about (`answersTo`): its headers and the
 * start of its first text/plain part, decoded. `answer` is that text without quoted text and signature (what the
 * person wrote above "On … wrote:", "-----Original Message-----", "> " lines…).
 */
export type PlainAnswerMessage = {
	folder: string;
	uid: number;
	seen: boolean;
	headers: ReplyHeaders & {inReplyTo: string | null; references: string[]};
	/** The first text/plain part's start, at most maxPlainAnswerBytes of it as stored; '' when it has none. */
	text: string;
	/** True when the part was longer than what was fetched. */
	truncated: boolean;
	answer: string;
};

export type MailAddress = {name: string; address: string};

/** The headers the extension needs to trust and match a reply; from the message itself, decoded. */
export type ReplyHeaders = {
	from: MailAddress | null;
	/** The Sender header, null when the message has none (IMAP's ENVELOPE would copy From here; we don't). */
	sender: MailAddress | null;
	to: MailAddress[];
	subject: string;
	messageId: string | null;
	/** ISO 8601 when the Date header parses, else its raw value; null when absent. */
	date: string | null;
	/** Every Authentication-Results header, unfolded, in message order. */
	authenticationResults: string[];
};

/**
 * What the relay read from an Outlook TNEF part (winmail.dat). TNEF holds MAPI properties, not iCalendar, so an
 * Exchange answer sent only as TNEF carries the facts of a REPLY rather than one:
 * `meeting-response`: Outlook's answer to an invitation (message class IPM.Schedule.Meeting.Resp.*), one attendee's
 * answer for the whole event; `none`: nothing calendar-like in it, and why.
 */
export type TnefReading =
	| {
		kind: 'meeting-response';
		/** The MAPI message class, e.g. 'IPM.Schedule.Meeting.Resp.Pos'. */
		messageClass: string;
		/** The event's UID, from PidLidGlobalObjectId (MS-OXCICAL §2.1.3.1.1.20.26). */
		uid: string;
		partstat: 'ACCEPTED' | 'TENTATIVE' | 'DECLINED';
		/** Who answered: the SMTP address Exchange recorded as the sender (or the one they answered for). */
		attendee: MailAddress;
		/** When the answer was sent (PR_CLIENT_SUBMIT_TIME), ISO; null when absent. */
		sentAt: string | null;
	}
	| {kind: 'none'; reason: string};

/** One calendar body part, downloaded alone. */
export type CalendarPart = {
	/** The IMAP part number ('2', '1.3'), for reference. */
	part: string;
	contentType: string;
	filename: string | null;
	/** 'utf-8': `text` is the decoded iCalendar text. 'base64': binary (application/ms-tnef), base64 of its bytes. */
	encoding: 'utf-8' | 'base64';
	text: string;
	/** For a TNEF part (encoding 'base64'), what the relay decoded from it. Absent from relays older than this field. */
	tnef?: TnefReading;
};

/** A calendar part the relay did not download because it is larger than it accepts. */
export type SkippedPart = {part: string; contentType: string; filename: string | null; size: number};

export type ReplyMessage = {
	folder: string;
	uid: number;
	/** True when the message is \Seen: it was still found, since nothing here depends on flags. */
	seen: boolean;
	headers: ReplyHeaders;
	calendarParts: CalendarPart[];
	/** Present when a calendar part was too large to fetch. */
	skippedParts?: SkippedPart[];
};

/**
 * Something the extension should know about a folder:
 * `date-window`: there was no usable cursor (none yet, or the folder's UIDVALIDITY changed), so this poll
 * looked at mail from `since` on instead; expect to see messages you may have seen before.
 * `missing`: the folder does not exist (Junk on an account without one) and was skipped.
 */
export type FolderNotice =
	| {folder: string; kind: 'date-window'; reason: 'no-cursor' | 'uidvalidity-changed'; since: string}
	| {folder: string; kind: 'missing'};

export type RepliesResponse = {
	messages: ReplyMessage[];
	/** Send this back next time. Folders not polled this time keep their old entry. */
	cursor: RepliesCursor;
	notices: FolderNotice[];
	/**
	 * True when the answer is one page of more (the relay caps each answer's messages and bytes): call again with
	 * `cursor` for the next page. Absent on the last page.
	 */
	more?: boolean;
	/** Present when the request had `answersTo`: mail without a calendar answering those invitations, oldest first. */
	plainAnswers?: PlainAnswerMessage[];
};

/**
 * `POST /v1/move`: files messages the loop has processed into another folder (issue 14, "filing"), by UID
 * (RFC 6851 MOVE, or COPY + \Deleted + UID EXPUNGE where the server has no MOVE). The UIDs are only meaningful
 * under the folder's UIDVALIDITY, so the request names it and nothing is moved when it changed.
 */
export type MoveRequest = {
	account: RelayAccount;
	/** The folder the messages are in, by its real path as `/v1/replies` reported it ('INBOX', 'Junk' ...). */
	folder: string;
	/** The folder's UIDVALIDITY the UIDs belong to, as `/v1/replies`' cursor holds it. */
	uidValidity: string;
	/** 1 to 1000 UIDs; a UID no longer in the folder is left out silently (it was moved or deleted already). */
	uids: number[];
	/** The destination folder's path; created when missing. */
	to: string;
};

export type MoveResponse =
	/** `uidMap`: the new UID of each moved message when the server says (UIDPLUS COPYUID), else empty. */
	| {moved: true; to: string; created: boolean; uidMap: Array<{uid: number; newUid: number}>}
	/** Nothing was moved: the folder's UIDVALIDITY is not the one named, or the folder is gone. */
	| {moved: false; reason: 'uidvalidity-changed' | 'missing-folder'};
