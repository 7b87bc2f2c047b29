/**
 * Finding the calendar parts of an incoming mail, whatever client wrote it (RFC 6047 and what clients
 * actually send). Parsing is postal-mime's; this module decides which parts are calendars, reads them
 * into one normal form, and turns everything odd into `problems`. It never throws.
 */
import PostalMime, {type Address, type Attachment, type Email} from 'postal-mime';
import {propertyValues, unfold} from '../ical-lines.ts';
import {
	calendarPartText, isCharsetDecodedType, isTooLarge, maxCalendarBytes, maxCalendarParts, maxForwardDepth, normaliseCalendarText, partKind,
	startsWithVcalendar,
} from './calendar-part-rule.ts';
import {checkMimeStructure} from './mime-structure.ts';
import type {ReadProblem} from './read-problems.ts';

export type {ReadProblem, ReadProblemCode} from './read-problems.ts';
export {maxCalendarBytes, maxCalendarParts, maxForwardDepth, normaliseCalendarText} from './calendar-part-rule.ts';

/**
 * The largest mail read at all. The extension parses in the browser, holding the mail several times over
 * (raw, decoded, per forwarded level); a bigger mail, real or crafted, could freeze or crash the tab.
 * Above what Purelymail and the big providers deliver (25–50 MB), so only abuse hits it.
 */
export const maxMailBytes = 32 * 1024 * 1024;

/**
 * The deepest MIME nesting read (multipart inside multipart). Real mail stays under about 6; deeper trees
 * are made to exhaust recursion or CPU (postal-mime allows 256). Each forwarded message counts anew.
 */
export const maxMimeDepth = 20;

/** A mailbox from a header: the address and the decoded display name ('' when none). */
export type MailboxSummary = {
	name: string;
	email: string;
};

/** One calendar found in the mail. */
export type CalendarPart = {
	/** METHOD (upper case), from the iCalendar body, else from the `method=` parameter; null when neither says. */
	method: string | null;
	/** The part's MIME type, lower case, without parameters (`text/calendar`, `application/ics`…). */
	contentType: string;
	/** The part's file name, when it has one. */
	filename: string | null;
	/** The iCalendar text, normalised: CRLF line ends, folded lines continued with one space, one final CRLF. */
	text: string;
};

/** What `readCalendarMail` returns. Header fields are null (or empty) when the mail lacks them. */
export type CalendarMail = {
	from: MailboxSummary | null;
	sender: MailboxSummary | null;
	replyTo: MailboxSummary[];
	to: MailboxSummary[];
	subject: string | null;
	messageId: string | null;
	/** ISO 8601 when the Date header parses, else the header as written. */
	date: string | null;
	/** Every Authentication-Results header (RFC 8601), top first, as written. */
	authenticationResults: string[];
	/** The calendars, in document order, each counted once. */
	parts: CalendarPart[];
	problems: ReadProblem[];
};

/** Raw mail as read from a file or an IMAP fetch. Give bytes when you have them; a string is taken as UTF-8. */
export type RawMail = string | Uint8Array | ArrayBuffer;

/**
 * Reads Outlook TNEF (winmail.dat) into the calendar it stands for: an answer's REPLY, or why there is none. Its parser
 * is Node-only (relay/tnef.ts), so only Node callers (the command line) hand one in; the browser reads without it.
 */
export type TnefCalendarReader = (bytes: Uint8Array) => Promise<{kind: 'calendar'; text: string} | {kind: 'none'; reason: string}>;

type Reading = {
	readTnef: TnefCalendarReader | undefined;
	parts: CalendarPart[];
	/** Identity of each kept part, to recognise a second copy whose text differs. */
	identities: string[];
	problems: ReadProblem[];
};

function toBytes(raw: unknown): Uint8Array | undefined {
	if (typeof raw === 'string') {
		return new TextEncoder().encode(raw);
	}

	if (raw instanceof Uint8Array) {
		return raw;
	}

	if (raw instanceof ArrayBuffer) {
		return new Uint8Array(raw);
	}

	return undefined;
}

