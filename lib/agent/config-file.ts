/**
 * The agent's config file as both sides see it (issue 17): the extension's own account and settings shape,
 *
 *   {"account": {"email", "name", "password", "aliases"},
 *    "servers": {"caldavUrl", "imap": {"host", "port", "secure"}, "smtp": {...}},
 *    "calendarUrl", "invitations": {"policy", "updates", "cancellations", "removeCancelled", "filingFolder", "calendarUrl"},
 *    "scheduleOtherApps", "state"}
 *
 * (`invitations` is the options page's "Invitations you receive", lib/invitations' defaults when absent) read by the agent (relay/agent/config.ts adds the file's checks and `state`) and written by the options page's
 * "Run on an always-on machine" from the extension's settings, so the two cannot drift apart.
 */
import {purelymailServers, type Account, type ServerSettings, type Settings} from '../model.ts';
import {filingFolderProblem, invitationSettingsOf} from '../invitations/settings.ts';
import type {InvitationSettings} from '../invitations/types.ts';
import type {MailEndpoint} from '../relay-client/types.ts';

/** One mailbox the agent serves: the extension's account, servers and calendar. */
export type AgentAccount = {
	account: Account;
	servers: ServerSettings;
	/** Undefined: the first calendar found by discovery. */
	calendarUrl: string | undefined;
	/** What to do with invitations the user receives, as the extension's options say (issue 14). */
	invitations: InvitationSettings;
	/** "Send invitations and answers for changes made in other calendar apps" (issue 18); off unless the file says true. */
	scheduleOtherApps: boolean;
};

/** A config file that cannot be used, with the reason to show. */
export class AgentConfigError extends Error {
	override name = 'AgentConfigError';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A text field of the config, named in the error when it is not text. */
export function textField(value: unknown, field: string, options: {optional?: boolean} = {}): string {
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

	return {host: textField(value.host, `${field}.host`), port, secure};
}

function flag(value: unknown, field: string): boolean {
	if (value !== undefined && typeof value !== 'boolean') {
		throw new AgentConfigError(`${field} must be true or false`);
	}

	return value ?? false;
}

function httpUrl(value: unknown, field: string): string {
	const url = textField(value, field);
	if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
		throw new AgentConfigError(`${field} must be an http(s) URL`);
	}

	return url;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (!allowed.includes(value as T)) {
		throw new AgentConfigError(`${field} must be one of ${allowed.map(choice => `"${choice}"`).join(', ')}`);
	}

	return value as T;
}

/** The invitation settings, checked as the options page checks them; what is absent takes lib/invitations' default. */
function invitationSettings(value: unknown): InvitationSettings {
	if (value === undefined) {
		return invitationSettingsOf({});
	}

	if (!isRecord(value)) {
		throw new AgentConfigError('"invitations" must be {"policy", "updates", "cancellations", "removeCancelled", "filingFolder", "calendarUrl"}');
	}

	const {removeCancelled, filingFolder, calendarUrl} = value;
	if (removeCancelled !== undefined && typeof removeCancelled !== 'boolean') {
		throw new AgentConfigError('invitations.removeCancelled must be true or false');
	}

	const problem = typeof filingFolder === 'string' ? filingFolderProblem(filingFolder) : undefined;
	if ((filingFolder !== undefined && filingFolder !== null && typeof filingFolder !== 'string') || problem) {
		throw new AgentConfigError(`invitations.filingFolder must be a folder name or null${problem ? `: ${problem}` : ''}`);
	}

	const parsed: Partial<InvitationSettings> = {
		policy: oneOf(value.policy, 'invitations.policy', ['contacts', 'anyone', 'never']),
		updates: oneOf(value.updates, 'invitations.updates', ['apply', 'ask']),
		cancellations: oneOf(value.cancellations, 'invitations.cancellations', ['apply', 'ask']),
		removeCancelled,
		filingFolder: typeof filingFolder === 'string' ? filingFolder.trim() : filingFolder,
		calendarUrl: calendarUrl === undefined || calendarUrl === null ? calendarUrl : httpUrl(calendarUrl, 'invitations.calendarUrl'),
	} as Partial<InvitationSettings>;
	return invitationSettingsOf({invitations: Object.fromEntries(Object.entries(parsed).filter(([, setting]) => setting !== undefined)) as InvitationSettings});
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
		account: {email: textField(account.email, 'account.email'), name: textField(account.name, 'account.name', {optional: true}), password: textField(account.password, 'account.password'), aliases: aliases as string[]},
		servers: {
			caldavUrl: servers.caldavUrl === undefined ? purelymailServers.caldavUrl : httpUrl(servers.caldavUrl, 'servers.caldavUrl'),
			imap: endpoint(servers.imap, 'servers.imap', purelymailServers.imap),
			smtp: endpoint(servers.smtp, 'servers.smtp', purelymailServers.smtp),
		},
		calendarUrl: value.calendarUrl === undefined || value.calendarUrl === null ? undefined : httpUrl(value.calendarUrl, 'calendarUrl'),
		invitations: invitationSettings(value.invitations),
		scheduleOtherApps: flag(value.scheduleOtherApps, 'scheduleOtherApps'),
	};
}


/** The config file for this account and settings, as the options page offers it (no `state`: beside the file). */
export function agentConfigFile(account: Account, settings: Pick<Settings, 'servers' | 'calendarUrl' | 'invitations' | 'scheduleOtherApps'>): Record<string, unknown> {
	return {
		account: {email: account.email, name: account.name, password: account.password, aliases: account.aliases},
		servers: settings.servers,
		...(settings.calendarUrl ? {calendarUrl: settings.calendarUrl} : {}),
		invitations: invitationSettingsOf(settings),
		scheduleOtherApps: settings.scheduleOtherApps ?? false,
	};
}

/** Shown in place of the password until the user asks to see it. */
export const maskedPassword = '••••••••';

/** The file's text, the password masked unless `reveal`. */
export function agentConfigText(config: Record<string, unknown>, reveal: boolean): string {
	const account = config.account as Record<string, unknown> | undefined;
	const shown = reveal || !account ? config : {...config, account: {...account, password: maskedPassword}};
	return `${JSON.stringify(shown, null, 2)}\n`;
}
