/**
 * The relay's one options object: its fields and defaults, validation (a TypeError, never a silent default),
 * and how environment variables and flags map onto it (used by main.ts).
 */
import {readFileSync} from 'node:fs';
import net from 'node:net';
import {defaultMaxBodyBytes, defaultMaxRecipients, defaultRequestsPerMinute} from './limits.ts';
import {defaultRepliesPage} from './replies.ts';
import type {Lookup} from './hosted.ts';
import type {MailEndpoint} from '../lib/relay-client/types.ts';

export type RelayLimits = {
	/** Largest request body in bytes. Default 25 MB. */
	maxBodyBytes?: number;
	/** Most recipients in one /v1/send. Default 100. */
	maxRecipients?: number;
	/** Requests per minute per token. Default 120. */
	requestsPerMinute?: number;
	/** Most messages in one /v1/replies answer (a page; the cursor continues). Default 100. */
	repliesPerPage?: number;
	/** Most calendar-part bytes in one /v1/replies answer (the first message always fits). Default 4 MB. */
	repliesPageBytes?: number;
	/** Most messages one /v1/replies answer looks at, calendar or not. Default 2000. */
	scannedPerPage?: number;
};

export type RelayOptions = {
	/** Address to listen on. Default '127.0.0.1'. A non-loopback address needs `tls` or `insecurePublic`. */
	host?: string;
	/** Port to listen on; 0 picks a free one. Default 8787. */
	port?: number;
	/** The bearer token. Default: read from `<configDir>/relay-token`, created on first start. */
	token?: string;
	/** Folder for the token file. Default $XDG_CONFIG_HOME/purelymail-invites (or ~/.config/...). */
	configDir?: string;
	/** Serve HTTPS with this certificate and key (PEM). Default: plain HTTP. */
	tls?: {cert: string | Buffer; key: string | Buffer};
	/** Allow plain HTTP on a non-loopback address (tokens and passwords then cross the network in clear). Default false. */
	insecurePublic?: boolean;
	/** Web origins besides extension origins that may call the relay from a browser. Default none. */
	allowedOrigins?: string[];
	/**
	 * Host names accepted in the Host header while bound to loopback, besides loopback names (the DNS-rebinding
	 * guard): the public name when a reverse proxy in front passes it on. Default none.
	 */
	allowedHosts?: string[];
	limits?: RelayLimits;
	/** How long an idle pooled IMAP connection is kept, in ms. Default 180 000 (3 minutes). */
	imapIdleMs?: number;
	/** Mail servers for accounts that name none. Default Purelymail's, both implicit TLS. */
	defaultImap?: MailEndpoint;
	defaultSmtp?: MailEndpoint;
	/** Timeout for connecting to a mail server, in ms. Default 20 000. */
	connectTimeoutMs?: number;
	/** Where the per-request lines and start-up warnings go. Default console.log. */
	log?: (line: string) => void;
	/**
	 * Hosted mode (relay/hosted.ts) applies when `host` is not loopback: the only mail servers it connects to, by
	 * name (case-insensitive). Default Purelymail's IMAP and SMTP servers.
	 */
	mailHosts?: string[];
	/** Hosted mode: addresses each user may put in From besides their own login, `{user: [alias, ...]}`. Default none. */
	sendAliases?: Record<string, string[]>;
	/** Hosted mode: open connections at once, beyond which new ones are closed. Default 64. */
	maxConnections?: number;
	/** Hosted mode: wrong or missing tokens per client address per minute before it is refused outright. Default 10. */
	failedTokensPerMinute?: number;
	/**
	 * Tests only, and never read from the environment, so `serve` cannot set it: addresses hosted mode connects to
	 * although they are loopback or private. A test machine has no public address to put a server on, so without this
	 * a test could not run hosted mode's real path (allowlist, resolution, connection, withheld words) up to a
	 * server of its own on 127.0.0.1. Everything else of hosted mode still applies. Default none.
	 */
	hostedTestTargets?: string[];
	/**
	 * Tests only, never read from the environment: how hosted mode resolves a mail server's name (relay/hosted.ts).
	 * Default the system's resolver (`dns.lookup`).
	 */
	lookup?: Lookup;
};

/** RelayOptions with every default applied. */
export type ResolvedRelayOptions = Required<Omit<RelayOptions, 'token' | 'configDir' | 'tls' | 'limits' | 'lookup'>> & {
	/** True when bound to anything but loopback (relay/hosted.ts). */
	hosted: boolean;
	token: string | undefined;
	configDir: string | undefined;
	tls: {cert: string | Buffer; key: string | Buffer} | undefined;
	limits: Required<RelayLimits>;
	lookup?: Lookup;
};