function contentBytes(content: Attachment['content']): Uint8Array {
	return typeof content === 'string' ? new TextEncoder().encode(content) : new Uint8Array(content);
}

function toMailboxes(addresses: readonly Address[] | Address | undefined): MailboxSummary[] {
	if (addresses === undefined) {
		return [];
	}

	const list = Array.isArray(addresses) ? addresses : [addresses as Address];
	return list.flatMap(address => address.group === undefined ? [address] : address.group)
		.map(mailbox => ({name: mailbox.name, email: mailbox.address}));
}

function describePart(attachment: Attachment): string {
	return attachment.filename === null ? attachment.mimeType : `${attachment.mimeType} "${attachment.filename}"`;
}

/** The bytes up to the first empty line: the header block alone, for a message too deep to parse whole. */
function headerBlock(bytes: Uint8Array): Uint8Array {
	for (let index = 0; index + 1 < bytes.length; index++) {
		if (bytes[index] === 0x0A && (bytes[index + 1] === 0x0A || (bytes[index + 1] === 0x0D && bytes[index + 2] === 0x0A))) {
			return bytes.subarray(0, index + 1);
		}
	}

	return bytes;
}

/**
 * What makes two copies "the same calendar" though their bytes differ: METHOD, UIDs, RECURRENCE-IDs,
 * SEQUENCE and DTSTAMP (RFC 5546 §2.1.5 orders messages by the last two).
 */
function identityOf(unfolded: string): string {
	return ['METHOD', 'UID', 'RECURRENCE-ID', 'SEQUENCE', 'DTSTAMP'].map(name => propertyValues(unfolded, name).join(',')).join('|');
}

/**
 * Without a TNEF reader (the browser: node-tnef is Node-only), tells Outlook's meeting TNEF apart by its message class
 * (MS-OXOCAL §2.2.1, stored as ASCII in the TNEF stream) to say what the mail holds that is not read here.
 */
function nameTnef(attachment: Attachment, reading: Reading): void {
	const text = new TextDecoder('latin1').decode(contentBytes(attachment.content));
	const messageClass = /IPM\.[\w. ]{1,64}/.exec(text)?.[0];
	if (messageClass?.startsWith('IPM.Microsoft Schedule.MtgResp')) {
		reading.problems.push({code: 'tnef', message: 'Outlook TNEF reply: not readable yet'});
	} else if (messageClass?.startsWith('IPM.Microsoft Schedule.MtgReq')) {
		reading.problems.push({code: 'tnef', message: 'Outlook TNEF invitation: not readable yet'});
	} else if (messageClass?.startsWith('IPM.Microsoft Schedule.MtgCncl')) {
		reading.problems.push({code: 'tnef', message: 'Outlook TNEF cancellation: not readable yet'});
	} else if (messageClass === undefined) {
		reading.problems.push({code: 'tnef', message: `Outlook TNEF attachment of unknown kind (${describePart(attachment)}): not readable yet`});
	}
	// Any other class (IPM.Note…) is an ordinary rich-text Outlook mail: no calendar to miss.
}

/** Text of a calendar part, by the one rule. postal-mime has already applied the charset of text/calendar and application/ics parts. */
function decodeCalendar(attachment: Attachment, bytes: Uint8Array, reading: Reading): string {
	const {text, fallback} = calendarPartText(bytes, attachment.mimeType, isCharsetDecodedType(attachment.mimeType) ? 'utf-8' : null);
	if (fallback) {
		reading.problems.push({code: 'charset', message: `${describePart(attachment)} is not UTF-8; it was read as Windows-1252`});
	}

	return text;
}

