/**
 * Where the extension may send the relay token and a mailbox password. Plain http:// only to the literal loopback
 * names: `*.localhost` is loopback by RFC 6761 §6.3, but resolvers and proxies do not all honour that, so such a name
 * may reach another machine; any other host needs https://.
 */

/** The host names that are this machine whatever the resolver says (URL.hostname spells IPv6 in brackets). */
const literalLoopback = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** True for a URL on this machine by its literal name: 127.0.0.1, [::1] or localhost (not *.localhost). */
export function isLiteralLoopback(url: URL): boolean {
	return literalLoopback.has(url.hostname);
}

/** What is wrong with a relay address, in words for the options page; undefined when the extension may use it. */
export function relayUrlProblem(text: string): string | undefined {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return 'The relay address must be a full address, such as https://relay.example.org or http://127.0.0.1:8787.';
	}

	if (url.protocol === 'https:' || (url.protocol === 'http:' && isLiteralLoopback(url))) {
		return undefined;
	}

	return url.protocol === 'http:'
		? `The relay address must start with https://: http:// is only for 127.0.0.1, [::1] and localhost, where the token and password never leave this computer (${url.hostname} may).`
		: 'The relay address must start with https:// (or http:// for 127.0.0.1, [::1] and localhost).';
}
