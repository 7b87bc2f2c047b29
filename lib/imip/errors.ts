/**
 * Named errors of lib/imip. Only composing throws, and only for caller mistakes; reading mail never throws
 * (its troubles are `problems` in the result).
 */

/** A field given to `composeInviteMail` is unusable: a CR or LF in a header field, or an address that is not one. */
export class InvalidMailFieldError extends TypeError {
	override readonly name = 'InvalidMailFieldError';
	readonly code = 'ERR_IMIP_INVALID_FIELD';

	/**
	 * @param field Path of the offending field, e.g. `to[1].email` or `subject`.
	 * @param problem What is wrong with it, e.g. `is not an e-mail address`.
	 */
	constructor(readonly field: string, problem: string) {
		super(`${field} ${problem}`);
	}
}
