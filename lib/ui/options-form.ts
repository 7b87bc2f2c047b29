/**
 * The options page's form: its state, validation and the `OptionsState` it saves.
 */
import {isEmailAddress} from '../address.ts';
import type {ConnectionCheck, ConnectionReport, OptionsState} from '../messaging.ts';
import type {Settings} from '../model.ts';
import {filingFolderProblem} from '../invitations/settings.ts';
import {isLiteralLoopback, relayUrlProblem} from '../relay-client/relay-url.ts';

/**
 * Purelymail's account admin portal. App passwords are made there under User → the address → App Passwords
 * (support.purelymail.com, "How to Create an App Password"); the portal has no stable deep link to that section.
 */
export const appPasswordUrl = 'https://purelymail.com/manage';

/** The steps, for the line beside the link. */
export const appPasswordSteps = 'In Purelymail\'s account portal: User → your address → App Passwords → Add New.';

/** Origins the extension covers without asking: Purelymail's own webmail. */
export const builtInWebmailOrigins: readonly string[] = ['https://inbox.purelymail.com', 'https://purelymail.com'];

export const pollMinutesRange = {min: 1, max: 30} as const;

export type OptionsForm = {
	settings: Settings;
	email: string;
	name: string;
	password: string;
	/** Other addresses of the account, comma- or line-separated as typed. */
	aliases: string;
};

export type OptionsField =
	| 'email' | 'password' | 'aliases' | 'caldavUrl' | 'imapHost' | 'imapPort' | 'smtpHost' | 'smtpPort'
	| 'relayUrl' | 'relayToken' | 'pollMinutes' | 'webmailOrigins' | 'filingFolder';

export type OptionsErrors = Partial<Record<OptionsField, string>>;

/** The form for what the background holds. */
export function optionsFormFrom(state: OptionsState): OptionsForm {
	return {
		settings: structuredClone(state.settings),
		email: state.account?.email ?? '',
		name: state.account?.name ?? '',
		password: state.account?.password ?? '',
		aliases: state.account?.aliases.join(', ') ?? '',
	};
}

function splitList(text: string): string[] {
	return text.split(/[\s,;]+/).map(item => item.trim()).filter(Boolean);
}

/** What to save: the account only once an address is given. */
export function optionsStateFrom(form: OptionsForm): OptionsState {
	const email = form.email.trim();
	const {invitations} = form.settings;
	return {
		settings: {
			...form.settings,
			pollMinutes: clampPollMinutes(form.settings.pollMinutes),
			...(invitations ? {invitations: {...invitations, filingFolder: invitations.filingFolder?.trim() ?? null}} : {}),
		},
		account: email === ''
			? null
			: {email, name: form.name.trim(), password: form.password, aliases: splitList(form.aliases)},
	};
}

/** A poll interval from 1 to 30 whole minutes. */
export function clampPollMinutes(value: number): number {
	if (!Number.isFinite(value)) {
		return pollMinutesRange.min;
	}

	return Math.min(pollMinutesRange.max, Math.max(pollMinutesRange.min, Math.round(value)));
}

/** True for `http:` on this machine (a test server), where TLS is not needed: the relay's rule, literal names only. */
const isLoopback = isLiteralLoopback;

function urlProblem(text: string, what: string): string | undefined {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return `${what} must be a full address starting with https://.`;
	}

	if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url))) {
		return undefined;
	}

	return `${what} must start with https:// (http:// only for this computer).`;
}

/**
 * A webmail origin as the user typed it (`mail.example.org`, `https://mail.example.org/roundcube/?_task=mail`),
 * reduced to `https://mail.example.org`; or why it cannot be one.
 */
export function parseWebmailOrigin(text: string): {ok: true; origin: string} | {ok: false; error: string} {
	const value = text.trim();
	if (value === '') {
		return {ok: false, error: 'Type the webmail\'s address.'};
	}

	let url: URL;
	try {
		url = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(value) ? value : `https://${value}`);
	} catch {
		return {ok: false, error: `“${value}” is not a web address.`};
	}

	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
		return {ok: false, error: 'Webmail must be served over https://.'};
	}

	return {ok: true, origin: url.origin};
}

