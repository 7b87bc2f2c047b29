/**
 * Text from a stranger, made safe to store and show: no control characters, no bidi overrides, and a size cap.
 *
 * Anyone can mail the organizer, so every text a reply carries (COMMENT, CN, REQUEST-STATUS, addresses, subjects)
 * is cleaned before it is written to CalDAV, kept in an outcome or put in a sentence. Hand-written because it is a
 * few lines of Unicode classes; no library does "strip and cap on a code point boundary" with these exact classes.
 */

/** A COMMENT is kept up to this many UTF-16 units (about 1 KB of text). */
export const maxCommentLength = 1024;
/** A display name (CN) or a subject. */
export const maxNameLength = 200;
/** Anything else shown in a sentence: an address, a UID, a parser's message. */
export const maxShortLength = 254;

// C0 and C1 controls except TAB and LF (kept in multi-line text), DEL, and the bidi embeddings, overrides and
// isolates (U+202A-U+202E, U+2066-U+2069) plus the marks (U+200E, U+200F, U+061C) that reorder what a reader sees.
// eslint-disable-next-line no-control-regex -- matching control characters is this regex's whole job
const unsafeMultiline = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
// eslint-disable-next-line no-control-regex -- matching control characters is this regex's whole job
const unsafeLine = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair; marks a cut with an ellipsis. */
export function cap(text: string, max: number): string {
	if (text.length <= max) {
		return text;
	}

	let end = Math.max(0, max - 1);
	const last = text.charCodeAt(end - 1);
	// A high surrogate at the cut would leave half a character.
	if (last >= 0xD8_00 && last <= 0xDB_FF) {
		end--;
	}

	return `${text.slice(0, end)}…`;
}

/** One line of text: controls (CR, LF and tabs included) become spaces, bidi controls go, runs of spaces shrink. */
export function cleanLine(text: string, max: number = maxShortLength): string {
	// Cap first as well, so a 900 KB value is not scanned by the regexes below in full.
	const head = text.length > max * 4 ? text.slice(0, max * 4) : text;
	return cap(head.replace(unsafeLine, ' ').replace(/ {2,}/g, ' ').trim(), max);
}

/** Multi-line text (a COMMENT): line ends become LF, other controls and bidi controls go. */
export function cleanText(text: string, max: number = maxCommentLength): string {
	const head = text.length > max * 4 ? text.slice(0, max * 4) : text;
	return cap(head.replace(/\r\n?/g, '\n').replace(unsafeMultiline, '').trim(), max);
}
