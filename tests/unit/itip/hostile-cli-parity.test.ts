/**
 * Issue 12 "Must show": `pmi apply-reply`'s JSON for each attack is what the reply loop does with the same mail.
 * Each attack is one whole e-mail; the CLI reads it as a user runs it (its own `run`, stdout captured), and the loop
 * gets the same mail as the relay would hand it over (headers parsed by the relay's own parseReplyHeaders).
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test, vi} from 'vitest';
import {run as applyReplyCommand} from '../../../cli/commands/apply-reply.ts';
import {buildInvite} from '../../../lib/itip/index.ts';
import type {TrackedEvent} from '../../../lib/model.ts';
import {runTick} from '../../../lib/reply-loop/index.ts';
import {attendeeStatuses} from '../../../lib/itip/index.ts';
import {parseReplyHeaders} from '../../../relay/replies.ts';
import {fakeCalendar, fakeRelay, memoryStore} from '../../helpers/reply-loop-fakes.ts';

const organizer = 'org@example.com';
const uid = 'daily-cli@example.com';
const now = '2026-11-20T12:00:00.000Z';
const spec = {
	uid, organizer: {email: organizer, name: 'Org'}, attendees: [{email: 'alex@example.org', name: 'Alex'}, {email: 'sam@example.org'}],
	summary: 'Daily', start: '2026-12-01T10:00', end: '2026-12-01T10:15', timeZone: 'Europe/Berlin', repeat: {freq: 'daily' as const}, now: new Date('2026-11-01T09:00:00Z'),
};
const stored = buildInvite(spec).caldav;

function vevent(lines: {attendee?: string; partstat?: string; extra?: string[]; sequence?: number; dtstamp?: string; recurrenceId?: string; parameters?: string}): string[] {
	return [
		'BEGIN:VEVENT', `UID:${uid}`, `DTSTAMP:${lines.dtstamp ?? '20261120T100000Z'}`, `SEQUENCE:${lines.sequence ?? 0}`,
		...(lines.recurrenceId ? [`RECURRENCE-ID:${lines.recurrenceId}`] : []),
		`ORGANIZER:mailto:${organizer}`, `ATTENDEE;PARTSTAT=${lines.partstat ?? 'DECLINED'}${lines.parameters ?? ''}:mailto:${lines.attendee ?? 'alex@example.org'}`,
		...(lines.extra ?? []), 'END:VEVENT',
	];
}

function calendar(...events: string[][]): string {
	return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Attacker//EN', 'METHOD:REPLY', ...events.flat(), 'END:VCALENDAR', ''].join('\r\n');
}

function mail(headers: string[], body: string): string {
	return [...headers, 'Subject: Declined: Daily', 'Message-ID: <attack@x.test>', 'MIME-Version: 1.0', 'Content-Type: text/calendar; charset=utf-8; method=REPLY', 'Content-Transfer-Encoding: 8bit', '', body].join('\r\n');
}

const lookalike = 'alex@ex\u0430mple.org';
const attacks: Array<[string, string, string]> = [
	['30 far RECURRENCE-IDs from a stranger', mail(['From: evil@x.test'], calendar(...Array.from({length: 30}, (_unused, index) => vevent({attendee: 'evil@x.test', recurrenceId: `${2326 + index}1201T090000Z`})))), 'ignored'],
	['From a stranger, Sender the attendee', mail(['From: evil@x.test', 'Sender: alex@example.org'], calendar(vevent({}))), 'review'],
	['dmarc=fail from the provider', mail(['Authentication-Results: mx.purelymail.com; dmarc=fail header.from=example.org', 'From: alex@example.org'], calendar(vevent({}))), 'review'],
	['SEQUENCE:2147483647', mail(['From: alex@example.org'], calendar(vevent({sequence: 2_147_483_647}))), 'review'],
	['DTSTAMP:99991231T235959Z', mail(['From: alex@example.org'], calendar(vevent({dtstamp: '99991231T235959Z'}))), 'review'],
	['delegation to an invited attendee', mail(['From: alex@example.org'], calendar(vevent({partstat: 'DELEGATED', parameters: ';DELEGATED-TO="mailto:sam@example.org"'}))), 'review'],
	['a 900 KB comment with bidi overrides', mail(['From: alex@example.org'], calendar(vevent({extra: [`COMMENT:\u202E${'x'.repeat(900_000)}`]}))), 'applied'],
	['a lookalike of an attendee', mail([`From: ${lookalike}`], calendar(vevent({attendee: lookalike}))), 'review'],
];

let folder = '';
beforeAll(async () => {
	folder = await mkdtemp(path.join(os.tmpdir(), 'pmi-hostile-'));
	await writeFile(path.join(folder, 'stored.ics'), stored);
});

afterAll(async () => {
	await rm(folder, {recursive: true, force: true});
});

async function cli(eml: string): Promise<Record<string, unknown>> {
	const file = path.join(folder, 'attack.eml');
	await writeFile(file, eml);
	const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
	try {
		expect(await applyReplyCommand(['--event', path.join(folder, 'stored.ics'), '--message', file, '--now', now])).toBe(0);
		return JSON.parse(String(log.mock.calls[0]?.[0])) as Record<string, unknown>;
	} finally {
		log.mockRestore();
	}
}

async function loop(eml: string): Promise<Record<string, unknown>> {
	const [head = '', body = ''] = eml.split(/\r\n\r\n/, 2);
	const headers = await parseReplyHeaders(Buffer.from(`${head}\r\n\r\n`));
	const tracked: TrackedEvent = {
		uid, href: '/cal/daily.ics', etag: '"v0"', calendarUrl: '/cal/', summary: 'Daily', start: '2026-12-01T09:00:00Z', end: '2026-12-01T09:15:00Z',
		timeZone: spec.timeZone, allDay: false, sequence: 0, attendees: attendeeStatuses(stored), delivery: {state: 'sent', at: now, rejected: []},
		cancelled: false, spec, createdAt: now, updatedAt: now,
	};
	const calendarPort = fakeCalendar();
	calendarPort.objects.set(tracked.href, {ics: stored, etag: '"v0"'});
	const relay = fakeRelay([{folder: 'INBOX', uid: 1, seen: false, headers, calendarParts: [{part: '1', contentType: 'text/calendar', filename: null, encoding: 'utf-8', text: eml.slice(head.length + 4) || body}]}]);
	const result = await runTick({relay, calendar: calendarPort, store: memoryStore([tracked]), account: {user: organizer, password: 'x'}, me: [organizer], now: () => new Date(now)});
	const [outcome] = result.outcomes;
	return {outcome: outcome?.outcome, reason: outcome?.reason, check: outcome?.check, changes: outcome?.changes};
}

describe('pmi apply-reply answers each attack as the reply loop does', {timeout: 60_000}, () => {
	test.each(attacks)('%s', async (_label, eml, expected) => {
		const [fromCli, fromLoop] = [await cli(eml), await loop(eml)];
		expect(fromCli.outcome).toBe(expected);
		expect(fromLoop.outcome).toBe(fromCli.outcome);
		expect(fromLoop.reason).toBe(fromCli.reason);
		expect(fromLoop.check).toBe(fromCli.check);
		// The loop keeps the first changes of a review, with comments cut further for storage; the CLI shows them all.
		expect((fromLoop.changes as unknown[]).length).toBe(Math.min((fromCli.changes as unknown[]).length, 5));
	});
});