/** The extra origins with one more added; an error when it is wrong or already covered. */
export function addWebmailOrigin(origins: readonly string[], text: string): {ok: true; origins: string[]} | {ok: false; error: string} {
	const parsed = parseWebmailOrigin(text);
	if (!parsed.ok) {
		return parsed;
	}

	if (builtInWebmailOrigins.includes(parsed.origin)) {
		return {ok: false, error: `${parsed.origin} is Purelymail's own webmail, which works without adding it.`};
	}

	if (origins.includes(parsed.origin)) {
		return {ok: false, error: `${parsed.origin} is already in the list.`};
	}

	return {ok: true, origins: [...origins, parsed.origin]};
}

function portProblem(port: number): string | undefined {
	return Number.isInteger(port) && port >= 1 && port <= 65_535 ? undefined : 'A port is a number from 1 to 65535.';
}

/** What is wrong with the form; empty when it can be saved. */
export function validateOptionsForm(form: OptionsForm): OptionsErrors {
	const errors: OptionsErrors = {};
	const {settings} = form;
	const email = form.email.trim();
	if (email === '') {
		errors.email = 'Type your Purelymail address.';
	} else if (!isEmailAddress(email)) {
		errors.email = `“${email}” is not an e-mail address.`;
	}

	if (form.password === '') {
		errors.password = 'Paste an app password made in Purelymail\'s settings.';
	}

	const wrongAlias = splitList(form.aliases).find(alias => !isEmailAddress(alias));
	if (wrongAlias) {
		errors.aliases = `“${wrongAlias}” is not an e-mail address.`;
	}

	const caldav = urlProblem(settings.servers.caldavUrl, 'The CalDAV address');
	if (caldav) {
		errors.caldavUrl = caldav;
	}

	if (settings.servers.imap.host.trim() === '') {
		errors.imapHost = 'Type the IMAP server\'s name.';
	}

	const imapPort = portProblem(settings.servers.imap.port);
	if (imapPort) {
		errors.imapPort = imapPort;
	}

	if (settings.servers.smtp.host.trim() === '') {
		errors.smtpHost = 'Type the SMTP server\'s name.';
	}

	const smtpPort = portProblem(settings.servers.smtp.port);
	if (smtpPort) {
		errors.smtpPort = smtpPort;
	}

	// The address and token matter only for a relay reached over HTTP; the browser starts the native one itself.
	if (settings.relayMode === 'http') {
		const relay = relayUrlProblem(settings.relayUrl);
		if (relay) {
			errors.relayUrl = relay;
		}

		if (settings.relayToken.trim() === '') {
			errors.relayToken = 'Paste the token the relay printed when it started.';
		}
	}

	if (!Number.isInteger(settings.pollMinutes) || settings.pollMinutes < pollMinutesRange.min || settings.pollMinutes > pollMinutesRange.max) {
		errors.pollMinutes = `Check every ${pollMinutesRange.min} to ${pollMinutesRange.max} minutes.`;
	}

	const filingFolder = settings.invitations?.filingFolder;
	const filing = filingFolder === null || filingFolder === undefined ? undefined : filingFolderProblem(filingFolder);
	if (filing) {
		errors.filingFolder = filing;
	}

	return errors;
}

/** The connection checks in the order the page lists them, with what each one covers. */
export function connectionRows(report: ConnectionReport): Array<{key: keyof ConnectionReport; label: string; check: ConnectionCheck}> {
	return [
		{key: 'caldav', label: 'CalDAV (calendar)', check: report.caldav},
		{key: 'relay', label: 'Relay', check: report.relay},
		{key: 'imap', label: 'IMAP (reading replies)', check: report.imap},
		{key: 'smtp', label: 'SMTP (sending invitations)', check: report.smtp},
	];
}
