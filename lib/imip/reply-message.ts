/**
 * A saved mail as the relay's /v1/replies would hand it to the reply loop: the same `ReplyMessage`, decided by the
 * same calendar-part rule (calendar-part-rule.ts), so `pmi apply-reply` runs the loop's own classify → decide steps
 * on it. Parsing is postal-mime's, in memory; the relay reads the same facts from IMAP BODYSTRUCTURE.
 */
import PostalMime, {type Address, type Attachment, type Email} from 'postal-mime';
import type {CalendarPart, MailAddress, ReplyHeaders, ReplyMessage, SkippedPart, TnefReading} from '../relay-client/types.ts';
import {
	calendarPartText, isCharsetDecodedType, isTooLarge, maxCalendarParts, normaliseCalendarText, partKind, startsWithVcalendar,
} from './calendar-part-rule.ts';

function mailbox(address: Address | undefined): MailAddress | null {
	if (address?.address === undefined) {
		return null;
	}

	return {name: address.name, address: address.address};
}

function mailboxes(addresses: Address[] | undefined): MailAddress[] {
	return (addresses ?? []).flatMap(address => address.group ?? [address]).map(address => ({name: address.name, address: address.address}));
}

/** The header fields the extension trusts and matches on, from a parsed mail (or its header block alone, as the relay fetches it). */
export function replyHeadersOf(email: Email): ReplyHeaders {
	return {
		from: mailbox(email.from),
		sender: mailbox(email.sender),
		to: mailboxes(email.to),
		subject: email.subject ?? '',
		messageId: email.messageId ?? null,
		date: email.date ?? null,
		authenticationResults: email.headers.filter(header => header.key === 'authentication-results').map(header => header.value),
	};
}

/** Base64 of bytes, in the browser and in Node alike (btoa takes a binary string; chunks keep the argument list short). */
function base64Of(bytes: Uint8Array): string {
	let binary = '';
	for (let index = 0; index < bytes.length; index += 0x80_00) {
		binary += String.fromCharCode(...bytes.subarray(index, index + 0x80_00));
	}

	return btoa(binary);
}

function bytesOf(content: Attachment['content']): Uint8Array {
	return typeof content === 'string' ? new TextEncoder().encode(content) : new Uint8Array(content);
}

/** Where the message came from, as the relay would say; a saved file has no folder or UID. */
export type MessagePlace = {folder: string; uid: number; seen: boolean};

/**
 * Reads Outlook's TNEF (winmail.dat) as the relay does. Its parser (node-tnef, relay/tnef.ts) is Node-only, so it is
 * handed in by Node callers (the command line); without it a TNEF part goes on as bytes alone, as from a relay older
 * than TNEF reading.
 */
export type TnefReader = (bytes: Uint8Array) => Promise<TnefReading>;

export type ReplyMessageOptions = {place?: MessagePlace; readTnef?: TnefReader};

export async function replyMessageOf(raw: string | Uint8Array | ArrayBuffer, options: ReplyMessageOptions = {}): Promise<ReplyMessage> {
	const place = options.place ?? {folder: 'file', uid: 0, seen: true};
	const email = await PostalMime.parse(raw, {forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer'});
	const candidates = email.attachments
		.map(attachment => ({attachment, kind: partKind({contentType: attachment.mimeType, filename: attachment.filename})}))
		.filter(({kind}) => kind === 'calendar' || kind === 'tnef' || kind === 'sniff')
		.slice(0, maxCalendarParts);
	const calendarParts: CalendarPart[] = [];
	const skippedParts: SkippedPart[] = [];
	for (const [index, {attachment, kind}] of candidates.entries()) {
		const bytes = bytesOf(attachment.content);
		const part = `#${index + 1}`;
		const contentType = attachment.mimeType.toLowerCase();
		if (isTooLarge(bytes.byteLength)) {
			if (kind !== 'sniff') {
				skippedParts.push({part, contentType, filename: attachment.filename, size: bytes.byteLength});
			}

			continue;
		}

		if (kind === 'sniff' && !startsWithVcalendar(bytes)) {
			continue;
		}

		if (kind === 'tnef') {
			const tnef = options.readTnef ? await options.readTnef(bytes) : undefined;
			calendarParts.push({part, contentType, filename: attachment.filename, encoding: 'base64', text: base64Of(bytes), ...(tnef ? {tnef} : {})});
			continue;
		}

		// postal-mime has already read text/calendar and application/ics in their charset, into UTF-8.
		const text = normaliseCalendarText(calendarPartText(bytes, contentType, isCharsetDecodedType(contentType) ? 'utf-8' : null).text);
		calendarParts.push({part, contentType, filename: attachment.filename, encoding: 'utf-8', text});
	}

	return {...place, headers: replyHeadersOf(email), calendarParts, ...(skippedParts.length > 0 ? {skippedParts} : {})};
}
