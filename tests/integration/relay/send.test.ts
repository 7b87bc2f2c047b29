/**
 * /v1/verify and /v1/send against the sandbox's real AUTH-requiring SMTP server and Dovecot:
 * delivery to every recipient, the copy in Sent, the no-open-relay rule, and the errors a user can act on.
 * The wrong-password tests run last: Dovecot slows every login from an address after a failed one.
 */
import type {ImapFlow} from 'imapflow';
import {describe, expect, test} from 'vitest';
import {createRelayClient, RelayClientError, type RelayClient} from '../../../lib/relay-client/index.ts';
import type {RunningRelay} from '../../../relay/server.ts';
import {directImap, fixture, listFolder, relayAccount} from '../../helpers/relay-mail.ts';
import type {Sandbox} from '../../sandbox/index.ts';
import {useSandboxRelay} from './use-relay.ts';

let sandbox: Sandbox;
let relay: RunningRelay;
let client: RelayClient;
const logLines: string[] = [];

useSandboxRelay(started => {
	({sandbox, relay} = started);
	client = createRelayClient({url: relay.url, token: relay.token});
}, {log: line => logLines.push(line)});

/** Reads an account's mail directly from Dovecot, behind the relay's back. */
async function withImap<T>(account: Sandbox['accounts'][number], read: (imap: ImapFlow) => Promise<T>): Promise<T> {
	const imap = await directImap(sandbox.imap, account);
	try {
		return await read(imap);
	} finally {
		await imap.logout();
	}
}

describe('verify', () => {
	test('IMAP and SMTP logins both pass for a sandbox account', async () => {
		const [organizer] = sandbox.accounts;
		expect(await client.verify(relayAccount(sandbox, organizer!))).toEqual({imap: {ok: true}, smtp: {ok: true}});
	});

	test('a closed port is UNREACHABLE, TLS spoken to a plaintext port is TLS_FAILED, each reported on its own side', async () => {
		const [organizer] = sandbox.accounts;
		const result = await client.verify({
			...relayAccount(sandbox, organizer!),
			imap: {host: '127.0.0.1', port: 1, secure: false},
			smtp: {host: sandbox.smtp.host, port: sandbox.smtp.port, secure: true},
		});
		expect(result.imap).toMatchObject({ok: false, error: {code: 'UNREACHABLE'}});
		expect(result.smtp).toMatchObject({ok: false, error: {code: 'TLS_FAILED'}});
	});
});

