/**
 * Authentication-Results (RFC 8601): what the user's own mail provider found when the mail arrived.
 *
 * Only the first (topmost) header counts, and only when its authserv-id is the user's provider's: headers further
 * down were written by whoever handled the mail before, the sender included. Only failures are used, never a pass:
 * a forged header that says "fail" can only hurt the forger's own mail, and a missing header changes nothing.
 * Hand-written: the libraries that parse these headers (mailauth) verify signatures in Node; we need twenty lines.
 */

/** Purelymail stamps the mail it receives with this authserv-id (a subdomain of it counts too). */
export const defaultAuthservId = 'purelymail.com';

/** RFC 8601 §2.2 allows CFWS comments anywhere; they carry nothing we use. */
function withoutComments(text: string): string {
	let depth = 0;
	let out = '';
	let quoted = false;
	for (const character of text) {
		if (character === '"' && depth === 0) {
			quoted = !quoted;
		}

		if (!quoted && character === '(') {
			depth++;
			continue;
		}

		if (!quoted && character === ')' && depth > 0) {
			depth--;
			continue;
		}

		if (depth === 0) {
			out += character;
		}
	}

	return out;
}

function domainOf(address: string): string {
	return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** True when `domain` is `base` or a subdomain of it (DMARC relaxed alignment, RFC 7489 §3.1.1). */
function aligned(domain: string, base: string): boolean {
	return domain === base || domain.endsWith(`.${base}`) || base.endsWith(`.${domain}`);
}

/**
 * Why the provider's check failed for the From domain ("dmarc=fail for example.org"), or undefined when it did not
 * fail, was not the provider's, or there was no header.
 */
export function authenticationFailure(headers: readonly string[], from: string | undefined, authservId: string = defaultAuthservId): string | undefined {
	const first = headers[0];
	if (!first || !from) {
		return undefined;
	}

	// Cap what is scanned: a header is a few hundred bytes; a crafted one may be megabytes.
	const [id, ...results] = withoutComments(first.slice(0, 8192)).split(';').map(part => part.trim());
	const server = (id ?? '').split(/\s+/)[0]?.toLowerCase() ?? '';
	const wanted = authservId.toLowerCase();
	if (server !== wanted && !server.endsWith(`.${wanted}`)) {
		return undefined;
	}

	const fromDomain = domainOf(from);
	for (const result of results) {
		const match = /^(dkim|dmarc)\s*=\s*(\w+)/i.exec(result);
		if (!match || match[2]!.toLowerCase() !== 'fail') {
			continue;
		}

		const method = match[1]!.toLowerCase();
		// DMARC is about the From domain by definition; its header.from names it. DKIM counts for the From domain only.
		const property = method === 'dmarc' ? /header\.from\s*=\s*"?([^\s";]+)/i : /header\.[di]\s*=\s*"?@?([^\s";]+)/i;
		const named = property.exec(result)?.[1];
		const domain = named ? domainOf(named) : (method === 'dmarc' ? fromDomain : '');
		if (domain && aligned(domain, fromDomain)) {
			return `${method}=fail for ${fromDomain}`;
		}
	}

	return undefined;
}
