/**
 * Hosted mode (issue 12, item 10): a relay bound to anything but loopback serves people it does not know, so it
 * must not become a proxy into its own network, a port scanner that reads banners back, an open sender, or a token
 * oracle. On loopback (the user's own relay, and every sandbox test) none of this applies.
 * - It connects only to the mail servers it is configured for (RELAY_MAIL_HOSTS, Purelymail's by default), and
 *   never to a private, link-local or loopback address, whatever a name resolves to.
 * - A mail server's own words are not passed back: a target's banner would otherwise reach the caller.
 * - Failed token attempts are limited per client address, connections are capped (server.ts).
 * - /v1/send's From header and envelope sender must be the authenticated user or an alias this relay's
 *   configuration gives that user, not one the request lists.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import type {ResolvedRelayOptions} from './config.ts';
import {RelayError} from './errors.ts';
import type {MailEndpoint, RelayAccount, RelayErrorCode} from '../lib/relay-client/types.ts';

/**
 * Addresses a hosted relay never connects to: "this network", RFC 1918 private, RFC 6598 shared (CGNAT), loopback,
 * RFC 3927 link-local, IETF protocol assignments, benchmarking, multicast and reserved; IPv6 unspecified, loopback,
 * RFC 4193 unique-local, link-local and multicast (RFC 6890's special-purpose registries). Node's BlockList, no
 * hand-written CIDR arithmetic.
 */
const refusedAddresses = new net.BlockList();
for (const [network, prefix] of [
	['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
	['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
	refusedAddresses.addSubnet(network, prefix, 'ipv4');
}

for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
	refusedAddresses.addSubnet(network, prefix, 'ipv6');
}

/** True for an address a hosted relay must not connect to; an IPv4-mapped IPv6 address is judged by its IPv4 part. */
export function isRefusedAddress(address: string): boolean {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
	if (mapped !== undefined) {
		return refusedAddresses.check(mapped, 'ipv4');
	}

	const family = net.isIPv4(address) ? 'ipv4' : (net.isIPv6(address) ? 'ipv6' : undefined);
	return family === undefined || refusedAddresses.check(address, family);
}

export type Lookup = (host: string) => Promise<string[]>;

const systemLookup: Lookup = async host => (await dns.lookup(host, {all: true, verbatim: true})).map(entry => entry.address);

/** A mail server as the relay connects to it (relay/imap.ts, relay/smtp.ts). */
export type MailTarget = MailEndpoint & {
	/** When `host` is the address checked for a name: that name, for TLS (SNI and the certificate's name check). */
	servername?: string;
};

/** An account whose servers are the targets to connect to: checked in hosted mode, Purelymail's when it names none. */
export type CheckedAccount = Omit<RelayAccount, 'imap' | 'smtp'> & {imap: MailTarget; smtp: MailTarget};

/**
 * Refuses, in hosted mode, a mail server that is not on the list or that resolves to a refused address, and
 * returns what to connect to. In hosted mode that is the address checked here, with the name kept as the TLS server
 * name: a mail library given the name would look it up again, and a second answer may be 127.0.0.1 (DNS
 * rebinding), while the certificate is still checked against the name the caller gave.
 * @throws {RelayError} BAD_REQUEST (403)
 */
export async function checkMailTarget(endpoint: MailEndpoint, options: ResolvedRelayOptions, lookup: Lookup = options.lookup ?? systemLookup): Promise<MailTarget> {
	if (!options.hosted) {
		return endpoint;
	}

	const host = endpoint.host.toLowerCase().replace(/\.$/, '');
	if (!options.mailHosts.includes(host)) {
		throw new RelayError('BAD_REQUEST', `This relay only connects to ${options.mailHosts.join(', ')}`, {status: 403});
	}

	let addresses: string[];
	try {
		addresses = net.isIP(host) === 0 ? await lookup(host) : [host];
	} catch {
		throw new RelayError('UNREACHABLE', `${host} does not resolve`);
	}

	// Every address, not the first: the connection may go to any of them.
	if (addresses.length === 0 || addresses.some(address => isRefusedAddress(address) && !options.hostedTestTargets.includes(address))) {
		throw new RelayError('BAD_REQUEST', `${host} resolves to a private, link-local or loopback address, which this relay does not connect to`, {status: 403});
	}

	// The first answer, as a connection to the name would take first (all of them passed above).
	return net.isIP(host) === 0 ? {...endpoint, host: addresses[0]!, servername: host} : endpoint;
}

/** Both of an account's servers (Purelymail's when it names none), as the targets to connect to. */
export async function checkAccountTargets(account: RelayAccount, options: ResolvedRelayOptions, lookup?: Lookup): Promise<CheckedAccount> {
	const imap = await checkMailTarget(account.imap ?? options.defaultImap, options, lookup);
	const smtp = await checkMailTarget(account.smtp ?? options.defaultSmtp, options, lookup);
	return {...account, imap, smtp};
}

/**
 * The addresses an account may send as: its login and, on loopback, the aliases the request lists (the user runs
 * the relay for themselves); in hosted mode only the aliases the relay's configuration gives that login.
 */
export function allowedSenders(account: RelayAccount, options: Pick<ResolvedRelayOptions, 'hosted' | 'sendAliases'>): string[] {
	const aliases = options.hosted ? options.sendAliases[account.user.toLowerCase()] ?? [] : account.allowedSenders ?? [];
	return [account.user, ...aliases].map(address => address.toLowerCase());
}

/** Codes whose message carries the mail server's own words (relay/errors.ts). */
const upstreamCodes = new Set<RelayErrorCode>(['MAILBOX_AUTH_FAILED', 'UNREACHABLE', 'TLS_FAILED', 'UPSTREAM']);

const withheldMessages: Partial<Record<RelayErrorCode, string>> = {
	MAILBOX_AUTH_FAILED: 'The mail server refused the login',
	UNREACHABLE: 'The mail server could not be reached',
	TLS_FAILED: 'The secure connection to the mail server failed',
	UPSTREAM: 'The mail server refused the request',
};

/** A message the relay may pass back in hosted mode: its own, or a plain one in place of the server's words. */
export function withheldMessage(code: RelayErrorCode, message: string, options: Pick<ResolvedRelayOptions, 'hosted'>): string {
	return options.hosted && upstreamCodes.has(code) ? withheldMessages[code] ?? message : message;
}

/**
 * An answer as hosted mode passes it back: every `{code, message}` inside it with the server's words withheld, and
 * each refused recipient's reason cut to its SMTP reply code.
 */
export function withheldAnswer(body: unknown, options: Pick<ResolvedRelayOptions, 'hosted'>): unknown {
	if (!options.hosted || typeof body !== 'object' || body === null) {
		return body;
	}

	if (Array.isArray(body)) {
		return body.map(item => withheldAnswer(item, options));
	}

	const entries = Object.entries(body).map(([key, value]) => {
		if (key === 'reason' && typeof value === 'string') {
			return [key, /^\d{3}\b/.exec(value)?.[0] ?? 'refused'];
		}

		return [key, withheldAnswer(value, options)];
	});
	const result = Object.fromEntries(entries) as Record<string, unknown>;
	if (typeof result.code === 'string' && typeof result.message === 'string') {
		result.message = withheldMessage(result.code as RelayErrorCode, result.message, options);
	}

	return result;
}
