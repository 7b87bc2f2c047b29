/**
 * Which body parts of a message carry a calendar, decided from IMAP BODYSTRUCTURE alone (RFC 3501 §7.4.2),
 * and how to decode a part once it is fetched. This is what lets /v1/replies skip every other byte.
 */
import type {MessageStructureObject} from 'imapflow';

/** A body part worth downloading: where it is and how to decode it. */
export type CalendarPartRef = {
	/** IMAP part number: '1' for a single-part message, '2', '1.3' ... in a multipart one. */
	part: string;
	/** Lower-case MIME type, e.g. 'text/calendar'. */
	contentType: string;
	filename: string | null;
	/** Content-Transfer-Encoding, lower case ('7bit', 'base64', 'quoted-printable' ...). */
	transferEncoding: string;
	/** Declared charset, lower case, or null. */
	charset: string | null;
	/** Encoded size in bytes as the server reports it. */
	size: number;
	/** True for TNEF (winmail.dat): bytes, not text. */
	binary: boolean;
};

/** Types that carry iCalendar text (RFC 6047 §2.4 names text/calendar; application/ics is common too). */
const calendarTypes = new Set(['text/calendar', 'application/ics', 'text/x-vcalendar']);

/** Outlook's Transport Neutral Encapsulation: an Exchange reply may exist only as winmail.dat. */
const tnefTypes = new Set(['application/ms-tnef', 'application/vnd.ms-tnef']);

function filenameOf(node: MessageStructureObject): string | null {
	return node.dispositionParameters?.filename ?? node.parameters?.name ?? null;
}

/** Whether one leaf part is a calendar, and if so whether binary. */
function classify(node: MessageStructureObject): {binary: boolean} | undefined {
	const type = node.type.toLowerCase();
	const filename = filenameOf(node)?.toLowerCase() ?? '';
	if (calendarTypes.has(type) || filename.endsWith('.ics') || filename.endsWith('.ical') || filename.endsWith('.ifb')) {
		return {binary: false};
	}

	if (tnefTypes.has(type) || filename === 'winmail.dat') {
		return {binary: true};
	}

	return undefined;
}

/**
 * Lists the calendar parts of a message from its BODYSTRUCTURE, depth first, in message order.
 * Attached messages (message/rfc822) are not entered: a forwarded invitation is not a reply to us.
 */
export function findCalendarParts(structure: MessageStructureObject): CalendarPartRef[] {
	const found: CalendarPartRef[] = [];
	const visit = (node: MessageStructureObject, isRoot: boolean): void => {
		const type = node.type.toLowerCase();
		if (type.startsWith('multipart/')) {
			for (const child of node.childNodes ?? []) {
				visit(child, false);
			}

			return;
		}

		if (type === 'message/rfc822' && !isRoot) {
			return;
		}

		const kind = classify(node);
		if (kind) {
			found.push({
				// A single-part message has no part number in imapflow's tree; its body is part 1 (RFC 3501 §6.4.5).
				part: node.part ?? '1',
				contentType: type,
				filename: filenameOf(node),
				transferEncoding: (node.encoding ?? '7bit').toLowerCase(),
				charset: node.parameters?.charset?.toLowerCase() ?? null,
				size: node.size ?? 0,
				binary: kind.binary,
			});
		}
	};

	visit(structure, true);
	return found;
}

/** Decodes quoted-printable (RFC 2045 §6.7): `=XX` escapes and `=` soft line breaks. */
export function decodeQuotedPrintable(encoded: Buffer): Buffer {
	const equals = 0x3D;
	const decoded = Buffer.alloc(encoded.length);
	let length = 0;
	for (let index = 0; index < encoded.length; index++) {
		const byte = encoded[index]!;
		if (byte === equals) {
			const next = encoded[index + 1];
			if (next === 0x0D && encoded[index + 2] === 0x0A) {
				index += 2;
				continue;
			}

			if (next === 0x0A) {
				index += 1;
				continue;
			}

			const hex = encoded.toString('latin1', index + 1, index + 3);
			if (/^[\da-f]{2}$/i.test(hex)) {
				decoded[length++] = Number.parseInt(hex, 16);
				index += 2;
				continue;
			}
		}

		decoded[length++] = byte;
	}

	return decoded.subarray(0, length);
}

/** Undoes the Content-Transfer-Encoding of a fetched part (BODY[part] comes encoded). */
export function decodeTransferEncoding(raw: Buffer, transferEncoding: string): Buffer {
	switch (transferEncoding) {
		case 'base64': {
			return Buffer.from(raw.toString('latin1').replaceAll(/[^A-Za-z\d+/=]/g, ''), 'base64');
		}

		case 'quoted-printable': {
			return decodeQuotedPrintable(raw);
		}

		default: {
			// 7bit, 8bit, binary: the bytes as they are.
			return raw;
		}
	}
}

/** Bytes to text in the part's charset; UTF-8 when none is given or Node does not know it. */
export function decodeText(bytes: Buffer, charset: string | null): string {
	try {
		return new TextDecoder(charset ?? 'utf-8').decode(bytes);
	} catch {
		return new TextDecoder('utf-8').decode(bytes);
	}
}
