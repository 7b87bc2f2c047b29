/**
 * Mail for the relay tests and benchmark: sandbox accounts as relay accounts, a direct imapflow client
 * (to APPEND test mail and read flags behind the relay's back), and builders for messages.
 * Calendar content comes from the shared fixtures, read by path and never edited.
 */
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {ImapFlow} from 'imapflow';
import type {RelayAccount} from '../../lib/relay-client/types.ts';
import type {Sandbox, SandboxAccount} from '../sandbox/types.ts';

export const fixtureSamples = '/work/shared/fixtures/itip/samples';

/** A fixture file's bytes. */
export async function fixture(name: string): Promise<Buffer> {
	return readFile(path.join(fixtureSamples, name));
}

/** The sandbox account as the relay API wants it (plaintext loopback servers). */
export function relayAccount(sandbox: Pick<Sandbox, 'imap' | 'smtp'>, account: SandboxAccount, imap: {host: string; port: number} = sandbox.imap): RelayAccount {
	return {
		user: account.email,
		password: account.password,
		imap: {host: imap.host, port: imap.port, secure: false},
		smtp: {host: sandbox.smtp.host, port: sandbox.smtp.port, secure: false},
	};
}

/** A logged-in imapflow client straight to the sandbox Dovecot, or a proxy in front of it (not through the relay). */
export async function directImap(endpoint: {host: string; port: number}, account: SandboxAccount): Promise<ImapFlow> {
	const client = new ImapFlow({
		host: endpoint.host,
		port: endpoint.port,
		secure: false,
		doSTARTTLS: false,
		auth: {user: account.email, pass: account.password},
		logger: false,
		disableAutoIdle: true,
	});
	client.on('error', () => undefined);
	await client.connect();
	return client;
}

/** Every message of a folder: uid, flags, subject and Message-ID (read with BODY.PEEK, so flags stay). */
export async function listFolder(client: ImapFlow, folder: string): Promise<Array<{uid: number; flags: string[]; messageId: string | undefined; subject: string | undefined}>> {
	const lock = await client.getMailboxLock(folder, {readOnly: true});
	try {
		const messages = [];
		for await (const message of client.fetch('1:*', {uid: true, flags: true, envelope: true})) {
			messages.push({uid: message.uid, flags: [...message.flags ?? []].filter(flag => flag !== '\\Recent').sort(), messageId: message.envelope?.messageId, subject: message.envelope?.subject});
		}

		return messages;
	} catch (error) {
		// An empty folder answers `1:*` with nothing (or an error on some servers).
		if ((error as {responseText?: string}).responseText?.includes('Invalid messageset')) {
			return [];
		}

		throw error;
	} finally {
		lock.release();
		// Deselect: imapflow drops APPEND flags the selected read-only folder does not permit (\Seen among them).
		await client.mailboxClose();
	}
}

/** A plain text message (no calendar). */
export function plainMessage(options: {from: string; to: string; subject: string; messageId: string; body?: string}): Buffer {
	return Buffer.from([
		`From: ${options.from}`,
		`To: ${options.to}`,
		`Subject: ${options.subject}`,
		`Message-ID: ${options.messageId}`,
		`Date: ${new Date().toUTCString()}`,
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=utf-8',
		'',
		options.body ?? 'Just text, no calendar.',
		'',
	].join('\r\n'));
}

/** Base64 in 76-character lines, as MIME wants it. */
function base64Lines(bytes: Buffer): string {
	return bytes.toString('base64').replaceAll(/.{1,76}/g, '$&\r\n');
}

/**
 * A multipart/mixed message: a short text, optionally an iCalendar part (`calendar`), optionally an attachment
 * of `attachmentBytes` random-looking bytes (application/pdf, base64: about 4/3 of that on the wire).
 */
export function messageWithAttachment(options: {
	from: string;
	to: string;
	subject: string;
	messageId: string;
	calendar?: Buffer;
	attachmentBytes?: number;
}): Buffer {
	const boundary = `relay-test-${options.messageId.replaceAll(/\W/g, '')}`;
	const parts = [
		['Content-Type: text/plain; charset=utf-8', '', `${options.subject}`, ''].join('\r\n'),
	];
	if (options.calendar) {
		parts.push(['Content-Type: text/calendar; charset=utf-8; method=REPLY', 'Content-Transfer-Encoding: 8bit', '', options.calendar.toString('utf8')].join('\r\n'));
	}

	if (options.attachmentBytes) {
		const attachment = Buffer.alloc(options.attachmentBytes);
		for (let index = 0; index < attachment.length; index++) {
			attachment[index] = (index * 7919) % 251;
		}

		parts.push(['Content-Type: application/pdf; name="agenda.pdf"', 'Content-Disposition: attachment; filename="agenda.pdf"', 'Content-Transfer-Encoding: base64', '', base64Lines(attachment)].join('\r\n'));
	}

	return Buffer.from([
		`From: ${options.from}`,
		`To: ${options.to}`,
		`Subject: ${options.subject}`,
		`Message-ID: ${options.messageId}`,
		`Date: ${new Date().toUTCString()}`,
		'MIME-Version: 1.0',
		`Content-Type: multipart/mixed; boundary="${boundary}"`,
		'',
		...parts.map(part => `--${boundary}\r\n${part}`),
		`--${boundary}--`,
		'',
	].join('\r\n'));
}
