/**
 * The invite flow and the reply loop end to end, shared by the flow tests: the sandbox (Dovecot, the AUTH SMTP
 * server, Radicale), the real relay in this process, and lib/invites and lib/reply-loop wired the way
 * lib/background wires them, with the extension's real storage items (fakeBrowser behind `#imports`).
 * Attendees answer with the shared real-client fixtures, read by path and rewritten in memory to our event.
 */
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import type {MessageStructureObject} from 'imapflow';
import nodemailer from 'nodemailer';
import {afterAll, beforeAll, beforeEach, expect} from 'vitest';
import {fakeBrowser} from 'wxt/testing';
import {ownAddresses, relayAccountOf} from '../../../lib/account.ts';
import {createCaldavClient, discoverCalendars, type CaldavClient} from '../../../lib/caldav/index.ts';
import {topLevelMethod} from '../../../lib/ical-lines.ts';
import {createInvite, createStorageEvents, type InviteDeps} from '../../../lib/invites/index.ts';
import type {InviteDraft, SendInviteResult} from '../../../lib/messaging.ts';
import type {Account, MessageOutcome, Settings, TrackedEvent} from '../../../lib/model.ts';
import {createRelayClient, type RelayAccount, type RelayClient} from '../../../lib/relay-client/index.ts';
import {caldavCalendarPort, runTick, type ReplyLoopDeps, type TickResult} from '../../../lib/reply-loop/index.ts';
import {createStorageStore} from '../../../lib/reply-loop/storage-store.ts';
import {cursorItem, defaultSettings, eventsItem, outcomesItem} from '../../../lib/storage.ts';
import {startRelay, type RunningRelay} from '../../../relay/server.ts';
import {startSandbox, type RunningSandbox, type SandboxAccount} from '../../sandbox/index.ts';
import {directImap, fixtureSamples} from '../../helpers/relay-mail.ts';

export {fixtureSamples};
/** The relay wants at least 16 characters (relay/config.ts), so not the plain 'test-token'. */
export const relayToken = 'test-token-for-the-flow-tests';

export type Endpoint = {host: string; port: number};

/** One CalDAV request as the reply loop's client made it, and the answer. */
export type CaldavExchange = {method: string; url: string; status: number};

export type Flow = {
	sandbox: RunningSandbox;
	/** The running relay; replaced by `restartRelay`. */
	relay: RunningRelay | undefined;
	relayUrl: string;
	relayClient: RelayClient;
	organizer: SandboxAccount;
	alex: SandboxAccount;
	sam: SandboxAccount;
	/** The organizer's account as the extension stores it. */
	account: Account;
	settings: Settings;
	calendarUrl: string;
	/** The organizer's CalDAV client, every request and answer recorded in `exchanges`. */
	caldav: CaldavClient;
	exchanges: CaldavExchange[];
	/** Runs before each CalDAV request of `caldav` (a test's concurrent writer hooks in here). */
	beforeRequest?: ((request: {method: string; url: string}) => Promise<void>) | undefined;
	/** Another client on the organizer's calendar: a second device, or the user in another calendar app. */
	otherDevice: CaldavClient;
	stopRelay(): Promise<void>;
	/** Starts the relay again on the same port with the same token. */
	restartRelay(): Promise<void>;
	stop(): Promise<void>;
};

let relayConfigDir: string | undefined;

async function relayOn(port: number): Promise<RunningRelay> {
	relayConfigDir ??= await mkdtemp(path.join(os.tmpdir(), 'flow-relay-'));
	return startRelay({port, token: relayToken, configDir: relayConfigDir, log: () => undefined, limits: {requestsPerMinute: 10_000}});
}

async function removeRelayConfigDir(): Promise<void> {
	if (relayConfigDir) {
		await rm(relayConfigDir, {recursive: true, force: true});
		relayConfigDir = undefined;
	}
}

/** What a flow test file adds to the common hooks. */
export type FlowHooks = {
	/** Once, after the flow started (e.g. a contact in the user's address book). */
	afterStart?: (flow: Flow) => Promise<void>;
	/** Before each test, after the common reset (e.g. a relay cursor from now). */
	beforeEach?: (flow: Flow) => Promise<void>;
};

/**
 * The hooks of a flow test file: the flow started once and stopped at the end; before each test, fresh extension
 * storage, no injected CalDAV fault and an empty exchange log, then the file's own `hooks`.
 */
