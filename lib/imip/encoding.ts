/**
 * The byte-level MIME encodings the composer needs: quoted-printable and base64 bodies (RFC 2045 §6.7, §6.8),
 * RFC 2047 encoded words, and RFC 5322 header folding. Browser-safe: TextEncoder and btoa only, no Buffer.
 *
 * mimetext writes whatever body string it is given and B-encodes names and subjects without folding,
 * so these are done here and handed to it ready-made (see mimetext-adapter.ts).
 */

/** RFC 5322 §2.1.1 asks for lines of at most 78 characters; RFC 2045 §6.7 caps quoted-printable at 76. We keep every line at 76. */
export const maxLineLength = 76;

const crlf = '\r\n';
const utf8 = new TextEncoder();

/** The text with every CR, LF or CRLF turned into CRLF, the canonical line end of MIME text (RFC 2046 §4.1.1). */
export function toCrlf(text: string): string {
	return text.replaceAll(/\r\n|\r|\n/g, crlf);
}

/**
 * True when `text` can go out as `7bit` (RFC 2045 §2.7): ASCII without NUL or other control characters
 * except TAB, CRLF line ends only, and no line longer than `maxLineLength`.
 */
export function isSevenBitSafe(text: string): boolean {
	for (const line of text.split(crlf)) {
		if (line.length > maxLineLength || /[^\t\u0020-\u007E]/.test(line)) {
			return false;
		}
	}

	return true;
}

function hexByte(byte: number): string {
	return `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** One line (no line break in it) as quoted-printable, soft-broken so no output line exceeds 76 characters. */
function quotedPrintableLine(line: string): string {
	const bytes = utf8.encode(line);
	const tokens: string[] = [];
	for (const [index, byte] of bytes.entries()) {
		const isLast = index === bytes.length - 1;
		const printable = byte >= 33 && byte <= 126 && byte !== 0x3D;
		// Trailing whitespace is encoded because transports strip it (RFC 2045 §6.7 rule 3).
		const whitespace = (byte === 0x20 || byte === 0x09) && !isLast;
		// "From " at the start of a line gets mangled into ">From " by mbox stores; encoding the F avoids it.
		const mboxFrom = index === 0 && byte === 0x46 && line.startsWith('From ');
		tokens.push((printable || whitespace) && !mboxFrom ? String.fromCodePoint(byte) : hexByte(byte));
	}

	const output: string[] = [];
	let current = '';
	for (const token of tokens) {
		// Leave room for the "=" of a soft line break (RFC 2045 §6.7 rule 5).
		if (current.length + token.length > maxLineLength - 1) {
			output.push(`${current}=`);
			current = '';
		}

		current += token;
	}

	output.push(current);
	return output.join(crlf);
}

/** Quoted-printable (RFC 2045 §6.7) of UTF-8 text; its line breaks (any style) become hard CRLF breaks. */
export function encodeQuotedPrintable(text: string): string {
	return toCrlf(text).split(crlf).map(line => quotedPrintableLine(line)).join(crlf);
}

/** Base64 of the bytes, in lines of 76 characters (RFC 2045 §6.8). */
export function encodeBase64(bytes: Uint8Array): string {
	let binary = '';
	// Chunked: String.fromCharCode(...bytes) overflows the argument limit for large inputs.
	for (let start = 0; start < bytes.length; start += 0x80_00) {
		binary += String.fromCharCode(...bytes.subarray(start, start + 0x80_00));
	}

	const base64 = btoa(binary);
	const lines: string[] = [];
	for (let start = 0; start < base64.length; start += maxLineLength) {
		lines.push(base64.slice(start, start + maxLineLength));
	}

	return lines.join(crlf);
}

/** Base64 of the UTF-8 bytes of `text`. */
export function encodeBase64Text(text: string): string {
	return encodeBase64(utf8.encode(text));
}

/** True for text that needs no encoding in a header: printable ASCII and spaces, nothing that looks like an encoded word. */
export function isPlainHeaderText(text: string): boolean {
	return /^[\u0020-\u007E]*$/.test(text) && !text.includes('=?');
}

// "=?UTF-8?B?" + "?=": an encoded word may be at most 75 characters in all (RFC 2047 §2).
const encodedWordOverhead = '=?UTF-8?B??='.length;
const maxEncodedWordLength = 75;

/**
 * RFC 2047 B encoded words for `text`, each at most `firstBudget` (the first) or 75 characters long,
 * never splitting a character across two words (RFC 2047 §5 (3)).
 */
export function encodeWords(text: string, firstBudget: number = maxEncodedWordLength): string[] {
	const words: string[] = [];
	let chunk = '';
	let chunkBytes = 0;
	const budgetBytes = (): number => {
		const budget = Math.min(words.length === 0 ? firstBudget : maxEncodedWordLength, maxEncodedWordLength);
		// Every 3 bytes become 4 base64 characters.
		return Math.floor((budget - encodedWordOverhead) / 4) * 3;
	};

	const flush = (): void => {
		words.push(`=?UTF-8?B?${encodeBase64Text(chunk).replaceAll(crlf, '')}?=`);
		chunk = '';
		chunkBytes = 0;
	};

	for (const character of text) {
		const size = utf8.encode(character).length;
		if (chunkBytes > 0 && chunkBytes + size > budgetBytes()) {
			flush();
		}

		chunk += character;
		chunkBytes += size;
	}

	if (chunkBytes > 0 || words.length === 0) {
		flush();
	}

	return words;
}

/**
 * Joins the tokens of a header body with single spaces, starting a new line (CRLF + space, RFC 5322 §2.2.3)
 * wherever the next token would push the line past 76 characters. `prefixLength` is the length of `Name: `.
 * A token longer than a line stays whole on its own line: tokens are never split.
 */
export function foldTokens(tokens: readonly string[], prefixLength: number): string {
	let output = '';
	let lineLength = prefixLength;
	for (const [index, token] of tokens.entries()) {
		if (index === 0) {
			output = token;
			lineLength += token.length;
		} else if (lineLength + 1 + token.length > maxLineLength) {
			output += `${crlf} ${token}`;
			lineLength = 1 + token.length;
		} else {
			output += ` ${token}`;
			lineLength += 1 + token.length;
		}
	}

	return output;
}

/**
 * An unstructured header body (Subject): plain ASCII words folded at spaces, or, when anything needs
 * encoding, the whole text as RFC 2047 encoded words, one per line where needed.
 */
export function encodeUnstructured(text: string, prefixLength: number): string {
	if (isPlainHeaderText(text)) {
		return foldTokens(text.split(' ').filter(word => word !== ''), prefixLength);
	}

	return foldTokens(encodeWords(text, maxLineLength - prefixLength), prefixLength);
}

// RFC 5322 §3.2.3 atext: a word made of these needs no quoting.
const atomWord = /^[\w!#$%&'*+\-/=?^`{|}~]+$/;

