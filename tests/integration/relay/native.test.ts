/**
 * The native-messaging host as the browser runs it (a child process on stdio, `relay/main.ts native`), against
 * the sandbox's Dovecot and SMTP: the HTTP API's calls give the same answers over the pipe, and the INBOX watch
 * (IMAP IDLE) says "new-mail" when a message is delivered, without any poll.
 */
import path from 'node:path';
import type {ImapFlow} from 'imapflow';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createNativeRelayClient, type NativeRelayClient} from '../../../lib/relay-client/native.ts';
import type {NativeEvent} from '../../../lib/relay-client/native-protocol.ts';
import type {RelayAccount} from '../../../lib/relay-client/types.ts';
import {relayVersion} from '../../../relay/version.ts';
import {spawnedChannel} from '../../helpers/native-channel.ts';
import {directImap, fixture, plainMessage, relayAccount} from '../../helpers/relay-mail.ts';
import {startSandbox, type Sandbox} from '../../sandbox/index.ts';
import {repoRoot} from '../../sandbox/paths.ts';

let sandbox: Sandbox;
let imap: ImapFlow;
let account: RelayAccount;
let client: NativeRelayClient;
let channel: ReturnType<typeof spawnedChannel>;
const events: NativeEvent[] = [];

beforeAll(async () => {
	sandbox = await startSandbox({services: ['imap', 'smtp']});
	const [organizer] = sandbox.accounts;
	account = relayAccount(sandbox, organizer!);
	imap = await directImap(sandbox.imap, organizer!);
	channel = spawnedChannel(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'relay/main.ts'), 'native', 'chrome-extension://test/']);
	client = createNativeRelayClient({connect: () => channel});
	client.onEvent(event => events.push(event));
});

afterAll(async () => {
	client?.close();
	await channel?.exited;
	await imap?.logout();
	await sandbox?.stop();
});

describe('calls over stdio', () => {
	test('health', async () => {
		expect(await client.health()).toEqual({ok: true, version: relayVersion});
	});

	test('verify logs in to IMAP and SMTP', async () => {
		expect(await client.verify(account)).toEqual({imap: {ok: true}, smtp: {ok: true}});
	});

	test('a wrong password is MAILBOX_AUTH_FAILED, as over HTTP', async () => {
		const verified = await client.verify({...account, password: 'wrong'});
		expect(verified.imap).toMatchObject({ok: false, error: {code: 'MAILBOX_AUTH_FAILED'}});
	});

	test('replies finds a calendar reply delivered to INBOX', async () => {
		await imap.append('INBOX', await fixture('fastmail-REPLY-single-instance-recurrence-id.eml'));
		const answer = await client.replies({account, folders: ['INBOX']});
		expect(answer.messages.length).toBeGreaterThan(0);
		expect(answer.messages.at(-1)!.calendarParts[0]!.text).toMatch(/METHOD:REPLY/);
	});
});

describe('the INBOX watch', () => {
	test('new mail in INBOX is announced while the host sits in IDLE', async () => {
		expect(await client.watch(account)).toEqual({watching: true});
		await expect.poll(() => events.some(event => event.event === 'watch' && event.watching), {timeout: 20_000}).toBe(true);
		const before = events.length;
		await imap.append('INBOX', plainMessage({from: 'guest@example.org', to: account.user, subject: 'hello', messageId: '<idle-test@example.org>'}));
		await expect.poll(() => events.slice(before), {timeout: 20_000}).toContainEqual({event: 'new-mail', folder: 'INBOX'});
		expect(await client.unwatch()).toEqual({watching: false});
	});
});
