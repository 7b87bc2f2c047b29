/**
 * iCalendar read line by line, without a full parse (issue 11, item 6): unfolding, splitting a content line,
 * and sniffing METHOD and UID. For the places that must accept whatever a server or a mail holds before (or
 * instead of) ical.js reads it: the CalDAV client before every PUT, the mail reader, the composer's checks.
 * Folding for output lives with the serializer (lib/itip/serialize.ts), which writes what ical.js built.
 */

/** The text with folded lines joined (RFC 5545 §3.1: CRLF or LF followed by one space or tab continues a line). */
export function unfold(text: string): string {
	return text.replaceAll(/\r?\n[ \t]/g, '');
}

/** Content lines after unfolding. */
export function contentLines(ics: string): string[] {
	return unfold(ics).split(/\r?\n/);
}

/** Name and value of a content line (RFC 5545 §3.1: name, then parameters after `;`, then `:` and the value; a `:` inside a quoted parameter value does not count). */
export function splitLine(line: string): {name: string; value: string} | undefined {
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

/** The distinct values (trimmed) of a property (`METHOD`, `UID`…) at any depth, in order of first appearance. */
export function propertyValues(ics: string, name: string): string[] {
	const wanted = name.toUpperCase();
	const values = contentLines(ics).map(line => splitLine(line)).filter(property => property?.name === wanted).map(property => property!.value.trim());
	return [...new Set(values)];
}
