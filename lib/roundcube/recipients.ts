/**
 * Recipient lists as Roundcube writes them into the compose form's `#_to`/`#_cc` textareas.
 *
 * Elastic hides those textareas behind its `ul.recipient-input` widget and keeps them filled with the widget's
 * text: each chip's name followed by ` <address>,` (or the bare address followed by `,`), with no space between
 * chips, then whatever is still being typed. So the text looks like
 * `Alex Example <alex@example.org>,sam@example.org,"Doe, Jo" <jo@example.org>,typed@exam`.
 * Larry's plain textarea holds the same list as the user typed it, separated by `,` or `;` and newlines.
 */

/** One recipient of the compose form. `name` is absent when only the address was given. */
export type Recipient = {
	email: string;
	name?: string;
};

/** Splits at `,`, `;` and newlines that are outside double quotes and angle brackets. */
function splitRecipients(text: string): string[] {
	const parts: string[] = [];
	let current = '';
	let inQuotes = false;
	let inAngle = false;
	for (let index = 0; index < text.length; index++) {
		const char = text[index]!;
		if (inQuotes && char === '\\' && index + 1 < text.length) {
			current += char + text[index + 1]!;
			index++;
			continue;
		}

		if (char === '"' && !inAngle) {
			inQuotes = !inQuotes;
		} else if (char === '<' && !inQuotes) {
			inAngle = true;
		} else if (char === '>' && !inQuotes) {
			inAngle = false;
		} else if ((char === ',' || char === ';' || char === '\n' || char === '\r') && !inQuotes && !inAngle) {
			parts.push(current);
			current = '';
			continue;
		}

		current += char;
	}

	parts.push(current);
	return parts.map(part => part.trim()).filter(part => part !== '');
}

/** `"Doe, Jo"` → `Doe, Jo`, with `\"` and `\\` unescaped; unquoted names lose surrounding whitespace only. */
function unquoteName(raw: string): string {
	const name = raw.trim();
	if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
		return name.slice(1, -1).replaceAll(/\\(.)/g, '$1').trim();
	}

	return name.replaceAll(/\s+/g, ' ');
}

const angleAddress = /^(.*?)<\s*([^<>]*?)\s*>\s*$/s;

/** One `Name <address>`, `<address>` or `address` part; undefined when it names no address at all. */
function parseOne(part: string): Recipient | undefined {
	const angle = angleAddress.exec(part);
	if (angle) {
		const email = angle[2]!.replace(/^mailto:/i, '').trim();
		if (email === '') {
			return undefined;
		}

		const name = unquoteName(angle[1]!);
		return name === '' || name.toLowerCase() === email.toLowerCase() ? {email} : {email, name};
	}

	if (!part.includes('@')) {
		return undefined;
	}

	// Bare address, possibly several separated by spaces (Roundcube accepts `a@x b@y`): keep the first word with an @.
	const word = part.split(/\s+/).find(piece => piece.includes('@'));
	return word ? {email: word.replace(/^mailto:/i, '')} : undefined;
}

/**
 * The recipients in a Roundcube recipient list, in order, duplicates (same address, any case) dropped.
 * A part without an address that comes just before one is taken as the start of its display name, since an
 * unquoted `Doe, Jo <jo@example.org>` splits there; anything else without an address is left out.
 */
export function parseRecipientList(text: string): Recipient[] {
	const recipients: Recipient[] = [];
	const seen = new Set<string>();
	let pendingName = '';
	for (const part of splitRecipients(text)) {
		const recipient = parseOne(part);
		if (!recipient) {
			pendingName = pendingName === '' ? part : `${pendingName}, ${part}`;
			continue;
		}

		if (pendingName !== '' && part.includes('<')) {
			const name = unquoteName(`${pendingName}, ${recipient.name ?? ''}`.replace(/,\s*$/, ''));
			recipient.name = name;
		}

		pendingName = '';
		const key = recipient.email.toLowerCase();
		if (!seen.has(key)) {
			seen.add(key);
			recipients.push(recipient);
		}
	}

	return recipients;
}
