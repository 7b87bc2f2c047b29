/**
 * Composing iMIP mail (RFC 6047): the whole RFC 5322 message around an iTIP calendar, in the shape
 * Google Calendar sends and every major client shows Accept/Decline buttons for.
 */
import {isEmailAddress, smtpAddress} from '../address.ts';
import {topLevelMethod} from '../ical-lines.ts';
import {
	encodeBase64Text,
	encodeQuotedPrintable,
	formatMailDate,
	isSevenBitSafe,
	toCrlf,
} from './encoding.ts';
import {InvalidMailFieldError} from './errors.ts';
import {CalendarMimeMessage} from './mimetext-adapter.ts';

/** The iTIP methods (RFC 5546 §1.4) a mail can carry. */
export type ItipMethod = 'PUBLISH' | 'REQUEST' | 'REPLY' | 'ADD' | 'CANCEL' | 'REFRESH' | 'COUNTER' | 'DECLINECOUNTER';

const itipMethods: ReadonlySet<string> = new Set<ItipMethod>(['PUBLISH', 'REQUEST', 'REPLY', 'ADD', 'CANCEL', 'REFRESH', 'COUNTER', 'DECLINECOUNTER']);

/** A mailbox: an address and, optionally, the name shown with it. */
export type MailAddress = {
	email: string;
	name?: string | undefined;
};

export type InviteMailOptions = {
	/** The organizer (or, for a REPLY, the attendee) sending the mail. */
	from: MailAddress;
	/** At least one recipient. */
	to: readonly MailAddress[];
	cc?: readonly MailAddress[];
	subject: string;
	/** The text/plain body (see `inviteText`). Any line-break style; sent as CRLF. */
	text: string;
	/** An optional text/html body, shown instead of `text` by clients that prefer HTML. */
	html?: string | undefined;
	/** The iTIP iCalendar text; its METHOD, when present, must equal `method` (RFC 6047 §2.4). Sent with CRLF line ends. */
	calendar: string;
	method: ItipMethod;
	/** The Date header; default now. */
	date?: Date;
};

/** The file name Google Calendar gives its copy of the invitation; some clients only offer "import" for an attachment. */
export const calendarAttachmentName = 'invite.ics';

/** Throws unless `value` is a string that can sit in a header: no CR or LF (header injection), no other control character. */
function assertHeaderText(value: unknown, field: string): asserts value is string {
	if (typeof value !== 'string') {
		throw new InvalidMailFieldError(field, 'must be a string');
	}

	if (/[\r\n]/.test(value)) {
		throw new InvalidMailFieldError(field, 'contains a line break (CR or LF)');
	}

	// eslint-disable-next-line no-control-regex -- finding control characters is the point
	if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value)) {
		throw new InvalidMailFieldError(field, 'contains a control character');
	}
}

function assertMailAddress(value: unknown, field: string): asserts value is MailAddress {
	if (typeof value !== 'object' || value === null) {
		throw new InvalidMailFieldError(field, 'must be an object like {email, name}');
	}

	const {email, name} = value as Record<string, unknown>;
	assertHeaderText(email, `${field}.email`);
	if (!isEmailAddress(email)) {
		throw new InvalidMailFieldError(`${field}.email`, `is not an e-mail address: ${JSON.stringify(email)}`);
	}

	if (name !== undefined) {
		assertHeaderText(name, `${field}.name`);
	}
}

function assertMailAddressList(value: unknown, field: string, required: boolean): asserts value is readonly MailAddress[] {
	if (!Array.isArray(value)) {
		throw new InvalidMailFieldError(field, 'must be a list of {email, name}');
	}

	if (required && value.length === 0) {
		throw new InvalidMailFieldError(field, 'must name at least one recipient');
	}

	for (const [index, item] of value.entries()) {
		assertMailAddress(item, `${field}[${index}]`);
	}
}

