/**
 * A structural check of a raw message, run beside postal-mime. postal-mime is lenient by design: it reads
 * an unterminated multipart, skips characters that are not base64 and keeps broken quoted-printable escapes
 * as text, all without a word. That is right for showing mail, but a calendar read from such a part may be
 * cut off or garbled, so these defects are reported as problems. Nothing here decodes or throws.
 */
import type {ReadProblem} from './read-problems.ts';

/** What the check found: the problems, and whether the tree is deeper than allowed (then nothing below was checked). */
export type MimeStructure = {
	problems: ReadProblem[];
	tooDeep: boolean;
};

type Entity = {from: number; to: number; depth: number; path: string};

/** Header fields of one entity, unfolded (RFC 5322 §2.2.3), lower-case names, first occurrence wins (as in postal-mime). */
function readHeaders(lines: readonly string[], from: number, to: number): {fields: Map<string, string>; bodyFrom: number} {
	const fields = new Map<string, string>();
	let name: string | undefined;
	let value = '';
	const store = (): void => {
		if (name !== undefined && !fields.has(name)) {
			fields.set(name, value.trim());
		}
	};

	let index = from;
	for (; index < to; index++) {
		const line = lines[index] ?? '';
		if (line === '') {
			break;
		}

		if ((line.startsWith(' ') || line.startsWith('\t')) && name !== undefined) {
			value += line;
			continue;
		}

		store();
		const colon = line.indexOf(':');
		name = colon < 0 ? undefined : line.slice(0, colon).trim().toLowerCase();
		value = colon < 0 ? '' : line.slice(colon + 1);
	}

	store();
	return {fields, bodyFrom: Math.min(index + 1, to)};
}

/** `type/subtype` and the `boundary` parameter of a Content-Type value (RFC 2045 §5.1), leniently. */
function parseContentType(value: string | undefined): {type: string; boundary: string | undefined} {
	if (value === undefined) {
		return {type: 'text/plain', boundary: undefined};
	}

	const type = (value.split(';')[0] ?? '').trim().toLowerCase();
	const match = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(value);
	return {type, boundary: match?.[1] ?? match?.[2]};
}

/** True when `line` is `--boundary` or `--boundary--`, optionally followed by spaces or tabs (RFC 2046 §5.1.1). */
function delimiterKind(line: string, boundary: string): 'part' | 'close' | undefined {
	if (!line.startsWith('--') || !line.startsWith(boundary, 2)) {
		return undefined;
	}

	const rest = line.slice(2 + boundary.length);
	if (/^[ \t]*$/.test(rest)) {
		return 'part';
	}

	return /^--[ \t]*$/.test(rest) ? 'close' : undefined;
}

function describe(path: string, type: string): string {
	return path === '' ? `the message (${type})` : `part ${path} (${type})`;
}

const invalidBase64 = /[^A-Za-z\d+/=\s]/;
// "=" must start an escape of two hex digits or end the line as a soft break (RFC 2045 §6.7 rules 1 and 5).
const invalidQuotedPrintable = /=(?![\dA-Fa-f]{2}|[ \t]*$)/m;

function checkBody(lines: readonly string[], from: number, to: number, encoding: string, label: string, problems: ReadProblem[]): void {
	if (encoding === 'base64') {
		const body = lines.slice(from, to).join('');
		const stripped = body.replaceAll(/\s+/g, '');
		if (invalidBase64.test(body)) {
			problems.push({code: 'bad-base64', message: `${label}: its base64 holds characters outside the base64 alphabet`});
		} else if (stripped.replaceAll('=', '').length % 4 === 1) {
			// Six bits left over cannot stand for any byte: the data was cut or mangled (padding aside, a group has 2 to 4 characters).
			problems.push({code: 'bad-base64', message: `${label}: its base64 ends in the middle of a group (cut off?)`});
		}
	} else if (encoding === 'quoted-printable') {
		for (let index = from; index < to; index++) {
			if (invalidQuotedPrintable.test(lines[index] ?? '')) {
				problems.push({code: 'bad-quoted-printable', message: `${label}: its quoted-printable has a "=" that starts no escape (line ${index - from + 1})`});
				return;
			}
		}
	}
}

/**
 * Checks the multipart skeleton of one message (not the messages forwarded inside it, which the reader
 * checks on their own): boundaries present and closed, base64 and quoted-printable well formed,
 * and no deeper than `maxDepth` (RFC 2046 puts no limit; we do, see read-calendar-mail.ts).
 */
export function checkMimeStructure(bytes: Uint8Array, maxDepth: number): MimeStructure {
	// Latin-1 keeps one character per byte; only the ASCII structure matters here.
	const lines = new TextDecoder('latin1').decode(bytes).split('\n').map(line => line.endsWith('\r') ? line.slice(0, -1) : line);
	const problems: ReadProblem[] = [];
	// An explicit stack rather than recursion: the depth is bounded anyway, but this keeps the call stack flat.
	const stack: Entity[] = [{from: 0, to: lines.length, depth: 0, path: ''}];
	while (stack.length > 0) {
		const entity = stack.pop()!;
		const {fields, bodyFrom} = readHeaders(lines, entity.from, entity.to);
		const {type, boundary} = parseContentType(fields.get('content-type'));
		const label = describe(entity.path, type);
		const encoding = (fields.get('content-transfer-encoding') ?? '7bit').toLowerCase().replaceAll(/[^\w-]/g, '');
		if (!type.startsWith('multipart/')) {
			checkBody(lines, bodyFrom, entity.to, encoding, label, problems);
			continue;
		}

		if (boundary === undefined || boundary === '') {
			problems.push({code: 'missing-boundary', message: `${label} names no boundary, so its parts cannot be found`});
			continue;
		}

		const parts: Array<{from: number; to: number}> = [];
		let closed = false;
		let partStart: number | undefined;
		for (let index = bodyFrom; index < entity.to && !closed; index++) {
			const kind = delimiterKind(lines[index] ?? '', boundary);
			if (kind === undefined) {
				continue;
			}

			if (partStart !== undefined) {
				parts.push({from: partStart, to: index});
			}

			partStart = index + 1;
			closed = kind === 'close';
		}

		if (!closed && partStart !== undefined) {
			parts.push({from: partStart, to: entity.to});
		}

		if (parts.length === 0) {
			problems.push({code: 'empty-multipart', message: `${label} has no part: no line starts with its boundary`});
			continue;
		}

		if (!closed) {
			problems.push({code: 'unterminated-multipart', message: `${label} never ends: its closing boundary "--${boundary}--" is missing`});
		}

		if (entity.depth + 1 > maxDepth) {
			problems.push({code: 'too-deep', message: `${label}: parts are nested deeper than ${maxDepth} levels; the message is not read`});
			return {problems, tooDeep: true};
		}

		// Pushed in reverse so parts are checked, and problems listed, in document order.
		for (let index = parts.length - 1; index >= 0; index--) {
			const part = parts[index]!;
			const path = entity.path === '' ? String(index + 1) : `${entity.path}.${index + 1}`;
			stack.push({from: part.from, to: part.to, depth: entity.depth + 1, path});
		}
	}

	return {problems, tooDeep: false};
}