export const defaultHost = '127.0.0.1';
export const defaultPort = 8787;
export const purelymailImap: MailEndpoint = {host: 'imap.purelymail.com', port: 993, secure: true};
export const purelymailSmtp: MailEndpoint = {host: 'smtp.purelymail.com', port: 465, secure: true};

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
	const bare = host.replace(/^\[(.*)]$/, '$1').toLowerCase();
	if (bare === 'localhost' || bare.endsWith('.localhost')) {
		return true;
	}

	if (net.isIPv4(bare)) {
		return bare.startsWith('127.');
	}

	return bare === '::1' || bare.startsWith('::ffff:127.');
}

function positiveInteger(value: unknown, name: string, {allowZero = false} = {}): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
		throw new TypeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${String(value)}`);
	}

	return value;
}

function validEndpoint(value: MailEndpoint, name: string): MailEndpoint {
	if (typeof value.host !== 'string' || value.host === '' || typeof value.secure !== 'boolean') {
		throw new TypeError(`${name} must be {host, port, secure}`);
	}

	positiveInteger(value.port, `${name}.port`);
	return value;
}

/**
 * Applies defaults and checks every field.
 * @throws {TypeError} on a malformed option, or a public address without TLS or `insecurePublic`
 */
export function resolveOptions(options: RelayOptions = {}): ResolvedRelayOptions {
	const host = options.host ?? defaultHost;
	if (typeof host !== 'string' || host === '') {
		throw new TypeError('host must be a non-empty string');
	}

	const port = positiveInteger(options.port ?? defaultPort, 'port', {allowZero: true});
	if (port > 65_535) {
		throw new TypeError(`port must be at most 65535, got ${port}`);
	}

	if (options.token !== undefined && (typeof options.token !== 'string' || options.token.length < 16)) {
		throw new TypeError('token must be a string of at least 16 characters');
	}

	if (options.tls && (!options.tls.cert || !options.tls.key)) {
		throw new TypeError('tls needs both cert and key');
	}

	const insecurePublic = options.insecurePublic ?? false;
	if (!isLoopbackHost(host) && !options.tls && !insecurePublic) {
		throw new TypeError(`Refusing plain HTTP on ${host}, which other machines can reach: give RELAY_TLS_CERT and RELAY_TLS_KEY, or --insecure-public`);
	}

	const allowedOrigins = options.allowedOrigins ?? [];
	for (const origin of allowedOrigins) {
		if (!/^[a-z][\w+.-]*:\/\/[^/\s]+$/i.test(origin)) {
			throw new TypeError(`allowedOrigins: ${origin} is not an origin like https://example.com`);
		}
	}

	const allowedHosts = (options.allowedHosts ?? []).map(name => name.toLowerCase());
	for (const name of allowedHosts) {
		if (!/^[a-z\d.-]+$/.test(name)) {
			throw new TypeError(`allowedHosts: ${name} is not a host name like relay.example.com`);
		}
	}

	const limits = options.limits ?? {};
	return {
		host,
		port,
		token: options.token,
		configDir: options.configDir,
		tls: options.tls,
		insecurePublic,
		allowedOrigins,
		allowedHosts,
		limits: {
			maxBodyBytes: positiveInteger(limits.maxBodyBytes ?? defaultMaxBodyBytes, 'limits.maxBodyBytes'),
			maxRecipients: positiveInteger(limits.maxRecipients ?? defaultMaxRecipients, 'limits.maxRecipients'),
			requestsPerMinute: positiveInteger(limits.requestsPerMinute ?? defaultRequestsPerMinute, 'limits.requestsPerMinute'),
			repliesPerPage: positiveInteger(limits.repliesPerPage ?? defaultRepliesPage.messages, 'limits.repliesPerPage'),
			repliesPageBytes: positiveInteger(limits.repliesPageBytes ?? defaultRepliesPage.bytes, 'limits.repliesPageBytes'),
			scannedPerPage: positiveInteger(limits.scannedPerPage ?? defaultRepliesPage.scanned, 'limits.scannedPerPage'),
		},
		imapIdleMs: positiveInteger(options.imapIdleMs ?? 180_000, 'imapIdleMs'),
		defaultImap: validEndpoint(options.defaultImap ?? purelymailImap, 'defaultImap'),
		defaultSmtp: validEndpoint(options.defaultSmtp ?? purelymailSmtp, 'defaultSmtp'),
		connectTimeoutMs: positiveInteger(options.connectTimeoutMs ?? 20_000, 'connectTimeoutMs'),
		log: options.log ?? console.log,
		hosted: !isLoopbackHost(host),
		mailHosts: (options.mailHosts ?? [purelymailImap.host, purelymailSmtp.host]).map(name => name.toLowerCase()),
		sendAliases: Object.fromEntries(Object.entries(options.sendAliases ?? {}).map(([user, aliases]) => [user.toLowerCase(), aliases.map(alias => alias.toLowerCase())])),
		maxConnections: positiveInteger(options.maxConnections ?? 64, 'maxConnections'),
		failedTokensPerMinute: positiveInteger(options.failedTokensPerMinute ?? 10, 'failedTokensPerMinute'),
		hostedTestTargets: options.hostedTestTargets ?? [],
		...(options.lookup ? {lookup: options.lookup} : {}),
	};
}

