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
import {AgentConfigError, isRecord, parseAgentAccount, textField, type AgentAccount} from '../../lib/agent/config-file.ts';

export {AgentConfigError, parseAgentAccount, type AgentAccount} from '../../lib/agent/config-file.ts';

export type AgentConfig =
	| {kind: 'sqlite'; file: string; statePath: string; mailbox: AgentAccount}
	| {kind: 'postgres'; file: string; stateUrl: string};

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

	const state = value.state === undefined ? undefined : textField(value.state, 'state');
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
