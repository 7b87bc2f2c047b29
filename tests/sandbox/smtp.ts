/**
 * The sandbox's SMTP submission server: requires AUTH against the sandbox accounts and hands each message
 * to Dovecot over LMTP. Mail for addresses outside the sandbox goes to the catch-all mailbox; nothing leaves.
 * Built on smtp-server (a maintained SMTP server library) rather than Postfix, so it starts in milliseconds
 * in the tests' own process and needs no system-wide mail configuration.
 */
import {SMTPServer, type SMTPServerSession} from 'smtp-server';
import nodemailer from 'nodemailer';
import {rejectedDomain} from './accounts.ts';
import {listenOn} from './ports.ts';
import type {SandboxAccount} from './types.ts';

export type SandboxSmtp = {close(): Promise<void>};

function domainOf(address: string): string {
	return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** The local mailbox a recipient's mail is delivered to. */
function mailboxFor(address: string, accounts: SandboxAccount[], catchAll: SandboxAccount): string {
	const local = accounts.find(account => account.email.toLowerCase() === address.toLowerCase());
	return local ? local.email : catchAll.email;
}

export async function startSmtp(options: {
	port: number;
	lmtpPort: number;
	accounts: SandboxAccount[];
	catchAll: SandboxAccount;
	verbose?: boolean | undefined;
}): Promise<SandboxSmtp> {
	const lmtp = nodemailer.createTransport({host: '127.0.0.1', port: options.lmtpPort, lmtp: true, secure: false, ignoreTLS: true});
	const server = new SMTPServer({
		name: 'smtp.sandbox.test',
		banner: 'Purelymail Invites sandbox',
		authMethods: ['PLAIN', 'LOGIN'],
		authOptional: false,
		// Loopback only: AUTH without TLS is acceptable here, as in Roundcube's default local setup.
		allowInsecureAuth: true,
		disabledCommands: ['STARTTLS'],
		size: 50 * 1024 * 1024,
		logger: options.verbose ?? false,
		onAuth(auth, _session, callback) {
			const account = options.accounts.find(candidate =>
				candidate.email.toLowerCase() === (auth.username ?? '').toLowerCase() && candidate.password === auth.password);
			if (!account) {
				callback(new Error('535 5.7.8 Authentication credentials invalid'));
				return;
			}

			callback(null, {user: account.email});
		},
		onRcptTo(address, _session, callback) {
			if (domainOf(address.address) === rejectedDomain) {
				const error = new Error(`Mailbox unavailable: ${address.address}`) as Error & {responseCode: number};
				error.responseCode = 550;
				callback(error);
				return;
			}

			callback();
		},
		onData(stream, session: SMTPServerSession, callback) {
			const chunks: Uint8Array[] = [];
			stream.on('data', (chunk: Uint8Array) => chunks.push(chunk));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks);
				const mailboxes = [...new Set(session.envelope.rcptTo.map(rcpt => mailboxFor(rcpt.address, options.accounts, options.catchAll)))];
				const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
				lmtp.sendMail({envelope: {from, to: mailboxes}, raw})
					.then(() => {
						callback();
					})
					.catch((error: unknown) => {
						callback(error instanceof Error ? error : new Error(String(error)));
					});
			});
		},
	});
	await listenOn(server, options.port, 'SMTP');
	server.on('error', error => {
		if (options.verbose) {
			console.error('sandbox smtp:', error);
		}
	});
	return {
		async close() {
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
			lmtp.close();
		},
	};
}
