/**
 * Which body parts of a message carry a calendar, decided from IMAP BODYSTRUCTURE alone (RFC 3501 §7.4.2),
 * and how to decode a part once it is fetched. This is what lets /v1/replies skip every other byte.
 */
import type {MessageStructureObject} from 'imapflow';
import {maxCalendarParts, partKind} from '../lib/imip/calendar-part-rule.ts';

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
	/** True for application/octet-stream: a calendar only if its bytes start with BEGIN:VCALENDAR (known once fetched). */
	sniff: boolean;
};

function filenameOf(node: MessageStructureObject): string | null {
	return node.dispositionParameters?.filename ?? node.parameters?.name ?? null;
}

/**
 * Lists the parts of a message that may be calendars, from its BODYSTRUCTURE, depth first, in message order, by the
 * one calendar-part rule (lib/imip/calendar-part-rule.ts); at most `maxCalendarParts`. Attached messages
 * (message/rfc822) are not entered (see `PartKind`). Size is not decided here: see `fetchReply`.
 */
export function findCalendarParts(structure: MessageStructureObject): CalendarPartRef[] {
	const found: CalendarPartRef[] = [];
	const visit = (node: MessageStructureObject): void => {
		const type = node.type.toLowerCase();
		if (type.startsWith('multipart/')) {
			for (const child of node.childNodes ?? []) {
				visit(child);
			}

			return;
		}

		const kind = partKind({contentType: type, filename: filenameOf(node)});
		if (kind === 'calendar' || kind === 'tnef' || kind === 'sniff') {
			found.push({
				// A single-part message has no part number in imapflow's tree; its body is part 1 (RFC 3501 §6.4.5).
				part: node.part ?? '1',
				contentType: type,
				filename: filenameOf(node),
				transferEncoding: (node.encoding ?? '7bit').toLowerCase(),
				charset: node.parameters?.charset?.toLowerCase() ?? null,
				size: node.size ?? 0,
				binary: kind === 'tnef',
				sniff: kind === 'sniff',
			});
		}
	};

	visit(structure);
	return found.slice(0, maxCalendarParts);
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