/** Checks every field before anything is built, so a bad one is reported by name and nothing half-made escapes. */
function validate(options: InviteMailOptions): void {
	if (typeof options !== 'object' || options === null) {
		throw new InvalidMailFieldError('options', 'must be an object');
	}

	assertMailAddress(options.from, 'from');
	assertMailAddressList(options.to, 'to', true);
	if (options.cc !== undefined) {
		assertMailAddressList(options.cc, 'cc', false);
	}

	assertHeaderText(options.subject, 'subject');
	if (typeof options.text !== 'string') {
		throw new InvalidMailFieldError('text', 'must be a string');
	}

	if (options.html !== undefined && typeof options.html !== 'string') {
		throw new InvalidMailFieldError('html', 'must be a string');
	}

	if (typeof options.method !== 'string' || !itipMethods.has(options.method)) {
		throw new InvalidMailFieldError('method', `must be one of ${[...itipMethods].join(', ')}`);
	}

	if (typeof options.calendar !== 'string' || !/^BEGIN:VCALENDAR\r?$/m.test(options.calendar)) {
		throw new InvalidMailFieldError('calendar', 'is not iCalendar text (no BEGIN:VCALENDAR line)');
	}

	const method = topLevelMethod(options.calendar)?.toUpperCase();
	if (method !== undefined && method !== options.method) {
		// RFC 6047 §2.4: the method parameter "MUST be the same as the value of the METHOD property".
		throw new InvalidMailFieldError('method', `is ${options.method} but the calendar says METHOD:${method}`);
	}

	if (options.date !== undefined && (!(options.date instanceof Date) || Number.isNaN(options.date.getTime()))) {
		throw new InvalidMailFieldError('date', 'is not a valid Date');
	}
}

/** A text body: 7bit when it is short-lined ASCII, quoted-printable otherwise. Never base64. */
function encodeTextBody(text: string): {data: string; encoding: '7bit' | 'quoted-printable'} {
	const canonical = toCrlf(text);
	return isSevenBitSafe(canonical) ? {data: canonical, encoding: '7bit'} : {data: encodeQuotedPrintable(canonical), encoding: 'quoted-printable'};
}

function toMailbox(address: MailAddress): {addr: string; name: string} {
	return {addr: smtpAddress(address.email), name: address.name ?? ''};
}

/**
 * Builds an iMIP message (RFC 6047) as raw RFC 5322 text with CRLF line ends:
 *
 * ```
 * multipart/mixed
 * ├─ multipart/alternative
 * │  ├─ text/plain
 * │  ├─ text/html                      (when `html` is given)
 * │  └─ text/calendar; charset=UTF-8; method=…   (7bit or quoted-printable, never base64)
 * └─ application/ics; name=invite.ics (attachment, base64)
 * ```
 *
 * The calendar goes out with CRLF line ends and a final CRLF; otherwise its bytes are kept exactly.
 *
 * @throws {InvalidMailFieldError} when a field is unusable; `field` names it (`to[0].email`, `subject`…).
 * @example
 * const raw = composeInviteMail({
 * 	from: {email: 'ann@example.com', name: 'Ann'},
 * 	to: [{email: 'bob@example.com'}],
 * 	subject: inviteSubject('invitation', event),
 * 	text: inviteText('invitation', event),
 * 	calendar: built.request,
 * 	method: 'REQUEST',
 * });
 */
export function composeInviteMail(options: InviteMailOptions): string {
	validate(options);

	let calendar = toCrlf(options.calendar);
	if (!calendar.endsWith('\r\n')) {
		calendar += '\r\n';
	}

	const message = new CalendarMimeMessage();
	message.setSender(toMailbox(options.from));
	message.setTo(options.to.map(address => toMailbox(address)));
	if (options.cc !== undefined && options.cc.length > 0) {
		message.setCc(options.cc.map(address => toMailbox(address)));
	}

	message.setSubject(options.subject);
	message.setHeader('Date', formatMailDate(options.date ?? new Date()));

	const text = encodeTextBody(options.text);
	message.addMessage({contentType: 'text/plain', charset: 'UTF-8', data: text.data, encoding: text.encoding});
	if (options.html !== undefined) {
		const html = encodeTextBody(options.html);
		message.addMessage({contentType: 'text/html', charset: 'UTF-8', data: html.data, encoding: html.encoding});
	}

	// Older Outlook ignores a base64 text/calendar part, so: 7bit when possible, quoted-printable otherwise.
	if (isSevenBitSafe(calendar)) {
		message.setCalendar(calendar, options.method, '7bit');
	} else {
		message.setCalendar(encodeQuotedPrintable(calendar), options.method, 'quoted-printable');
	}

	message.addAttachment({
		filename: calendarAttachmentName,
		contentType: 'application/ics',
		data: encodeBase64Text(calendar),
		encoding: 'base64',
	});

	return message.asRaw();
}