/** With a TNEF reader: Outlook's answer is kept as the REPLY it stands for; TNEF with no answer is a `tnef` problem with the reason. */
async function readTnef(readTnefBytes: TnefCalendarReader, attachment: Attachment, bytes: Uint8Array, reading: Reading): Promise<void> {
	const tnef = await readTnefBytes(bytes);
	if (tnef.kind === 'none') {
		reading.problems.push({code: 'tnef', message: tnef.reason});
		return;
	}

	addCalendarText(attachment, normaliseCalendarText(tnef.text), reading);
}

function addCalendar(attachment: Attachment, bytes: Uint8Array, reading: Reading): void {
	const label = describePart(attachment);
	if (isTooLarge(bytes.byteLength)) {
		reading.problems.push({code: 'calendar-too-large', message: `${label} is ${bytes.byteLength} bytes, over the ${maxCalendarBytes}-byte limit; not read`});
		return;
	}

	addCalendarText(attachment, normaliseCalendarText(decodeCalendar(attachment, bytes, reading)), reading);
}

/** Keeps one calendar's normalised text, once, with its METHOD and what is odd about it. */
function addCalendarText(attachment: Attachment, text: string, reading: Reading): void {
	const label = describePart(attachment);
	if (!/^BEGIN:VCALENDAR[ \t]*$/im.test(text)) {
		reading.problems.push({code: 'not-icalendar', message: `${label} holds no VCALENDAR; not read`});
		return;
	}

	const unfolded = unfold(text);
	const identity = identityOf(unfolded);
	const sameText = reading.parts.some(part => part.text === text);
	if (sameText) {
		// The same calendar inline and attached (Google, Outlook on the web): once is enough.
		return;
	}

	if (reading.identities.includes(identity)) {
		reading.problems.push({code: 'duplicate-differs', message: `${label} is another copy of a calendar already read, but not identical to it; the first copy is used`});
		return;
	}

	if (reading.parts.length >= maxCalendarParts) {
		if (!reading.problems.some(problem => problem.code === 'too-many-calendars')) {
			reading.problems.push({code: 'too-many-calendars', message: `more than ${maxCalendarParts} calendars in one mail; the rest are not read`});
		}

		return;
	}

	if (!/^END:VCALENDAR[ \t]*$/im.test(text)) {
		reading.problems.push({code: 'truncated-calendar', message: `${label} has no END:VCALENDAR; it may be cut off`});
	}

	const bodyMethods = propertyValues(unfolded, 'METHOD').map(method => method.toUpperCase());
	const parameterMethod = attachment.method?.toUpperCase() ?? null;
	const bodyMethod = bodyMethods[0] ?? null;
	if (bodyMethods.length > 1) {
		reading.problems.push({code: 'several-methods', message: `${label} holds several METHODs (${bodyMethods.join(', ')}); the first is used`});
	}

	if (bodyMethod !== null && parameterMethod !== null && bodyMethod !== parameterMethod) {
		// RFC 6047 §2.4 wants them equal; the body is what calendar software acts on, so it wins.
		reading.problems.push({code: 'method-mismatch', message: `${label} says method=${parameterMethod} but its body says METHOD:${bodyMethod}; the body wins`});
	}

	if (bodyMethod === null && parameterMethod === null) {
		reading.problems.push({code: 'no-method', message: `${label} has no METHOD, so it is a plain calendar file rather than an invitation or reply`});
	}

	reading.parts.push({method: bodyMethod ?? parameterMethod, contentType: attachment.mimeType, filename: attachment.filename, text});
	reading.identities.push(identity);
}

async function readAttachment(attachment: Attachment, forwardDepth: number, reading: Reading): Promise<void> {
	const bytes = contentBytes(attachment.content);
	const kind = partKind({contentType: attachment.mimeType, filename: attachment.filename});
	if (kind === 'forwarded') {
		if (forwardDepth + 1 > maxForwardDepth) {
			reading.problems.push({code: 'too-deep', message: `forwarded messages are nested deeper than ${maxForwardDepth} levels; the deeper ones are not read`});
			return;
		}

		await readMessage(bytes, forwardDepth + 1, reading);
		return;
	}

	if (kind === 'tnef') {
		if (reading.readTnef) {
			await readTnef(reading.readTnef, attachment, bytes, reading);
		} else {
			nameTnef(attachment, reading);
		}

		return;
	}

	if (kind === 'calendar' || (kind === 'sniff' && startsWithVcalendar(bytes))) {
		addCalendar(attachment, bytes, reading);
	}
}

