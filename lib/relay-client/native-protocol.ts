/**
 * The relay's API over native messaging (the browser starts `purelymail-invites-relay native` and talks to it
 * over stdio), shared by the host (relay/native/) and the client (./native.ts). The calls and their bodies are
 * the HTTP API's (./types.ts); only the envelope differs:
 *
 * - extension → host: `{id, call, body}`, one JSON message each.
 * - host → extension: the answer to `id` is the JSON text of a NativeOutcome, cut into `{id, page, pages, chunk}`
 *   messages, because Chrome refuses any single message over 1 MB from a host and a reply poll can be larger.
 * - host → extension, unasked: `{event: ...}` (new mail in INBOX, the IDLE watch starting or stopping).
 */
import type {RelayAccount, RelayErrorInfo} from './types.ts';

/** The calls: those of the HTTP API, plus `watch` (keep IMAP IDLE on INBOX for an account) and `unwatch`. */
export const nativeCalls = ['health', 'verify', 'send', 'replies', 'move', 'watch', 'unwatch'] as const;
export type NativeCall = typeof nativeCalls[number];

export type NativeRequest = {id: number; call: NativeCall; body?: unknown};

/** `watch`'s body: the account whose INBOX to keep IDLE on (RFC 2177). One watch per host; a new one replaces it. */
export type WatchRequest = {account: RelayAccount};
/** `watch`'s and `unwatch`'s answer. */
export type WatchResponse = {watching: boolean};

/** What a call came to, before it is cut into pages. */
export type NativeOutcome = {ok: true; result: unknown} | {ok: false; error: RelayErrorInfo};

/** One page of an answer; the pages of one `id` come in order, `page` counting from 0. */
export type NativePage = {id: number; page: number; pages: number; chunk: string};

/** Something the host says unasked. */
export type NativeEvent =
	/** New mail in the watched INBOX (an IDLE EXISTS): fetch replies now. */
	| {event: 'new-mail'; folder: string}
	/** The IDLE watch started, or stopped (with why, e.g. the server dropped the connection). */
	| {event: 'watch'; watching: boolean; error?: RelayErrorInfo};

export type NativeHostMessage = NativePage | NativeEvent;

/**
 * Chrome's limit on one message from a host is 1 MB (1024 × 1024 bytes of JSON). A chunk of at most this many
 * UTF-16 code units takes at most 6 bytes each once JSON-encoded (a control character becomes \u00XX), so a
 * page stays under the limit with room for its envelope, whatever the text.
 */
export const maxChunkLength = 160 * 1024;

/**
 * Cuts an answer's JSON text into chunks of at most maxChunkLength code units, never between the two halves
 * of a surrogate pair (each chunk must be valid UTF-16 to survive UTF-8 encoding on its own).
 */
export function chunkText(text: string, maxLength = maxChunkLength): string[] {
	const chunks: string[] = [];
	let start = 0;
	while (start < text.length || chunks.length === 0) {
		let end = Math.min(text.length, start + maxLength);
		const last = text.charCodeAt(end - 1);
		if (end < text.length && last >= 0xD8_00 && last <= 0xDB_FF) {
			end--;
		}

		chunks.push(text.slice(start, end));
		start = end;
	}

	return chunks;
}

/** The pages for one answer. */
export function pagesOf(id: number, outcome: NativeOutcome, maxLength = maxChunkLength): NativePage[] {
	const chunks = chunkText(JSON.stringify(outcome), maxLength);
	return chunks.map((chunk, page) => ({id, page, pages: chunks.length, chunk}));
}

export function isNativePage(message: unknown): message is NativePage {
	if (typeof message !== 'object' || message === null) {
		return false;
	}

	const {id, page, pages, chunk} = message as Partial<NativePage>;
	return Number.isInteger(id) && Number.isInteger(page) && Number.isInteger(pages) && typeof chunk === 'string'
		&& page! >= 0 && page! < pages!;
}

export function isNativeEvent(message: unknown): message is NativeEvent {
	if (typeof message !== 'object' || message === null) {
		return false;
	}

	const {event} = message as {event?: unknown};
	return event === 'new-mail' || event === 'watch';
}
