/**
 * Reading a message given on the command line: a whole e-mail (.eml) or a bare iCalendar file, and the calendar part
 * and envelope a command acts on. Shared by `apply-reply`, `process` and `respond`.
 */
import {readFile} from 'node:fs/promises';
import {pickCalendarPart, readCalendarMail, type CalendarPart, type TnefCalendarReader, type TnefReader} from '../lib/imip/index.ts';
import {topLevelMethod} from '../lib/ical-lines.ts';
import {replyFromTnef} from '../lib/itip/index.ts';
import {readTnef} from '../relay/tnef.ts';

/** Outlook TNEF (winmail.dat) read exactly as the relay reads it for the reply loop (relay/tnef.ts, node-tnef). */
export const readTnefAsRelay: TnefReader = async bytes => readTnef(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** The same reading as a calendar for `readCalendarMail`: an answer as the REPLY the reply loop applies (`replyFromTnef`). */
export const readTnefAsCalendar: TnefCalendarReader = async bytes => {
	const tnef = await readTnefAsRelay(bytes);
	return tnef.kind === 'none' ? tnef : {kind: 'calendar', text: replyFromTnef(tnef)};
};

/** A bare iCalendar file starts with BEGIN:VCALENDAR (after a BOM or blank lines); anything else is taken as a mail. */
export function isBareCalendar(bytes: Uint8Array): boolean {
	const head = new TextDecoder().decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart();
	return /^BEGIN:VCALENDAR/i.test(head);
}

/** The file's bytes, or undefined after saying on standard error why it could not be read. */
export async function readFileOrReport(file: string, what: string, command: string): Promise<Uint8Array | undefined> {
	try {
		return new Uint8Array(await readFile(file));
	} catch (error) {
		console.error(`pmi ${command}: cannot read ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
		return undefined;
	}
}

/** The calendar of a message file and what its mail says about the sender (nothing, for a bare .ics). */
export type MessageCalendar = {
	/** The iTIP part acted on; undefined when the mail holds no calendar. */
	part: CalendarPart | undefined;
	/** The mail's From address(es); RFC 6047 §3 compares them with the ORGANIZER or the replier. */
	from: string[];
	/** The mail's Sender, kept apart: it is never enough on its own. */
	sender: string[];
	authenticationResults: string[];
	/** What was odd about the mail (TNEF only, malformed MIME…), as sentences. */
	problems: string[];
};

/**
 * Finds the calendar a command acts on: for a bare .ics the file itself; for a mail the first part whose METHOD is
 * one of `preferred` (in that order), else its first calendar.
 */
export async function messageCalendar(bytes: Uint8Array, preferred: readonly string[]): Promise<MessageCalendar> {
	if (isBareCalendar(bytes)) {
		const text = new TextDecoder().decode(bytes);
		const method = topLevelMethod(text)?.toUpperCase() ?? null;
		return {part: {method, contentType: 'text/calendar', filename: null, text}, from: [], sender: [], authenticationResults: [], problems: []};
	}

	const mail = await readCalendarMail(bytes);
	const part = pickCalendarPart(mail.parts, preferred);
	return {
		part,
		from: mail.from ? [mail.from.email] : [],
		sender: mail.sender ? [mail.sender.email] : [],
		authenticationResults: mail.authenticationResults,
		problems: mail.problems.map(problem => problem.message),
	};
}