function integerVariable(environment: NodeJS.ProcessEnv, name: string): number | undefined {
	const value = environment[name];
	if (value === undefined || value === '') {
		return undefined;
	}

	const number = Number(value);
	if (!Number.isInteger(number)) {
		throw new TypeError(`${name} must be an integer, got ${value}`);
	}

	return number;
}

function list(value: string | undefined): string[] {
	return (value ?? '').split(',').map(item => item.trim()).filter(Boolean);
}

/**
 * Maps environment variables and command-line flags onto RelayOptions:
 * RELAY_HOST, RELAY_PORT, RELAY_TOKEN, RELAY_CONFIG_DIR, RELAY_TLS_CERT / RELAY_TLS_KEY (file paths),
 * RELAY_ALLOWED_ORIGINS and RELAY_ALLOWED_HOSTS (comma separated), RELAY_MAX_BODY_BYTES, RELAY_MAX_RECIPIENTS, RELAY_REQUESTS_PER_MINUTE,
 * the /v1/replies page's RELAY_REPLIES_PER_PAGE, RELAY_REPLIES_PAGE_BYTES and RELAY_SCANNED_PER_PAGE,
 * hosted mode's RELAY_MAIL_HOSTS (comma separated), RELAY_SEND_ALIASES (`user=alias,user=alias2`), RELAY_MAX_CONNECTIONS,
 * RELAY_FAILED_TOKENS_PER_MINUTE, and the flag --insecure-public.
 * @throws {TypeError} on an unknown flag or a malformed value
 */
export function optionsFromEnvironment(environment: NodeJS.ProcessEnv, argv: string[]): RelayOptions {
	for (const flag of argv) {
		if (flag !== '--insecure-public') {
			throw new TypeError(`Unknown argument ${flag}; the only flag is --insecure-public, the rest is RELAY_* variables`);
		}
	}

	const certFile = environment.RELAY_TLS_CERT;
	const keyFile = environment.RELAY_TLS_KEY;
	if (Boolean(certFile) !== Boolean(keyFile)) {
		throw new TypeError('RELAY_TLS_CERT and RELAY_TLS_KEY go together');
	}

	return present({
		host: environment.RELAY_HOST || undefined,
		port: integerVariable(environment, 'RELAY_PORT'),
		token: environment.RELAY_TOKEN || undefined,
		configDir: environment.RELAY_CONFIG_DIR || undefined,
		tls: certFile && keyFile ? {cert: readFileSync(certFile), key: readFileSync(keyFile)} : undefined,
		insecurePublic: argv.includes('--insecure-public'),
		allowedOrigins: list(environment.RELAY_ALLOWED_ORIGINS),
		allowedHosts: list(environment.RELAY_ALLOWED_HOSTS),
		mailHosts: environment.RELAY_MAIL_HOSTS ? list(environment.RELAY_MAIL_HOSTS) : undefined,
		sendAliases: environment.RELAY_SEND_ALIASES ? aliasMap(environment.RELAY_SEND_ALIASES) : undefined,
		maxConnections: integerVariable(environment, 'RELAY_MAX_CONNECTIONS'),
		failedTokensPerMinute: integerVariable(environment, 'RELAY_FAILED_TOKENS_PER_MINUTE'),
		limits: present({
			maxBodyBytes: integerVariable(environment, 'RELAY_MAX_BODY_BYTES'),
			maxRecipients: integerVariable(environment, 'RELAY_MAX_RECIPIENTS'),
			requestsPerMinute: integerVariable(environment, 'RELAY_REQUESTS_PER_MINUTE'),
			repliesPerPage: integerVariable(environment, 'RELAY_REPLIES_PER_PAGE'),
			repliesPageBytes: integerVariable(environment, 'RELAY_REPLIES_PAGE_BYTES'),
			scannedPerPage: integerVariable(environment, 'RELAY_SCANNED_PER_PAGE'),
		}),
	});
}

/** `user=alias,user=alias2` as `{user: [alias, alias2]}`. */
function aliasMap(value: string): Record<string, string[]> {
	const map: Record<string, string[]> = {};
	for (const pair of list(value)) {
		const [user, alias, ...rest] = pair.split('=').map(part => part.trim());
		if (!user || !alias || rest.length > 0) {
			throw new TypeError(`RELAY_SEND_ALIASES: ${pair} is not user=alias`);
		}

		(map[user.toLowerCase()] ??= []).push(alias.toLowerCase());
	}

	return map;
}

/** The fields that are set: an unset variable leaves its option absent (so its default applies), never `undefined`. */
function present<T extends Record<string, unknown>>(values: T): {[Key in keyof T]?: Exclude<T[Key], undefined>} {
	return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {[Key in keyof T]?: Exclude<T[Key], undefined>};
}
