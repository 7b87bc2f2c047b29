/**
 * lib/imip: the e-mail side of iTIP (RFC 6047). Composing with mimetext, reading with postal-mime.
 * Runs in the browser and in Node alike (no `node:` imports).
 */
export {composeReplyMail, replySubject, replyText} from './compose-reply-mail.ts';
export type {ReplyAnswer, ReplyMailInput} from './compose-reply-mail.ts';
export {composeInviteMail, calendarAttachmentName} from './compose-invite-mail.ts';
export type {InviteMailOptions, ItipMethod, MailAddress} from './compose-invite-mail.ts';
export {InvalidMailFieldError} from './errors.ts';
export {pickCalendarPart} from './pick-part.ts';
export {replyHeadersOf, replyMessageOf} from './reply-message.ts';
export type {MessagePlace, ReplyMessageOptions, TnefReader} from './reply-message.ts';
export {formatRepeat, formatWhen, inviteHtml, inviteSubject, inviteText, zoneAbbreviation} from './invite-text.ts';
export type {InviteMailKind, MailEvent} from './invite-text.ts';
export {
	maxCalendarBytes,
	maxCalendarParts,
	maxForwardDepth,
	maxMailBytes,
	maxMimeDepth,
	normaliseCalendarText,
	readCalendarMail,
} from './read-calendar-mail.ts';
export type {CalendarMail, CalendarPart, MailboxSummary, RawMail, ReadProblem, ReadProblemCode, TnefCalendarReader} from './read-calendar-mail.ts';