describe('send', () => {
	test('reaches each recipient\'s mailbox, outside mail the catch-all, and the sender\'s Sent with \\Seen', async () => {
		const [organizer, alex, sam] = sandbox.accounts;
		// A real iTIP message: the REQUEST from the Roundcube fixture, re-addressed by the envelope only.
		const raw = (await fixture('roundcube-REQUEST-application-ics-qp.eml')).toString('utf8')
			.replace(/^Message-ID: .*$/im, 'Message-ID: <relay-send-1@sandbox.test>');
		const outside = 'guest@outside.example';
		const result = await client.send({
			account: relayAccount(sandbox, organizer!),
			envelope: {from: organizer!.email, to: [alex!.email, sam!.email, outside, 'nobody@rejected.test']},
			raw,
			copyToSent: true,
		});
		expect(result.messageId).toBe('<relay-send-1@sandbox.test>');
		expect(result.accepted.sort()).toEqual([alex!.email, outside, sam!.email].sort());
		expect(result.rejected).toEqual([{address: 'nobody@rejected.test', reason: expect.stringContaining('550') as string}]);
		expect(result.sentCopy).toEqual({ok: true, folder: 'Sent'});

		for (const account of [alex!, sam!, sandbox.catchAll]) {
			const messages = await withImap(account, async imap => listFolder(imap, 'INBOX'));
			expect(messages.map(message => message.messageId)).toContain('<relay-send-1@sandbox.test>');
		}

		const [sent, sentSource] = await withImap(organizer!, async imap => {
			const list = await listFolder(imap, 'Sent');
			const lock = await imap.getMailboxLock('Sent', {readOnly: true});
			try {
				const message = await imap.fetchOne('*', {source: true});
				return [list, message ? message.source : undefined] as const;
			} finally {
				lock.release();
			}
		});
		expect(sent).toEqual([{uid: 1, flags: ['\\Seen'], messageId: '<relay-send-1@sandbox.test>', subject: expect.any(String) as string}]);
		// The same bytes that went out, line ends made CRLF.
		expect(sentSource?.toString('utf8')).toBe(raw.replaceAll(/\r?\n/g, '\r\n'));
	});

	test('an alias listed in allowedSenders may send', async () => {
		const [organizer, alex] = sandbox.accounts;
		const result = await client.send({
			account: {...relayAccount(sandbox, organizer!), allowedSenders: ['events@sandbox.test']},
			envelope: {from: 'events@sandbox.test', to: [alex!.email]},
			raw: 'From: events@sandbox.test\r\nTo: alex@sandbox.test\r\nSubject: alias\r\nMessage-ID: <relay-alias@sandbox.test>\r\n\r\nhi\r\n',
		});
		expect(result.accepted).toEqual([alex!.email]);
		expect(result.sentCopy).toBeUndefined();
	});

	test('a spoofed envelope.from → 400 BAD_REQUEST, and nothing is sent', async () => {
		const [organizer, alex] = sandbox.accounts;
		const error = await client.send({
			account: relayAccount(sandbox, organizer!),
			envelope: {from: alex!.email, to: [alex!.email]},
			raw: 'Subject: spoof\r\nMessage-ID: <relay-spoof@sandbox.test>\r\n\r\nx\r\n',
		}).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(RelayClientError);
		expect(error).toMatchObject({code: 'BAD_REQUEST', status: 400});
		const messages = await withImap(alex!, async imap => listFolder(imap, 'INBOX'));
		expect(messages.map(message => message.messageId)).not.toContain('<relay-spoof@sandbox.test>');
	});

	test('a closed SMTP port → UNREACHABLE', async () => {
		const [organizer, alex] = sandbox.accounts;
		await expect(client.send({
			account: {...relayAccount(sandbox, organizer!), smtp: {host: '127.0.0.1', port: 1, secure: false}},
			envelope: {from: organizer!.email, to: [alex!.email]},
			raw: 'Subject: x\r\n\r\nx\r\n',
		})).rejects.toMatchObject({code: 'UNREACHABLE', status: 502});
	});
});

describe('wrong mailbox password', () => {
	test('verify reports MAILBOX_AUTH_FAILED for IMAP and SMTP', async () => {
		const [organizer] = sandbox.accounts;
		const result = await client.verify({...relayAccount(sandbox, organizer!), password: 'not-the-password'});
		expect(result.imap).toMatchObject({ok: false, error: {code: 'MAILBOX_AUTH_FAILED'}});
		expect(result.smtp).toMatchObject({ok: false, error: {code: 'MAILBOX_AUTH_FAILED'}});
	});

	test.each([
		['send', async (account: ReturnType<typeof relayAccount>) => client.send({account, envelope: {from: account.user, to: [account.user]}, raw: 'Subject: x\r\n\r\nx\r\n'})],
		['replies', async (account: ReturnType<typeof relayAccount>) => client.replies({account})],
	])('%s → 422 MAILBOX_AUTH_FAILED', async (_name, call) => {
		const [organizer] = sandbox.accounts;
		await expect(call({...relayAccount(sandbox, organizer!), password: 'not-the-password'})).rejects.toMatchObject({code: 'MAILBOX_AUTH_FAILED', status: 422});
	});
});

describe('log', () => {
	test('never holds a password or the token', () => {
		const all = logLines.join('\n');
		expect(logLines.length).toBeGreaterThan(5);
		for (const secret of [relay.token, ...sandbox.accounts.map(account => account.password), 'not-the-password']) {
			expect(all).not.toContain(secret);
		}
	});
});
