/**
 * Calendar-user addresses: `mailto:` URIs in ATTENDEE/ORGANIZER (RFC 5545 §3.3.3), bare addresses in mail headers.
 */

const mailtoPrefix = /^\s*mailto:\s*/i;

/**
 * The comparable form of an address: no `mailto:`, no surrounding whitespace or angle brackets, lower case.
 * Clients differ in the case of `mailto:` and of the address itself, so comparisons are case-insensitive.
 */
export function normalizeAddress(value: string): string {
	return value.replace(mailtoPrefix, '').trim().replace(/^<(.*)>$/, '$1').trim().toLowerCase();
}

/** True when both values name the same mailbox. */
export function sameAddress(a: string, b: string): boolean {
	const left = normalizeAddress(a);
	return left !== '' && left === normalizeAddress(b);
}

/** The `mailto:` URI we write for an address. */
export function toMailto(address: string): string {
	return `mailto:${normalizeAddress(address)}`;
}

// Deliberately loose: one @, something on each side, no whitespace, nothing that breaks a URI or a header.
const emailPattern = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/;

/** True for a plain `local@domain.tld` address (no display name, no `mailto:`). */
export function isEmailAddress(value: string): boolean {
	return emailPattern.test(value.trim());
}
