/**
 * Real clients' invitations (../shared/fixtures/itip/samples/, read by path, never edited) delivered to the sandbox's
 * accounts: the mail's From/To/Message-ID/Date headers are replaced and, in each calendar part, the senders'
 * addresses are rewritten to ours. Each calendar part is decoded from its transfer encoding (Outlook's base64,
 * Google's quoted-printable), unfolded, rewritten, folded again and encoded the same way, so the mail keeps its
 * sender's shape: its MIME tree, encodings and headers. Hand-written because no library here edits MIME in place
 * (postal-mime and mailsplit read it); only the parts this test needs are handled.
 */
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {encodeBase64Text, encodeQuotedPrintable} from '../../../lib/imip/encoding.ts';
import {unfold} from '../../../lib/ical-lines.ts';
import {foldLine} from '../../../lib/itip/index.ts';
import {repoRoot} from '../../sandbox/paths.ts';

export const fixtureSamples = path.join(repoRoot, '../shared/fixtures/itip/samples');

export async function fixtureMail(name: string): Promise<string> {
	return (await readFile(path.join(fixtureSamples, name), 'utf8')).replaceAll(/\r?\n/g, '\r\n');
}

function splitHead(entity: string): {head: string; body: string} {
	const end = entity.indexOf('\r\n\r\n');
	return end === -1 ? {head: entity, body: ''} : {head: entity.slice(0, end), body: entity.slice(end + 4)};
}

function header(head: string, name: string): string {
	const unfolded = head.replaceAll(/\r\n[ \t]+/g, ' ');
	return new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded)?.[1]?.trim() ?? '';
}

/** RFC 2045 §6.7, decoding only. */
function decodeQuotedPrintable(text: string): string {
	const bytes: number[] = [];
	const joined = text.replaceAll(/=\r?\n/g, '');
	for (let index = 0; index < joined.length; index++) {
		const hex = joined.slice(index + 1, index + 3);
		if (joined[index] === '=' && /^[\dA-F]{2}$/i.test(hex)) {
			bytes.push(Number.parseInt(hex, 16));
			index += 2;
		} else {
			bytes.push(...new TextEncoder().encode(joined[index]!));
		}
	}

	return new TextDecoder().decode(new Uint8Array(bytes));
}

function rewriteCalendar(calendar: string, replacements: Record<string, string>, used: Set<string>): string {
	let text = unfold(calendar.replaceAll(/\r?\n/g, '\r\n'));
	for (const [from, to] of Object.entries(replacements)) {
		if (text.includes(from)) {
			used.add(from);
			text = text.replaceAll(from, to);
		}
	}

	return text.split('\r\n').map(line => foldLine(line)).join('\r\n');
}

function rewriteEntity(entity: string, replacements: Record<string, string>, used: Set<string>): string {
	const {head, body} = splitHead(entity);
	const type = header(head, 'content-type').toLowerCase();
	const boundary = /boundary="?([^";]+)"?/i.exec(header(head, 'content-type'))?.[1];
	if (type.startsWith('multipart/') && boundary) {
		const pieces = body.split(`--${boundary}`);
		return `${head}\r\n\r\n${pieces.map((piece, index) => {
			// The preamble, and what follows the closing `--boundary--`, stay as they are.
			if (index === 0 || piece.startsWith('--')) {
				return piece;
			}

			const inner = piece.replace(/^\r\n/, '').replace(/\r\n$/, '');
			return `\r\n${rewriteEntity(inner, replacements, used)}\r\n`;
		}).join(`--${boundary}`)}`;
	}

	if (!type.startsWith('text/calendar') && !type.startsWith('application/ics')) {
		return entity;
	}

	const encoding = header(head, 'content-transfer-encoding').toLowerCase();
	if (encoding === 'base64') {
		const calendar = rewriteCalendar(Buffer.from(body.replaceAll(/\s/g, ''), 'base64').toString('utf8'), replacements, used);
		return `${head}\r\n\r\n${encodeBase64Text(calendar)}\r\n`;
	}

	if (encoding === 'quoted-printable') {
		return `${head}\r\n\r\n${encodeQuotedPrintable(rewriteCalendar(decodeQuotedPrintable(body), replacements, used))}`;
	}

	return `${head}\r\n\r\n${rewriteCalendar(body, replacements, used)}`;
}

/**
 * The fixture as a new mail: `headers` replace the top-level From, To, Subject, Message-ID and Date; `replacements`
 * rewrite text in every calendar part. Fails when a replacement finds nothing (the fixture is not what the test thinks).
 */
export function rewriteFixture(raw: string, headers: {from: string; to: string; messageId: string; subject?: string}, replacements: Record<string, string>): string {
	const {head, body} = splitHead(raw);
	const values: Record<string, string> = {from: headers.from, to: headers.to, 'message-id': headers.messageId, date: new Date().toUTCString(), ...(headers.subject ? {subject: headers.subject} : {})};
	const lines = head.replaceAll(/\r\n[ \t]+/g, ' ').split('\r\n')
		.filter(line => !/^(dkim-signature|arc-[\w-]+|authentication-results|received-spf|x-google-dkim-signature):/i.test(line))
		.map(line => {
			const name = line.slice(0, line.indexOf(':')).toLowerCase();
			return name in values ? `${line.slice(0, line.indexOf(':'))}: ${values[name]}` : line;
		});
	const used = new Set<string>();
	const rewritten = rewriteEntity(`${lines.join('\r\n')}\r\n\r\n${body}`, replacements, used);
	const unused = Object.keys(replacements).filter(key => !used.has(key));
	if (unused.length > 0) {
		throw new Error(`the fixture's calendar has no ${unused.join(', ')} to rewrite`);
	}

	return rewritten;
}
