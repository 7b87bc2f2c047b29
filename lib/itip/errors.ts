/**
 * Named errors for programmer misuse of the builders. Expected outcomes of replies are results, never errors.
 */

/** A field of an `InviteSpec`, `EventChanges` or `CancelOptions` is missing or malformed. */
export class InvalidSpecError extends TypeError {
	override readonly name = 'InvalidSpecError';
	readonly code = 'ERR_ITIP_INVALID_SPEC';

	/**
	 * @param field Path of the offending field, e.g. `attendees[1].email`.
	 * @param problem What is wrong with it, e.g. `is not an e-mail address`.
	 */
	constructor(readonly field: string, problem: string) {
		super(`${field} ${problem}`);
	}
}

/** The stored event given to `buildUpdate`/`buildCancel` cannot be worked on (unparsable, no VEVENT, no UID…). */
export class InvalidStoredEventError extends Error {
	override readonly name = 'InvalidStoredEventError';
	readonly code = 'ERR_ITIP_INVALID_STORED_EVENT';
}
