/**
 * The sandbox's mailboxes seen from outside the extension: what arrived in an INBOX (imapflow straight to Dovecot)
 * and mail sent as one of the demo accounts (nodemailer through the sandbox's AUTH SMTP server).
 */
import {ImapFlow, type MessageStructureObject} from 'imapflow';
import nodemailer from 'nodemailer';
import type {SandboxAccount} from '../../sandbox/index.ts';

export type Endpoint = {host: string; port: number};

/** A message with the calendar part it carries, if any. */
export type ArrivedMessage = {
	uid: number;
	subject: string;
	from: string;
	/** `text/calendar` part's `method` parameter, upper-case; undefined without a calendar part. */
	calendarMethod: string | undefined;
	/** The calendar part's text, decoded. */
	calendar: string | undefined;
};

function findCalendarPart(structure: MessageStructureObject | undefined): MessageStructureObject | undefined {
	if (!structure) {
		return undefined;
	}

	if (structure.type.toLowerCase() === 'text/calendar') {
		return structure;
	}

	for (const child of structure.childNodes ?? []) {
		const found = findCalendarPart(child);
		if (found) {
			return found;
		}
	}

	return undefined;
}

async function connect(endpoint: Endpoint, account: SandboxAccount): Promise<ImapFlow> {
	const client = new ImapFlow({
		host: endpoint.host, port: endpoint.port, secure: false, doSTARTTLS: false,
		auth: {user: account.email, pass: account.password}, logger: false, disableAutoIdle: true,
	});
	client.on('error', () => undefined);
	await client.connect();
	return client;
}

/** Every message in the account's INBOX (or another folder, e.g. `Sent`), read-only, with its calendar part. */
export async function inboxMessages(endpoint: Endpoint, account: SandboxAccount, folder = 'INBOX'): Promise<ArrivedMessage[]> {
	const client = await connect(endpoint, account);
	try {
		const lock = await client.getMailboxLock(folder, {readOnly: true});
		try {
			const mailbox = client.mailbox;
			if (!mailbox || mailbox.exists === 0) {
				return [];
			}

			const listed: Array<{uid: number; subject: string; from: string; part: MessageStructureObject | undefined}> = [];
			for await (const message of client.fetch('1:*', {uid: true, envelope: true, bodyStructure: true})) {
				listed.push({
					uid: message.uid,
					subject: message.envelope?.subject ?? '',
					from: message.envelope?.from?.[0]?.address ?? '',
					part: findCalendarPart(message.bodyStructure),
				});
			}

			const messages: ArrivedMessage[] = [];
			for (const item of listed) {
				let calendar: string | undefined;
				if (item.part?.part) {
					const {content} = await client.download(String(item.uid), item.part.part, {uid: true});
					if (!content) {
						throw new Error(`Part ${item.part.part} of message ${item.uid} could not be downloaded`);
					}

					const chunks: Buffer[] = [];
					for await (const chunk of content) {
						chunks.push(chunk as Buffer);
					}

					calendar = Buffer.concat(chunks).toString('utf8');
				}

				messages.push({
					uid: item.uid,
					subject: item.subject,
					from: item.from,
					calendarMethod: typeof item.part?.parameters?.method === 'string' ? item.part.parameters.method.toUpperCase() : undefined,
					calendar,
				});
			}

			return messages;
		} finally {
			lock.release();
		}
	} finally {
		await client.logout().catch(() => undefined);
	}
}

/**
 * Polls the INBOX (or `folder`) until a message matches (mail goes SMTP → LMTP → Dovecot, which takes a moment), at
 * most `timeoutMs`. Throws with what did arrive when none matches in time.
 */
export async function waitForMessage(
	endpoint: Endpoint,
	account: SandboxAccount,
	matches: (message: ArrivedMessage) => boolean,
	timeoutMs = 20_000,
	folder = 'INBOX',
): Promise<ArrivedMessage> {
	const deadline = Date.now() + timeoutMs;
	let seen: ArrivedMessage[] = [];
	while (Date.now() < deadline) {
		seen = await inboxMessages(endpoint, account, folder);
		const found = seen.find(message => matches(message));
		if (found) {
			return found;
		}

		await new Promise(resolve => setTimeout(resolve, 250));
	}

	throw new Error(`No matching message in ${account.email}'s ${folder} within ${timeoutMs} ms; it holds: ${JSON.stringify(seen.map(({uid, subject, from, calendarMethod}) => ({uid, subject, from, calendarMethod})))}`);
}

/** Submits a whole message as `account` (SMTP AUTH with its password), to the given recipients. */
export async function sendRaw(endpoint: Endpoint, account: SandboxAccount, to: string[], raw: string): Promise<void> {
	const transport = nodemailer.createTransport({
		host: endpoint.host, port: endpoint.port, secure: false, ignoreTLS: true,
		auth: {user: account.email, pass: account.password},
	});
	try {
		await transport.sendMail({envelope: {from: account.email, to}, raw});
	} finally {
		transport.close();
	}
}