export function useRelayFlow(started: (flow: Flow) => void, hooks: FlowHooks = {}): void {
	let flow: Flow | undefined;
	beforeAll(async () => {
		flow = await startFlow();
		await hooks.afterStart?.(flow);
		started(flow);
	});

	afterAll(async () => {
		await flow?.stop();
	});

	beforeEach(async () => {
		fakeBrowser.reset();
		flow!.beforeRequest = undefined;
		flow!.exchanges.length = 0;
		await hooks.beforeEach?.(flow!);
	});
}

/** Starts the sandbox (IMAP, SMTP, CalDAV) and the relay, and finds the organizer's calendar by discovery. */
export async function startFlow(): Promise<Flow> {
	const sandbox = await startSandbox({services: ['imap', 'smtp', 'caldav']});
	const [organizer, alex, sam] = sandbox.accounts;
	if (!organizer || !alex || !sam) {
		throw new Error('the sandbox has fewer than three demo accounts');
	}

	let relay: RunningRelay | undefined;
	let calendarUrl: string | undefined;
	try {
		relay = await relayOn(0);
		const discovery = await discoverCalendars({serverUrl: sandbox.caldav.url, username: organizer.email, password: organizer.password});
		calendarUrl = discovery.calendars[0]?.url;
		if (!calendarUrl) {
			throw new Error('discovery found no calendar for the organizer');
		}
	} catch (error) {
		await relay?.close();
		await sandbox.stop();
		await removeRelayConfigDir();
		throw error;
	}

	const relayUrl = relay.url;
	const port = Number(new URL(relayUrl).port);

	const exchanges: CaldavExchange[] = [];
	// Every request of the loop's client is recorded with its answer; `flow.beforeRequest` runs first.
	const caldav = createCaldavClient({
		username: organizer.email,
		password: organizer.password,
		fetch: async (input, init) => {
			const request = {method: init?.method ?? 'GET', url: input instanceof Request ? input.url : String(input)};
			await flow.beforeRequest?.(request);
			const response = await fetch(input, init);
			exchanges.push({...request, status: response.status});
			return response;
		},
	});
	const flow: Flow = {
		sandbox,
		relay,
		relayUrl,
		relayClient: createRelayClient({url: relayUrl, token: relayToken}),
		organizer,
		alex,
		sam,
		account: {email: organizer.email, name: organizer.name, password: organizer.password, aliases: []},
		settings: {
			...defaultSettings,
			servers: {
				caldavUrl: sandbox.caldav.url,
				imap: {host: sandbox.imap.host, port: sandbox.imap.port, secure: false},
				smtp: {host: sandbox.smtp.host, port: sandbox.smtp.port, secure: false},
			},
			calendarUrl,
			relayUrl,
			relayToken,
		},
		calendarUrl,
		caldav,
		exchanges,
		otherDevice: createCaldavClient({username: organizer.email, password: organizer.password}),
		async stopRelay() {
			await flow.relay?.close();
			flow.relay = undefined;
		},
		async restartRelay() {
			flow.relay = await relayOn(port);
		},
		async stop() {
			await flow.relay?.close();
			await sandbox.stop();
			await removeRelayConfigDir();
		},
	};
	return flow;
}

/** What the invite flow needs, on the real relay, CalDAV server and storage. */
export function inviteDeps(flow: Flow): InviteDeps {
	return {caldav: flow.caldav, relay: flow.relayClient, account: flow.account, settings: flow.settings, events: createStorageEvents()};
}

/** createInvite from the organizer; fails the test when it does not succeed. */
export async function invite(flow: Flow, draft: Partial<InviteDraft> = {}): Promise<{result: SendInviteResult & {ok: true}; tracked: TrackedEvent}> {
	const result = await createInvite({
		attendees: [{email: flow.alex.email, name: flow.alex.name}, {email: flow.sam.email, name: flow.sam.name}],
		summary: 'Project sync',
		start: '2026-12-01T16:00',
		end: '2026-12-01T17:00',
		timeZone: 'Europe/Berlin',
		...draft,
	}, inviteDeps(flow));
	if (!result.ok || !result.uid) {
		throw new Error(`createInvite failed: ${JSON.stringify(result)}`);
	}

	const tracked = (await eventsItem.getValue())[result.uid];
	if (!tracked) {
		throw new Error(`createInvite stored no event for ${result.uid}`);
	}

	return {result: result as SendInviteResult & {ok: true}, tracked};
}

/** The reply loop's dependencies as lib/background builds them; tests override what their fault needs. */
export function loopDeps(flow: Flow, overrides: Partial<ReplyLoopDeps> = {}): ReplyLoopDeps {
	return {
		relay: flow.relayClient,
		calendar: caldavCalendarPort(flow.caldav, flow.calendarUrl),
		store: createStorageStore(),
		account: relayAccountOf(flow.account, flow.settings),
		me: ownAddresses(flow.account),
		...overrides,
	};
}

