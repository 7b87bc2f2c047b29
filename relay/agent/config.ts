/**
 * The agent's config file: the extension's own account and settings shape, plus where the agent keeps its state.
 *
 *   {"account": {"email", "name", "password", "aliases"},
 *    "servers": {"caldavUrl", "imap": {"host", "port", "secure"}, "smtp": {...}},
 *    "calendarUrl", "state"}
 *
 * `state` is a path for the SQLite database (default: beside the file, `<file name>.sqlite`) or a `postgres://` URL
 * (then the accounts come from PostgreSQL and the file needs no account). The file holds a password, so one that
 * other users can read is refused.
 */
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {purelymailServers, type Account, type ServerSettings} from '../../lib/model.ts';
import type {MailEndpoint} from '../../lib/relay-client/types.ts';

/** One mailbox the agent serves: the extension's account, servers and calendar. */
export type AgentAccount = {
	account: Account;
	servers: ServerSettings;
	/** Undefined: the first calendar found by discovery. */
	calendarUrl: string | undefined;
};

export type AgentConfig =
	| {kind: 'sqlite'; file: string; statePath: string; mailbox: AgentAccount}
	| {kind: 'postgres'; file: string; stateUrl: string};

/** A config file that cannot be used, with the reason to show. */
export class AgentConfigError extends Error {
	override name = 'AgentConfigError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, field: string, options: {optional?: boolean} = {}): string {
	if (value === undefined && options.optional) {
		return '';
	}

	if (typeof value !== 'string' || (value.trim() === '' && !options.optional)) {
		throw new AgentConfigError(`${field} must be text`);
	}

	return value;
}

function endpoint(value: unknown, field: string, fallback: MailEndpoint): MailEndpoint {
	if (value === undefined) {
		return fallback;
	}

	if (!isRecord(value)) {
		throw new AgentConfigError(`${field} must be {"host", "port", "secure"}`);
	}

	const {port, secure} = value;
	if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
		throw new AgentConfigError(`${field}.port must be a port number`);
	}

	if (typeof secure !== 'boolean') {
		throw new AgentConfigError(`${field}.secure must be true or false`);
	}

	return {host: text(value.host, `${field}.host`), port, secure};
}

function httpUrl(value: unknown, field: string): string {
	const url = text(value, field);
	if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
		throw new AgentConfigError(`${field} must be an http(s) URL`);
	}

	return url;
}

/**
 * One mailbox from the config's shape (also a row of the PostgreSQL accounts table).
 * @throws {AgentConfigError}
 */
export function parseAgentAccount(value: unknown): AgentAccount {
	if (!isRecord(value) || !isRecord(value.account)) {
		throw new AgentConfigError('"account" must be {"email", "name", "password", "aliases"}');
	}

	const {account} = value;
	const aliases = account.aliases ?? [];
	if (!Array.isArray(aliases) || aliases.some(alias => typeof alias !== 'string')) {
		throw new AgentConfigError('account.aliases must be a list of addresses');
	}

	const servers = value.servers ?? {};
	if (!isRecord(servers)) {
		throw new AgentConfigError('"servers" must be {"caldavUrl", "imap", "smtp"}');
	}

	return {
		account: {email: text(account.email, 'account.email'), name: text(account.name, 'account.name', {optional: true}), password: text(account.password, 'account.password'), aliases: aliases as string[]},
		servers: {
			caldavUrl: servers.caldavUrl === undefined ? purelymailServers.caldavUrl : httpUrl(servers.caldavUrl, 'servers.caldavUrl'),
			imap: endpoint(servers.imap, 'servers.imap', purelymailServers.imap),
			smtp: endpoint(servers.smtp, 'servers.smtp', purelymailServers.smtp),
		},
		calendarUrl: value.calendarUrl === undefined || value.calendarUrl === null ? undefined : httpUrl(value.calendarUrl, 'calendarUrl'),
	};
}

/** Where the SQLite state goes when the config names none: beside the config, named after it. */
export function defaultStatePath(file: string): string {
	return path.join(path.dirname(file), `${path.basename(file, path.extname(file))}.sqlite`);
}

/**
 * Reads and checks the config file.
 * @throws {AgentConfigError} when it cannot be read, other users can read it, or a field is wrong
 */
export async function loadAgentConfig(file: string): Promise<AgentConfig> {
	const absolute = path.resolve(file);
	let info;
	try {
		info = await stat(absolute);
	} catch (error) {
		throw new AgentConfigError(`cannot read ${absolute}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
	}

	// The file holds the mailbox password. Windows has no such mode bits (its ACLs are the user profile's).
	if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
		const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
		throw new AgentConfigError(`${absolute} has mode ${mode}: other users can read (or change) it, and it holds a password. Run: chmod 600 ${absolute}`);
	}

	let value: unknown;
	try {
		value = JSON.parse(await readFile(absolute, 'utf8'));
	} catch (error) {
		throw new AgentConfigError(`${absolute} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
	}

	if (!isRecord(value)) {
		throw new AgentConfigError(`${absolute} must hold one JSON object`);
	}

	const state = value.state === undefined ? undefined : text(value.state, 'state');
	if (state && /^postgres(ql)?:\/\//i.test(state)) {
		return {kind: 'postgres', file: absolute, stateUrl: state};
	}

	return {
		kind: 'sqlite',
		file: absolute,
		statePath: state ? path.resolve(path.dirname(absolute), state) : defaultStatePath(absolute),
		mailbox: parseAgentAccount(value),
	};
}
