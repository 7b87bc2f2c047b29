/**
 * Issue 11 item 1: one calendar-part rule. Every fixture mail is delivered into the sandbox's Dovecot and read
 * through the real relay's /v1/replies (BODYSTRUCTURE filter, part fetch), and the same file is read in memory the
 * way `pmi apply-reply` reads it (replyMessageOf). Both must give the same calendar parts, and the same decision:
 * the relay's message through the loop's classify → decide steps, the file through the CLI's own `run`. Outlook's
 * TNEF-only answer (exchange-REPLY-tnef-winmail-zugesagt.eml) is read by the relay's TNEF reader on both sides and
 * applied to an event with its UID through both.
 */
import {readdirSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {ImapFlow} from 'imapflow';
import {afterAll, beforeAll, describe, expect, test, vi} from 'vitest';
import {run as applyReplyCommand} from '../../../cli/commands/apply-reply.ts';
import {readTnefAsRelay} from '../../../cli/message-file.ts';
import {unfold} from '../../../lib/ical-lines.ts';
import {replyMessageOf} from '../../../lib/imip/index.ts';
import {buildInvite} from '../../../lib/itip/index.ts';
import {createRelayClient, type ReplyMessage} from '../../../lib/relay-client/index.ts';
import {decideMessage} from '../../../lib/reply-loop/decide-message.ts';
import type {RunningRelay} from '../../../relay/server.ts';
import {directImap, fixtureSamples, relayAccount} from '../../helpers/relay-mail.ts';
import type {Sandbox} from '../../sandbox/index.ts';
import {useSandboxRelay} from './use-relay.ts';

const now = new Date('2026-12-01T12:00:00Z');
let sandbox: Sandbox;
let relay: RunningRelay;
let imap: ImapFlow;
let workDir: string;
/** Every whole mail among the fixtures (the .ics files and TNEF dumps are not mails). */
const fixtures = readdirSync(fixtureSamples).filter(name => name.endsWith('.eml')).sort();
/** What the relay returned, by fixture name (absent: the relay found no calendar in it). */
const fromRelay = new Map<string, ReplyMessage>();

useSandboxRelay(started => {
	({sandbox, relay} = started);
});

beforeAll(async () => {
	workDir = await mkdtemp(path.join(os.tmpdir(), 'part-parity-'));
	const [organizer] = sandbox.accounts;
	imap = await directImap(sandbox.imap, organizer!);
	const names = new Map<number, string>();
	for (const name of fixtures) {
		const appended = await imap.append('INBOX', await readFile(path.join(fixtureSamples, name)));
		if (!appended || appended.uid === undefined) {
			throw new Error(`APPEND ${name} gave no UID`);
		}

		names.set(appended.uid, name);
	}

	const client = createRelayClient({url: relay.url, token: relay.token});
	const response = await client.replies({account: relayAccount(sandbox, organizer!), folders: ['INBOX']});
	for (const message of response.messages) {
		fromRelay.set(names.get(message.uid)!, message);
	}
});

afterAll(async () => {
	await imap?.logout();
	if (workDir) {
		await rm(workDir, {recursive: true, force: true});
	}
});

/** The parts without the IMAP part number, which a saved file does not have. */
function comparable(message: Pick<ReplyMessage, 'calendarParts' | 'skippedParts'> | undefined): unknown {
	return {
		calendarParts: (message?.calendarParts ?? []).map(({part: _part, ...rest}) => rest),
		skippedParts: (message?.skippedParts ?? []).map(({part: _part, size: _size, ...rest}) => rest),
	};
}

/** The organizer of the TNEF fixture's meeting: the mail's To (Exchange answers the organizer). */
function tnefOrganizer(message: ReplyMessage): string | undefined {
	return message.headers.to[0]?.address;
}

/**
 * An organizer's stored copy for the fixture's first calendar: that calendar without METHOD, every attendee's answer
 * reset to NEEDS-ACTION, so a REPLY in the fixture has something to change. For an Outlook answer read from TNEF, an
 * event with its UID, organized by the mail's recipient, with the answering attendee still NEEDS-ACTION. Undefined for
 * a TNEF part with no answer in it.
 */
function storedFor(message: ReplyMessage): string | undefined {
	const text = message.calendarParts.find(part => part.encoding === 'utf-8')?.text;
	if (text !== undefined) {
		return unfold(text).split('\r\n').filter(line => !/^METHOD[:;]/i.test(line)).map(line => line.replace(/^(ATTENDEE[^:]*?;PARTSTAT=)[^;:]*/i, '$1NEEDS-ACTION')).join('\r\n');
	}

	const tnef = message.calendarParts.find(part => part.tnef?.kind === 'meeting-response')?.tnef;
	const organizer = tnefOrganizer(message);
	if (tnef?.kind !== 'meeting-response' || organizer === undefined) {
		return undefined;
	}

	return buildInvite({
		uid: tnef.uid, organizer: {email: organizer, name: 'Organizer'}, attendees: [{email: tnef.attendee.address}], summary: message.headers.subject,
		start: '2026-12-01T16:00', end: '2026-12-01T17:00', timeZone: 'Europe/Berlin', now: new Date('2026-11-20T09:00:00Z'),
	}).caldav;
}

function organizerOf(stored: string): string[] {
	const address = /^ORGANIZER[^:]*:(?:mailto:)?(.+)$/im.exec(stored)?.[1]?.trim();
	return address ? [address] : [];
}

async function cli(args: string[]): Promise<Record<string, unknown>> {
	const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
	try {
		expect(await applyReplyCommand(args)).toBe(0);
		return JSON.parse(String(log.mock.calls[0]?.[0])) as Record<string, unknown>;
	} finally {
		log.mockRestore();
	}
}

describe('the relay and the CLI read every fixture mail alike', () => {
	test('the relay found calendars in most fixture mails (the comparison below is about something)', () => {
		expect(fixtures.length).toBeGreaterThan(10);
		expect(fromRelay.size).toBeGreaterThan(fixtures.length / 2);
	});

	test('Outlook\'s TNEF-only answer is read by both as the meeting response it is, and applied by both', async () => {
		const name = 'exchange-REPLY-tnef-winmail-zugesagt.eml';
		const relayed = fromRelay.get(name);
		expect(relayed?.calendarParts.map(part => part.tnef?.kind)).toEqual(['meeting-response']);
		const inMemory = await replyMessageOf(await readFile(path.join(fixtureSamples, name)), {readTnef: readTnefAsRelay});
		expect(inMemory.calendarParts.map(part => part.tnef)).toEqual(relayed?.calendarParts.map(part => part.tnef));
		const storedFile = path.join(workDir, 'tnef.stored.ics');
		await writeFile(storedFile, storedFor(relayed!)!);
		const fromCli = await cli(['--event', storedFile, '--message', path.join(fixtureSamples, name), '--now', now.toISOString()]);
		expect(fromCli).toMatchObject({outcome: decideMessage(storedFor(relayed!)!, relayed!, {me: [tnefOrganizer(relayed!)!], now}).outcome});
		expect(fromCli.outcome).toBe('applied');
	});

	test.each(fixtures.map(name => [name]))('%s: same calendar parts, same decision', async name => {
		const file = path.join(fixtureSamples, name);
		const inMemory = await replyMessageOf(await readFile(file), {readTnef: readTnefAsRelay});
		const relayed = fromRelay.get(name);
		expect(comparable(inMemory)).toEqual(comparable(relayed));
		expect(inMemory.headers).toEqual(relayed?.headers ?? inMemory.headers);
		if (!relayed) {
			// The relay does not return a mail without a calendar; the CLI says the loop would have nothing to do.
			const stored = path.join(workDir, 'empty.ics');
			await writeFile(stored, 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n');
			expect(await cli(['--event', stored, '--message', file, '--now', now.toISOString()])).toMatchObject({outcome: 'ignored', changes: []});
			return;
		}

		const stored = storedFor(relayed);
		if (stored === undefined) {
			// TNEF with no answer in it: no event to make a stored copy of; the decision then does not depend on it.
			const loop = decideMessage('', relayed, {me: [], now});
			expect(await cli(['--event', file, '--message', file, '--now', now.toISOString()])).toMatchObject({outcome: loop.outcome, reason: loop.reason});
			return;
		}

		const storedFile = path.join(workDir, `${name}.stored.ics`);
		await writeFile(storedFile, stored);
		const me = organizerOf(stored);
		const loop = decideMessage(stored, relayed, {me, now});
		const fromCli = await cli(['--event', storedFile, '--message', file, '--now', now.toISOString(), ...me.flatMap(address => ['--me', address])]);
		expect(fromCli).toEqual(JSON.parse(JSON.stringify(loop)) as unknown);
	});
});