export async function tick(flow: Flow, overrides: Partial<ReplyLoopDeps> = {}): Promise<TickResult> {
	return runTick(loopDeps(flow, overrides));
}

/**
 * Stores the relay's cursor as it is now, so that the next tick sees only mail delivered from here on (the
 * organizer's INBOX keeps the earlier tests' mail, and storage is fresh for each test).
 */
export async function startFromNow(flow: Flow, account: RelayAccount = relayAccountOf(flow.account, flow.settings)): Promise<void> {
	const {cursor} = await flow.relayClient.replies({account});
	await cursorItem.setValue(cursor);
}

export async function storedOutcomes(): Promise<MessageOutcome[]> {
	return outcomesItem.getValue();
}

// ---------------------------------------------------------------------------------------------------------------
// Mail: delivering replies for real, and reading mailboxes behind the relay's back.

/** A logged-in imapflow client straight to Dovecot: the relay tests' own. */
export {directImap};

/** The whole message with `messageId` in the account's folder, as Roundcube's "view source" gives it. */
export async function rawMessage(endpoint: Endpoint, account: SandboxAccount, folder: string, messageId: string): Promise<string> {
	const client = await directImap(endpoint, account);
	try {
		const lock = await client.getMailboxLock(folder, {readOnly: true});
		try {
			for await (const message of client.fetch('1:*', {envelope: true, source: true})) {
				if (message.envelope?.messageId === messageId && message.source) {
					return message.source.toString('utf8');
				}
			}
		} finally {
			lock.release();
		}
	} finally {
		await client.logout();
	}

	throw new Error(`${account.email} ${folder}: no ${messageId}`);
}

export type StoredMessage = {uid: number; messageId: string | undefined; structure: MessageStructureObject | undefined};

/** Every message of a folder with its BODYSTRUCTURE (read-only: no flag changes). */
export async function listMessages(endpoint: Endpoint, account: SandboxAccount, folder: string): Promise<StoredMessage[]> {
	const client = await directImap(endpoint, account);
	try {
		const status = await client.status(folder, {messages: true});
		if (!status || !status.messages) {
			return [];
		}

		const lock = await client.getMailboxLock(folder, {readOnly: true});
		try {
			const messages: StoredMessage[] = [];
			for await (const message of client.fetch('1:*', {uid: true, envelope: true, bodyStructure: true})) {
				messages.push({uid: message.uid, messageId: message.envelope?.messageId, structure: message.bodyStructure});
			}

			return messages;
		} finally {
			lock.release();
		}
	} finally {
		await client.logout();
	}
}

/** One body part of a message, decoded to text. */
export async function downloadPart(endpoint: Endpoint, account: SandboxAccount, folder: string, uid: number, part: string): Promise<string> {
	const client = await directImap(endpoint, account);
	try {
		const lock = await client.getMailboxLock(folder, {readOnly: true});
		try {
			const {content} = await client.download(String(uid), part, {uid: true});
			if (!content) {
				throw new Error(`${account.email} ${folder} ${uid}: no part ${part}`);
			}

			const chunks: Buffer[] = [];
			for await (const chunk of content) {
				chunks.push(chunk as Buffer);
			}

			return Buffer.concat(chunks).toString('utf8');
		} finally {
			lock.release();
		}
	} finally {
		await client.logout();
	}
}

/**
 * Waits until `folder` holds a message with each Message-ID (bounded polling: SMTP hands over to LMTP before it
 * answers, so this is normally the first look).
 */
