/** What can be wrong with an incoming mail, as `readCalendarMail` reports it instead of throwing. */

/**
 * - `unreadable`: the input is not a mail at all, or postal-mime gave up on it.
 * - `too-large`, `too-deep`, `calendar-too-large`, `too-many-calendars`: a limit was hit (see read-calendar-mail.ts).
 * - `missing-boundary`, `empty-multipart`, `unterminated-multipart`, `bad-base64`, `bad-quoted-printable`: malformed MIME.
 * - `charset`: a calendar was not valid UTF-8 and had no charset; it was read as Windows-1252.
 * - `not-icalendar`, `truncated-calendar`: a calendar-typed part without (all of) a VCALENDAR.
 * - `no-method`, `method-mismatch`, `several-methods`: METHOD missing, or the parameter and the body disagree.
 * - `duplicate-differs`: two copies of one calendar in one mail are not identical; the first was kept.
 * - `tnef`: a calendar message Outlook sent only as TNEF (winmail.dat) that was not read: no TNEF reader (the browser),
 *   or TNEF with no answer to an invitation in it (the reader's reason).
 * - `internal`: a bug of ours; the mail was read as far as it went.
 */
export type ReadProblemCode =
	| 'unreadable'
	| 'too-large'
	| 'too-deep'
	| 'calendar-too-large'
	| 'too-many-calendars'
	| 'missing-boundary'
	| 'empty-multipart'
	| 'unterminated-multipart'
	| 'bad-base64'
	| 'bad-quoted-printable'
	| 'charset'
	| 'not-icalendar'
	| 'truncated-calendar'
	| 'no-method'
	| 'method-mismatch'
	| 'several-methods'
	| 'duplicate-differs'
	| 'tnef'
	| 'internal';

/** One thing wrong with a mail: a stable code for programs and a sentence for people. */
export type ReadProblem = {
	code: ReadProblemCode;
	message: string;
};
