/**
 * Hand-built MIME for the reader's tests: small, explicit pieces, so each test shows the exact bytes it feeds in.
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A file under the shared, read-only fixtures (never copied into the repo). */
export function fixturePath(...parts: string[]): string {
	return path.resolve(repoRoot, '../shared/fixtures/itip', ...parts);
}

/** A MIME entity: header lines, an empty line, the body. */
export function entity(headers: readonly string[], body: string): string {
	return `${headers.join('\r\n')}\r\n\r\n${body}`;
}

/** A multipart entity; `close: false` leaves out the closing delimiter. */
export function multipart(subtype: string, boundary: string, parts: readonly string[], {close = true}: {close?: boolean} = {}): string {
	const lines = [`Content-Type: multipart/${subtype}; boundary="${boundary}"`, '', 'This is a multi-part message in MIME format.'];
	for (const part of parts) {
		lines.push(`--${boundary}`, part);
	}

	if (close) {
		lines.push(`--${boundary}--`);
	}

	return `${lines.join('\r\n')}\r\n`;
}

/** Top-level headers in front of a body entity (whose own headers carry its Content-Type). */
export function message(body: string, headers: readonly string[] = []): string {
	return [
		'From: Ann Organizer <ann@example.com>',
		'To: Bob <bob@example.org>',
		'Subject: Test mail',
		'Date: Tue, 01 Dec 2026 10:00:00 +0000',
		'Message-ID: <test@example.com>',
		'MIME-Version: 1.0',
		...headers,
		body,
	].join('\r\n');
}

/** Base64 in 76-character lines. */
export function base64(content: string | Uint8Array): string {
	const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
	return Buffer.from(bytes).toString('base64').replaceAll(/.{76}/g, '$&\r\n');
}

/** A small, valid iCalendar object (CRLF) with the given METHOD (none when null) and UID. */
export function calendar(method: string | null, uid: string, extra: readonly string[] = []): string {
	return [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Purelymail Invites//tests//EN',
		...(method === null ? [] : [`METHOD:${method}`]),
		'BEGIN:VEVENT',
		`UID:${uid}`,
		'DTSTAMP:20261120T100000Z',
		'SEQUENCE:0',
		'DTSTART:20261201T150000Z',
		'DTEND:20261201T160000Z',
		'SUMMARY:Project sync',
		...extra,
		'END:VEVENT',
		'END:VCALENDAR',
		'',
	].join('\r\n');
}

/** The UID of the first VEVENT (unfolded), as a reader of the text would find it. */
export function firstUid(text: string): string | undefined {
	return /^UID:(.*)$/m.exec(text.replaceAll(/\r?\n[ \t]/g, ''))?.[1]?.replace(/\r$/, '');
}