export async function waitForMessages(endpoint: Endpoint, account: SandboxAccount, folder: string, messageIds: readonly string[]): Promise<StoredMessage[]> {
	const deadline = Date.now() + 15_000;
	for (;;) {
		const messages = await listMessages(endpoint, account, folder);
		const found = messageIds.map(id => messages.find(message => message.messageId === id));
		if (found.every(Boolean)) {
			return found as StoredMessage[];
		}

		if (Date.now() > deadline) {
			throw new Error(`${account.email} ${folder}: still missing ${messageIds.filter((_id, index) => !found[index]).join(', ')}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}
}

/** The Message-IDs in the organizer's Sent. */
export async function sentIds(flow: Flow): Promise<string[]> {
	return (await listMessages(flow.sandbox.imap, flow.organizer, 'Sent')).map(message => message.messageId!);
}

/** The METHOD of a mail's one text/calendar part. */
export async function methodOf(flow: Flow, account: SandboxAccount, folder: string, messageId: string): Promise<string | undefined> {
	const [message] = await waitForMessages(flow.sandbox.imap, account, folder, [messageId]);
	const parts = leafParts(message!.structure!).filter(part => part.type === 'text/calendar');
	if (parts.length !== 1) {
		throw new Error(`${account.email} ${folder} ${messageId}: ${parts.length} calendar parts`);
	}

	return topLevelMethod(await downloadPart(flow.sandbox.imap, account, folder, message!.uid, parts[0]!.part!));
}

/** Fails unless the mail is in `folder` with a text/calendar part of `method` about `uid`; returns that calendar. */
export async function expectCalendarMail(flow: Flow, account: SandboxAccount, folder: string, messageId: string, method: string, uid: string): Promise<string> {
	const [message] = await waitForMessages(flow.sandbox.imap, account, folder, [messageId]);
	const part = leafParts(message!.structure!).find(candidate => candidate.type === 'text/calendar')!;
	expect(part.parameters?.method, `${account.email} ${folder}`).toBe(method);
	const calendar = await downloadPart(flow.sandbox.imap, account, folder, message!.uid, part.part!);
	expect(topLevelMethod(calendar)).toBe(method);
	expect(calendar.replaceAll(/\r\n[ \t]/g, '')).toContain(`UID:${uid}`);
	return calendar;
}

/** Every leaf part of a BODYSTRUCTURE, with its parent's type. */
export function leafParts(node: MessageStructureObject, parent?: string): Array<MessageStructureObject & {parentType: string | undefined}> {
	if (node.childNodes && node.childNodes.length > 0) {
		return node.childNodes.flatMap(child => leafParts(child, node.type.toLowerCase()));
	}

	return [{...node, parentType: parent}];
}

/**
 * Sends `raw` through the sandbox's AUTH-requiring SMTP server, logged in as `from` (the attendee's own mail
 * client), to the organizer, and waits until it is in the organizer's INBOX.
 */
export async function sendAs(flow: Pick<Flow, 'sandbox' | 'organizer'>, from: SandboxAccount, raw: string): Promise<void> {
	const transport = nodemailer.createTransport({
		host: flow.sandbox.smtp.host, port: flow.sandbox.smtp.port, secure: false, ignoreTLS: true,
		auth: {user: from.email, pass: from.password},
	});
	try {
		const info = await transport.sendMail({envelope: {from: from.email, to: [flow.organizer.email]}, raw: crlf(raw)});
		if (info.accepted.length !== 1) {
			throw new Error(`SMTP did not accept the reply: ${JSON.stringify(info)}`);
		}
	} finally {
		transport.close();
	}

	const messageId = headerOf(raw, 'message-id');
	if (messageId) {
		await waitForMessages(flow.sandbox.imap, flow.organizer, 'INBOX', [messageId]);
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures: real replies rewritten in memory to our event and accounts.

export async function fixtureText(name: string): Promise<string> {
	return readFile(path.join(fixtureSamples, name), 'utf8');
}

export function crlf(text: string): string {
	return text.replaceAll(/\r?\n/g, '\r\n');
}

/** Replaces every occurrence of each key by its value. */
export function rewrite(text: string, replacements: Record<string, string>): string {
	let result = text;
	for (const [from, to] of Object.entries(replacements)) {
		if (!result.includes(from)) {
			throw new Error(`the fixture has no ${JSON.stringify(from)} to rewrite`);
		}

		result = result.replaceAll(from, to);
	}

	return result;
}

let mailCounter = 0;

/** A fresh Message-ID per call. */
export function newMessageId(label: string): string {
	mailCounter++;
	return `<${label}-${mailCounter}-${Date.now()}@sandbox.test>`;
}

export function headerOf(raw: string, name: string): string | undefined {
	const headerEnd = raw.search(/\r?\n\r?\n/);
	const headers = raw.slice(0, headerEnd === -1 ? raw.length : headerEnd).replaceAll(/\r?\n[ \t]+/g, ' ');
	return new RegExp(`^${name}:[ \\t]*(.*?)[ \\t]*$`, 'im').exec(headers)?.[1];
}

/**
 * A whole fixture e-mail with its From/To/Message-ID/Date headers replaced (the Cyrus test files carry Perl
 * escapes there, `foo\@example.net`, `$uuid`) and its body rewritten.
 */
export function rewriteMail(raw: string, headers: {from: SandboxAccount; to: SandboxAccount; messageId: string}, body: Record<string, string>): string {
	const text = crlf(raw);
	const headerEnd = text.indexOf('\r\n\r\n');
	const replaced: Record<string, string> = {
		from: `${headers.from.name} <${headers.from.email}>`,
		to: `${headers.to.name} <${headers.to.email}>`,
		'message-id': headers.messageId,
		date: new Date().toUTCString(),
	};
	const headerLines = text.slice(0, headerEnd).replaceAll(/\r\n[ \t]+/g, ' ').split('\r\n').map(line => {
		const name = line.slice(0, line.indexOf(':')).toLowerCase();
		return name in replaced ? `${line.slice(0, line.indexOf(':'))}: ${replaced[name]}` : line;
	});
	return `${headerLines.join('\r\n')}\r\n\r\n${rewrite(text.slice(headerEnd + 4), body)}`;
}

/**
 * A bare fixture .ics as an attendee's client mails it (RFC 6047): multipart/mixed holding multipart/alternative
 * (text/plain, `text/calendar; method=REPLY`) and the same calendar attached as invite.ics in base64, the shape
 * Google Calendar sends.
 */
export function replyMail(options: {
	from: SandboxAccount;
	to: SandboxAccount;
	subject: string;
	calendar: string;
	messageId: string;
	/** The attached copy, when it should differ from the inline one. */
	attached?: string;
}): string {
	const outer = `mixed-${options.messageId.replaceAll(/\W/g, '')}`;
	const inner = `alt-${options.messageId.replaceAll(/\W/g, '')}`;
	const calendar = crlf(options.calendar);
	return [
		`From: ${options.from.name} <${options.from.email}>`,
		`To: ${options.to.name} <${options.to.email}>`,
		`Subject: ${options.subject}`,
		`Message-ID: ${options.messageId}`,
		`Date: ${new Date().toUTCString()}`,
		'MIME-Version: 1.0',
		`Content-Type: multipart/mixed; boundary="${outer}"`,
		'',
		`--${outer}`,
		`Content-Type: multipart/alternative; boundary="${inner}"`,
		'',
		`--${inner}`,
		'Content-Type: text/plain; charset="UTF-8"',
		'',
		options.subject,
		'',
		`--${inner}`,
		'Content-Type: text/calendar; charset="UTF-8"; method=REPLY',
		'Content-Transfer-Encoding: 7bit',
		'',
		calendar,
		`--${inner}--`,
		'',
		`--${outer}`,
		'Content-Type: application/ics; name="invite.ics"',
		'Content-Disposition: attachment; filename="invite.ics"',
		'Content-Transfer-Encoding: base64',
		'',
		Buffer.from(crlf(options.attached ?? calendar), 'utf8').toString('base64').replaceAll(/.{1,76}/g, '$&\r\n').trimEnd(),
		`--${outer}--`,
		'',
	].join('\r\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the event back from Radicale.

/** Each attendee's PARTSTAT per component: `master` or the RECURRENCE-ID's local date-time (`20261208T090000`). */
export function partstats(ics: string): Record<string, Record<string, string>> {
	const calendar = new ICAL.Component(ICAL.parse(ics));
	const result: Record<string, Record<string, string>> = {};
	for (const event of calendar.getAllSubcomponents('vevent')) {
		const recurrenceId = event.getFirstProperty('recurrence-id');
		const key = recurrenceId ? (recurrenceId.getFirstValue() as ICAL.Time).toICALString() : 'master';
		if (result[key]) {
			throw new Error(`two VEVENTs for ${key}`);
		}

		const attendees: Record<string, string> = {};
		for (const attendee of event.getAllProperties('attendee')) {
			const address = String(attendee.getFirstValue()).replace(/^mailto:/i, '').toLowerCase();
			if (attendees[address]) {
				throw new Error(`${address} twice in ${key}`);
			}

			attendees[address] = String(attendee.getParameter('partstat') ?? 'NEEDS-ACTION');
		}

		result[key] = attendees;
	}

	return result;
}

/** The event on Radicale, read with lib/caldav through a client of its own (nothing recorded). */
export async function readBack(flow: Flow, href: string): Promise<{ics: string; etag: string; partstats: Record<string, Record<string, string>>}> {
	const event = await flow.otherDevice.readEvent(href);
	return {ics: event.ics, etag: event.etag, partstats: partstats(event.ics)};
}

/** Successful PUTs the loop's client made to `href`. */
export function writesTo(flow: Flow, href: string): number {
	return flow.exchanges.filter(exchange => exchange.method === 'PUT' && exchange.url === href && exchange.status >= 200 && exchange.status < 300).length;
}

/** Fails unless every message key appears once among the stored outcomes. */
export function assertOnePerMessage(outcomes: readonly MessageOutcome[]): void {
	const keys = outcomes.map(outcome => outcome.key);
	if (new Set(keys).size !== keys.length) {
		throw new Error(`an outcome stored twice: ${keys.join(', ')}`);
	}
}
