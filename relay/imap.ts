/**
 * Opening an IMAP session for an account, with the relay's transport rules:
 * TLS from the first byte when `secure`, otherwise STARTTLS, which is required unless the server is on loopback
 * (a password never crosses a network in clear).
 */
import {ImapFlow} from 'imapflow';
import {toRelayError} from './errors.ts';
import {isLoopbackHost} from './config.ts';
import {relayVersion} from './version.ts';
import type {MailTarget} from './hosted.ts';

export type ImapLogin = {endpoint: MailTarget; user: string; password: string; connectTimeoutMs: number};

/** For a session that sits in IDLE (the native host's INBOX watch): restart IDLE after this many ms. */
export type ImapIdleTuning = {maxIdleTimeMs?: number};

/**
 * Connects and logs in. Errors come back as RelayError (MAILBOX_AUTH_FAILED, UNREACHABLE, TLS_FAILED, UPSTREAM).
 * The password is dropped from the client's options once logged in; imapflow never logs in twice on one client.
 * @throws {RelayError}
 */
export async function openImap(login: ImapLogin, tuning: ImapIdleTuning = {}): Promise<ImapFlow> {
	const {endpoint} = login;
	const client = new ImapFlow({
		host: endpoint.host,
		// The name for TLS when `host` is the address hosted mode checked (relay/hosted.ts).
		...(endpoint.servername ? {servername: endpoint.servername} : {}),
		port: endpoint.port,
		secure: endpoint.secure,
		// Loopback plaintext stays plaintext (the sandbox, a local bridge); anywhere else STARTTLS or nothing.
		doSTARTTLS: endpoint.secure ? undefined : !isLoopbackHost(endpoint.host),
		auth: {user: login.user, pass: login.password},
		clientInfo: {name: 'purelymail-invites-relay', version: relayVersion},
		logger: false,
		// We poll; IDLE would make every next command break it first (an extra round trip). The INBOX watch
		// starts IDLE itself.
		disableAutoIdle: true,
		...(tuning.maxIdleTimeMs ? {maxIdleTime: tuning.maxIdleTimeMs} : {}),
		connectionTimeout: login.connectTimeoutMs,
		greetingTimeout: login.connectTimeoutMs,
	});
	// An 'error' event without a listener would take the whole relay down.
	client.on('error', () => undefined);
	try {
		await client.connect();
	} catch (error) {
		client.close();
		throw toRelayError(error, 'IMAP');
	}

	if (client.options.auth) {
		client.options.auth.pass = undefined;
	}

	return client;
}

/** Logs out politely, or just closes when the server does not answer; never throws. */
export async function closeImap(client: ImapFlow): Promise<void> {
	try {
		await client.logout();
	} catch {
		client.close();
	}
}