function isAtomWord(word: string): boolean {
	return atomWord.test(word) && !word.includes('=?');
}

/**
 * RFC 2047 words for a run of display-name words. Breaks fall after a space, and the space stays inside
 * the earlier word: decoders drop the whitespace between two encoded words (RFC 2047 §6.2), so a space
 * outside them would be lost. (Python's address parser keeps that whitespace, so it reads a doubled space
 * where a run of non-ASCII words is too long for one encoded word, i.e. more than 45 bytes of UTF-8.)
 */
function encodePhraseRun(words: readonly string[], firstBudget: number): string[] {
	const encoded: string[] = [];
	let chunk = '';
	const capacity = (): number => Math.floor(((encoded.length === 0 ? firstBudget : maxEncodedWordLength) - encodedWordOverhead) / 4) * 3;
	const flush = (): void => {
		if (chunk !== '') {
			encoded.push(...encodeWords(chunk, encoded.length === 0 ? firstBudget : maxEncodedWordLength));
			chunk = '';
		}
	};

	for (const [index, word] of words.entries()) {
		const piece = index < words.length - 1 ? `${word} ` : word;
		if (chunk !== '' && utf8.encode(chunk + piece).length > capacity()) {
			flush();
		}

		chunk += piece;
	}

	flush();
	return encoded;
}

/**
 * The display-name tokens of a mailbox (RFC 5322 §3.4): atoms, a quoted string (§3.2.4), or, when a word
 * is not ASCII, RFC 2047 encoded words (§5 (3)) for each run of such words, plain words left readable.
 */
export function encodeDisplayName(name: string, firstBudget: number = maxEncodedWordLength): string[] {
	const words = name.split(' ').filter(word => word !== '');
	if (words.every(word => isAtomWord(word))) {
		return words;
	}

	if (isPlainHeaderText(name)) {
		return [`"${name.replaceAll(/(["\\])/g, '\\$1')}"`];
	}

	const tokens: string[] = [];
	let run: string[] = [];
	for (const word of words) {
		if (isAtomWord(word)) {
			tokens.push(...encodePhraseRun(run, tokens.length === 0 ? firstBudget : maxEncodedWordLength), word);
			run = [];
		} else {
			run.push(word);
		}
	}

	tokens.push(...encodePhraseRun(run, tokens.length === 0 ? firstBudget : maxEncodedWordLength));
	return tokens;
}

/** A mailbox list header body (From, To, Cc): `name <address>` entries separated by commas, folded between tokens. */
export function encodeMailboxList(mailboxes: ReadonlyArray<{name: string; address: string}>, prefixLength: number): string {
	const tokens: string[] = [];
	for (const [index, mailbox] of mailboxes.entries()) {
		const comma = index < mailboxes.length - 1 ? ',' : '';
		// Only the very first token shares its line with `Name: `; later ones can start a line of their own.
		const firstBudget = index === 0 ? maxLineLength - prefixLength : maxEncodedWordLength;
		tokens.push(...encodeDisplayName(mailbox.name, firstBudget), `<${mailbox.address}>${comma}`);
	}

	return foldTokens(tokens, prefixLength);
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** An RFC 5322 §3.3 date-time in UTC, e.g. `Tue, 01 Dec 2026 15:00:00 +0000`. */
export function formatMailDate(date: Date): string {
	const pad = (value: number): string => String(value).padStart(2, '0');
	const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
	return `${weekdays[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${time} +0000`;
}
