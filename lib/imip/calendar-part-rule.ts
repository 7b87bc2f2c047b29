/**
 * Which MIME part of a mail is a calendar: the one rule for the relay's BODYSTRUCTURE filter (relay/bodystructure.ts),
 * the in-memory reader of a saved mail (reply-message.ts, `pmi apply-reply`) and the webmail card's reader
 * (read-calendar-mail.ts). Pure: it decides on a part's type, file name, size and first bytes; each side adapts its
 * own structure (imapflow's BODYSTRUCTURE tree, postal-mime's attachments) to it.
 */

/** The facts of one leaf part that the rule looks at. `contentType` is `type/subtype`, any case, no parameters. */
export type PartFacts = {contentType: string; filename: string | null | undefined};

/**
 * - `calendar`: iCalendar text.
 * - `sniff`: a calendar only if its decoded bytes start with BEGIN:VCALENDAR (see `startsWithVcalendar`).
 * - `tnef`: Outlook's winmail.dat; handed over as bytes (base64), never read as text here.
 * - `forwarded`: a whole message inside this one (message/rfc822). The reply loop (the relay's /v1/replies and a saved
 *   mail read for `pmi apply-reply`) does not enter it: a forwarded invitation or reply was not sent to the user by its
 *   author. The webmail card's reader does, to show what a forwarded mail carries (up to `maxForwardDepth` levels).
 */
export type PartKind = 'calendar' | 'sniff' | 'tnef' | 'forwarded';

/** Types that carry iCalendar text: text/calendar (RFC 6047 §2.4), application/ics (common), text/x-vcalendar (vCalendar 1.0 clients). */
const calendarTypes: ReadonlySet<string> = new Set(['text/calendar', 'application/ics', 'text/x-vcalendar']);

/** File names of calendar data whatever the type says (RFC 5545 §8.1 `.ics`/`.ifb`; `.ical` and vCalendar's `.vcs` in the wild). */
const calendarExtensions = ['.ics', '.ical', '.ifb', '.vcs'] as const;

/** Outlook's Transport Neutral Encapsulation: an Exchange reply may exist only as winmail.dat. */
const tnefTypes: ReadonlySet<string> = new Set(['application/ms-tnef', 'application/vnd.ms-tnef']);

/** Forwarded messages (RFC 2046 §5.2.1; message/global is RFC 6532's UTF-8 form). */
const forwardedTypes: ReadonlySet<string> = new Set(['message/rfc822', 'message/global']);

/**
 * The largest calendar part read, decoded. Real iTIP payloads are a few kilobytes; a calendar this size is either
 * an abuse or carries inline attachments we would not use, and ical.js holds it in memory several times.
 */
export const maxCalendarBytes = 1024 * 1024;

/** Calendar parts kept per mail; a mail with more is not an invitation anyone sent by hand. */
export const maxCalendarParts = 16;

/** Forwarded messages inside each other that a reader enters. Each level is parsed again, so the work grows with the depth. */
export const maxForwardDepth = 5;

export function partKind({contentType, filename}: PartFacts): PartKind | undefined {
	const type = contentType.toLowerCase();
	const name = filename?.toLowerCase() ?? '';
	if (forwardedTypes.has(type)) {
		return 'forwarded';
	}

	if (tnefTypes.has(type) || name === 'winmail.dat') {
		return 'tnef';
	}

	if (calendarTypes.has(type) || calendarExtensions.some(extension => name.endsWith(extension))) {
		return 'calendar';
	}

	return type === 'application/octet-stream' ? 'sniff' : undefined;
}

/** Whether postal-mime has already turned the part into UTF-8 text in its declared charset (it does for these two types). */
export function isCharsetDecodedType(contentType: string): boolean {
	const type = contentType.toLowerCase();
	return type === 'text/calendar' || type === 'application/ics';
}

const latin1 = new TextDecoder('latin1');

/** True when the bytes, after a UTF-8 BOM and white space, start with BEGIN:VCALENDAR (RFC 5545 §3.4). */
export function startsWithVcalendar(bytes: Uint8Array): boolean {
	const start = latin1.decode(bytes.subarray(0, 64)).replace(/^(?:\u00EF\u00BB\u00BF)?\s*/, '');
	return start.toUpperCase().startsWith('BEGIN:VCALENDAR');
}

/**
 * At most how many bytes a part holds once its Content-Transfer-Encoding is undone, from the encoded size a server
 * reports (base64 packs 3 bytes in 4 characters, RFC 2045 §6.8; quoted-printable and the rest never grow when decoded).
 */
export function decodedSizeBound(encodedSize: number, transferEncoding: string | null | undefined): number {
	return transferEncoding?.toLowerCase() === 'base64' ? Math.floor(encodedSize * 3 / 4) : encodedSize;
}

export function isTooLarge(decodedSize: number): boolean {
	return decodedSize > maxCalendarBytes;
}

/** Bytes to text in a part's declared charset; UTF-8 (iCalendar's default, RFC 5545 §3.1.4) when none is given or the label is unknown. */
export function textInCharset(bytes: Uint8Array, charset: string | null | undefined): string {
	try {
		return new TextDecoder(charset ?? 'utf-8').decode(bytes);
	} catch {
		return new TextDecoder('utf-8').decode(bytes);
	}
}

const strictUtf8 = new TextDecoder('utf-8', {fatal: true});

/**
 * The text of a calendar part's decoded bytes. text/calendar and application/ics are read in their declared charset
 * (UTF-8 when none, RFC 5545 §3.1.4); any other part as UTF-8, and as Windows-1252 when it is not valid UTF-8
 * (`fallback` then says so).
 */
export function calendarPartText(bytes: Uint8Array, contentType: string, charset: string | null | undefined): {text: string; fallback: boolean} {
	if (isCharsetDecodedType(contentType)) {
		return {text: textInCharset(bytes, charset), fallback: false};
	}

	try {
		return {text: strictUtf8.decode(bytes), fallback: false};
	} catch {
		return {text: new TextDecoder('windows-1252').decode(bytes), fallback: true};
	}
}

/**
 * The one form every calendar is compared and returned in: no BOM, CRLF line ends (Outlook.com sends LF),
 * folded lines continued with a space rather than a tab (Outlook 16 folds with tabs; RFC 5545 §3.1 allows
 * both, so this changes nothing but the bytes), exactly one final CRLF.
 */
export function normaliseCalendarText(text: string): string {
	return `${text.replace(/^\uFEFF/, '').replaceAll(/\r\n|\r|\n/g, '\r\n').replaceAll('\r\n\t', '\r\n ').replace(/(?:\r\n)+$/, '')}\r\n`;
}