/** Reads one message (the mail, or one forwarded inside it): structure check, postal-mime, then each part. */
async function readMessage(bytes: Uint8Array, forwardDepth: number, reading: Reading): Promise<Email | undefined> {
	const structure = checkMimeStructure(bytes, maxMimeDepth);
	reading.problems.push(...structure.problems);
	let email: Email;
	try {
		email = await PostalMime.parse(structure.tooDeep ? headerBlock(bytes) : bytes, {
			// Forwarded messages come back as attachments, to be read here with our own depth count.
			forceRfc822Attachments: true,
			attachmentEncoding: 'arraybuffer',
			maxNestingDepth: maxMimeDepth,
		});
	} catch (error) {
		reading.problems.push({code: 'unreadable', message: `postal-mime could not parse the ${forwardDepth === 0 ? 'mail' : 'forwarded message'}: ${error instanceof Error ? error.message : String(error)}`});
		return undefined;
	}

	for (const attachment of email.attachments) {
		// One part at a time, in document order: a nested message may add parts of its own.
		await readAttachment(attachment, forwardDepth, reading);
	}

	return email;
}

/**
 * Finds every calendar in a mail: parts typed text/calendar or application/ics, parts whose file name ends
 * in `.ics`, and application/octet-stream parts that start with BEGIN:VCALENDAR, at any depth, forwarded
 * messages included. Whatever the transfer encoding or charset, each comes back as normalised text
 * (see `normaliseCalendarText`), with its METHOD, counted once however often the mail repeats it.
 *
 * Never throws and never rejects: malformed MIME, limits, TNEF-only Outlook replies and METHOD conflicts
 * become `problems`, and whatever could still be read is returned. With `options.readTnef` (Node only), an Outlook
 * answer sent only as TNEF is read as the relay reads it and listed as the REPLY it stands for.
 *
 * @example
 * const mail = await readCalendarMail(await file.arrayBuffer());
 * for (const part of mail.parts) console.log(part.method, part.text);
 */
export async function readCalendarMail(raw: RawMail, options: {readTnef?: TnefCalendarReader} = {}): Promise<CalendarMail> {
	const result: CalendarMail = {
		from: null, sender: null, replyTo: [], to: [], subject: null, messageId: null, date: null, authenticationResults: [], parts: [], problems: [],
	};
	const reading: Reading = {readTnef: options.readTnef, parts: result.parts, identities: [], problems: result.problems};
	try {
		const bytes = toBytes(raw);
		if (bytes === undefined) {
			result.problems.push({code: 'unreadable', message: 'the mail is neither text nor bytes'});
			return result;
		}

		if (bytes.byteLength > maxMailBytes) {
			result.problems.push({code: 'too-large', message: `the mail is ${bytes.byteLength} bytes, over the ${maxMailBytes}-byte limit; not read`});
			return result;
		}

		const email = await readMessage(bytes, 0, reading);
		if (email !== undefined) {
			result.from = toMailboxes(email.from)[0] ?? null;
			result.sender = toMailboxes(email.sender)[0] ?? null;
			result.replyTo = toMailboxes(email.replyTo);
			result.to = toMailboxes(email.to);
			result.subject = email.subject ?? null;
			result.messageId = email.messageId ?? null;
			result.date = email.date ?? null;
			result.authenticationResults = email.headers.filter(header => header.key === 'authentication-results').map(header => header.value);
		}
	} catch (error) {
		result.problems.push({code: 'internal', message: `reading stopped early: ${error instanceof Error ? error.message : String(error)}`});
	}

	return result;
}
