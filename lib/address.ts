/**
 * E-mail addresses, one rule for the composer, lib/itip, lib/imip and the relay (issue 11, item 2): what can be
 * sent to, the comparable form, the `mailto:` URI (RFC 5545 §3.3.3) and the form SMTP carries.
 *
 * What can be sent is what Purelymail's SMTP takes: a dot-atom local part in ASCII (RFC 5322 §3.4.1) of at most
 * 64 octets and a domain name of letters, digits and hyphens, at most 254 octets in all (RFC 5321 §4.5.3.1).
 * A domain in another script (`münchen.de`) is fine: it travels in punycode (IDNA, RFC 5891). A local part
 * outside ASCII (`jürgen@`) would need SMTPUTF8 (RFC 6531), which Purelymail does not offer, and quoted local
 * parts are mangled by several clients: both are refused, before anything is stored or sent.
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

/** The domain as DNS and mail servers see it (IDNA, RFC 5891, by the WHATWG URL parser), or the text itself when it is not a valid name. */
export function punycodeDomain(domain: string): string {
	try {
		return new URL(`http://${domain}/`).hostname;
	} catch {
		return domain;
	}
}

function split(address: string): {local: string; domain: string} {
	const at = address.lastIndexOf('@');
	return at === -1 ? {local: address, domain: ''} : {local: address.slice(0, at), domain: address.slice(at + 1)};
}

/** The address with its domain in punycode. */
export function punycodeAddress(address: string): string {
	const {local, domain} = split(address);
	return domain ? `${local}@${punycodeDomain(domain)}` : address;
}

const maxAddressLength = 254;
const maxLocalPartLength = 64;
const dotAtom = /^[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*$/;
// Letters, digits and hyphens, at least two labels, none longer than 63, the last not all digits.
const hostName = /^(?:[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?\.)+(?=[a-z\d-]*[a-z])[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?$/;

/** Why mail cannot be sent to `value` (surrounding spaces aside), in words a person can act on; undefined when it can. */
export function addressProblem(value: string): string | undefined {
	const address = value.trim();
	if (address === '') {
		return 'Type an e-mail address.';
	}

	if (!address.includes('@')) {
		return `“${address}” is not an e-mail address: it has no @.`;
	}

	const {local, domain} = split(address);
	if (/[^\u0020-\u007E]/.test(local)) {
		return `“${address}” cannot be sent to: Purelymail takes only plain letters (a–z), digits and . _ - + before the @.`;
	}

	// eslint-disable-next-line no-control-regex -- any ASCII character a host name cannot hold (the URL parser would take `/`, `?`, `#` as the end of the host)
	if (/[\u0000-\u002C/:-@[-`{-\u007F]/.test(domain)) {
		return `“${address}” is not a complete e-mail address.`;
	}

	// The URL parser lower-cases and converts to punycode; it also rewrites numbers as IPv4 addresses, which the host-name pattern then refuses.
	const asciiDomain = /^[a-z\d.-]+$/i.test(domain) ? domain.toLowerCase() : punycodeDomain(domain);
	if (!dotAtom.test(local) || local.length > maxLocalPartLength || !hostName.test(asciiDomain) || local.length + 1 + asciiDomain.length > maxAddressLength) {
		return `“${address}” is not a complete e-mail address.`;
	}

	return undefined;
}

/** True for a plain `local@domain.tld` address mail can be sent to (no display name, no `mailto:`). */
export function isEmailAddress(value: string): boolean {
	return addressProblem(value) === undefined;
}

/** The address as SMTP and mail headers carry it: trimmed, its domain in punycode (RFC 5891). Expects an address `isEmailAddress` accepts. */
export function smtpAddress(address: string): string {
	return punycodeAddress(address.trim());
}
