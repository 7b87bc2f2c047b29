/**
 * The composer's attendee chips: validation, adding typed or pasted text, and the optional/required toggle.
 */
import {normalizeAddress} from '../address.ts';
import {parseRecipientList} from '../roundcube/recipients.ts';

/** One chip. The address is kept as typed so that a wrong one can be shown and fixed. */
export type AttendeeChip = {
	email: string;
	name?: string;
	optional: boolean;
};

/**
 * The chips after adding `incoming`: addresses already there (any case) and the excluded ones (the organizer,
 * who is on the invitation anyway) are skipped.
 */
export function mergeAttendees(
	existing: readonly AttendeeChip[],
	incoming: ReadonlyArray<{email: string; name?: string; optional?: boolean}>,
	exclude: readonly string[] = [],
): AttendeeChip[] {
	const seen = new Set([...existing.map(chip => normalizeAddress(chip.email)), ...exclude.map(address => normalizeAddress(address))]);
	const result = [...existing];
	for (const person of incoming) {
		const key = normalizeAddress(person.email);
		if (key === '' || seen.has(key)) {
			continue;
		}

		seen.add(key);
		result.push({email: person.email.trim(), ...(person.name ? {name: person.name} : {}), optional: person.optional ?? false});
	}

	return result;
}

/**
 * What typing or pasting into the attendee field yields: the complete entries become chips, a last entry
 * without an address stays in the field. `Alex <alex@example.org>, sam@example.org` gives two chips.
 */
export function parseAttendeeInput(text: string): {people: Array<{email: string; name?: string}>; rest: string} {
	const trimmed = text.trim();
	if (trimmed === '') {
		return {people: [], rest: ''};
	}

	const people = parseRecipientList(trimmed);
	// A trailing word without an @ (a name being typed) is not an attendee yet.
	const lastPart = trimmed.split(/[,;\n]/).at(-1)?.trim() ?? '';
	const rest = lastPart !== '' && !lastPart.includes('@') && !lastPart.includes('>') ? lastPart : '';
	return {people, rest};
}

/** The chip with its optional flag flipped. */
export function toggleOptional(chips: readonly AttendeeChip[], email: string): AttendeeChip[] {
	return chips.map(chip => chip.email === email ? {...chip, optional: !chip.optional} : chip);
}

/** The chips without the one for `email`. */
export function removeAttendee(chips: readonly AttendeeChip[], email: string): AttendeeChip[] {
	return chips.filter(chip => chip.email !== email);
}
