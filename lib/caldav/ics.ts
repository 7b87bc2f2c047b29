/**
 * The little iCalendar reading lib/caldav needs before it writes: is there a top-level METHOD, which UID is this.
 * Line-based on purpose (no full parse): it must run on every PUT and accept whatever the server returns.
 */
import {CaldavInvalidObject} from './errors.ts';

/** Content lines after unfolding (RFC 5545 §3.1: CRLF or LF followed by one space or tab continues a line). */
function contentLines(ics: string): string[] {
	return ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
}

/** Name and value of a content line (RFC 5545 §3.1: name, then parameters after `;`, then `:` and the value; a `:` inside a quoted parameter value does not count). */
function splitLine(line: string): {name: string; value: string} | undefined {
	let quoted = false;
	for (let index = 0; index < line.length; index++) {
		const character = line[index];
		if (character === '"') {
			quoted = !quoted;
		} else if (character === ':' && !quoted) {
			const name = line.slice(0, index).split(';', 1)[0]!;
			return {name: name.trim().toUpperCase(), value: line.slice(index + 1)};
		}
	}

	return undefined;
}

/**
 * The value of a METHOD property directly inside VCALENDAR, if any. Lines inside components (and text that merely
 * mentions METHOD, which is escaped on one line) do not count.
 * @example
 * topLevelMethod('BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n…'); // 'REQUEST'
 */
export function topLevelMethod(ics: string): string | undefined {
	let depth = 0;
	for (const line of contentLines(ics)) {
		const property = splitLine(line);
		if (!property) {
			continue;
		}

		if (property.name === 'BEGIN') {
			depth++;
		} else if (property.name === 'END') {
			depth--;
		} else if (depth === 1 && property.name === 'METHOD') {
			return property.value.trim();
		}
	}

	return undefined;
}

/** Undoes TEXT escaping (RFC 5545 §3.3.11): `\\`, `\;`, `\,`, `\n`. */
function unescapeText(value: string): string {
	return value.replace(/\\([\\;,nN])/g, (_match, character: string) => (character === 'n' || character === 'N' ? '\n' : character));
}

/** The UID of the first component that has one (every VEVENT of one calendar object shares it, RFC 4791 §4.1). */
export function uidOf(ics: string): string | undefined {
	for (const line of contentLines(ics)) {
		const property = splitLine(line);
		if (property?.name === 'UID') {
			return unescapeText(property.value.trim());
		}
	}

	return undefined;
}

/** Whether the text starts as an iCalendar object (a BOM and blank lines allowed). */
function isCalendar(ics: string): boolean {
	return /^\uFEFF?\s*BEGIN:VCALENDAR\r?\n/i.test(ics);
}

/**
 * Refuses what must not be PUT: anything but a VCALENDAR, a top-level METHOD (RFC 4791 §4.1: a calendar object
 * resource carries no METHOD; Purelymail rejects the PUT) and, when `uid` is given, another UID.
 * @throws {CaldavInvalidObject}
 */
export function assertStorable(ics: string, uid?: string): void {
	if (typeof ics !== 'string' || !isCalendar(ics)) {
		throw new CaldavInvalidObject('ics must be iCalendar text starting with BEGIN:VCALENDAR');
	}

	const method = topLevelMethod(ics);
	if (method !== undefined) {
		throw new CaldavInvalidObject(`ics has METHOD:${method}; a stored event must not carry METHOD (RFC 4791 §4.1), remove it before writing`);
	}

	if (uid !== undefined && uidOf(ics) !== uid) {
		throw new CaldavInvalidObject(`ics has UID ${JSON.stringify(uidOf(ics) ?? null)}, not ${JSON.stringify(uid)}`);
	}
}
