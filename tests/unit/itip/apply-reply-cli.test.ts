/**
 * `pmi apply-reply` as a user runs it (`npx tsx cli/pmi.ts apply-reply ...`), on fixture files.
 */
import {execFile} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import PostalMime from 'postal-mime';
import {describe, expect, test} from 'vitest';
import {buildInvite} from '../../../lib/itip/index.ts';
import {readTnef} from '../../../relay/tnef.ts';
import {partStats} from '../../helpers/itip-semantic.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const samples = path.resolve(repoRoot, '../shared/fixtures/itip/samples');
const vectors = path.resolve(repoRoot, '../shared/fixtures/itip/vectors/reply-processing');
const ours = path.resolve(repoRoot, 'tests/fixtures/itip');

type CliResult = {code: number; stdout: string; stderr: string};

async function pmi(...args: string[]): Promise<CliResult> {
	try {
		const {stdout, stderr} = await run('npx', ['tsx', 'cli/pmi.ts', 'apply-reply', ...args], {cwd: repoRoot, encoding: 'utf8'});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failed = error as {code: number; stdout: string; stderr: string};
		return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr};
	}
}

function json(result: CliResult): {outcome: string; reason: string; changes: unknown[]; event: string} {
	expect(result.code).toBe(0);
	const parsed = JSON.parse(result.stdout) as {outcome: string; reason: string; changes: unknown[]; event: string};
	expect(Object.keys(parsed).slice(0, 4)).toEqual(['outcome', 'reason', 'changes', 'event']);
	return parsed;
}

describe('pmi apply-reply', {timeout: 60_000}, () => {
	test('a whole e-mail: the calendar part is found, the sender is its From, --me defaults to the ORGANIZER', async () => {
		const result = json(await pmi('--event', path.join(ours, 'cyrus-recurring-override/before.ics'), '--message', path.join(samples, 'apple-style-REPLY-multi-vevent-recurrence-id-cyrus.eml')));
		expect(result.outcome).toBe('applied');
		expect(result.changes).toHaveLength(3);
		expect(partStats(result.event)['2021-07-28T19:30:00Z']?.['foo@example.net']).toBe('DECLINED');
	});

	test('a bare .ics: review (no sender to check) and exit 0; --trust-sender applies it', async () => {
		const bare = ['--event', path.join(vectors, 'reply-accept.before.ics'), '--message', path.join(vectors, 'reply-accept.reply.ics')];
		const review = json(await pmi(...bare));
		expect(review.outcome).toBe('review');
		expect(review.reason).toMatch(/without a mail around it/);
		const trusted = json(await pmi(...bare, '--trust-sender'));
		expect(trusted.outcome).toBe('applied');
		expect(trusted.changes).toEqual([{attendee: 'foo@example.org', partstat: 'ACCEPTED'}]);
	});

	test('--me that is not the organizer: ignored, exit 0', async () => {
		const result = json(await pmi('--event', path.join(vectors, 'reply-accept.before.ics'), '--message', path.join(vectors, 'reply-accept.reply.ics'), '--me', 'someone@example.net', '--me', 'other@example.net'));
		expect(result.outcome).toBe('ignored');
		expect(result.reason).toMatch(/not by you \(someone@example\.net, other@example\.net\)/);
	});

	test('an Outlook reply that is only TNEF is read as the relay reads it: applied to the event it names, ignored for another', async () => {
		const mail = path.join(samples, 'exchange-REPLY-tnef-winmail-zugesagt.eml');
		const email = await PostalMime.parse(await readFile(mail));
		const winmail = email.attachments.find(attachment => attachment.filename === 'winmail.dat')!;
		const tnef = await readTnef(Buffer.from(winmail.content as ArrayBuffer));
		if (tnef.kind !== 'meeting-response') {
			throw new Error(`the fixture should read as a meeting response: ${tnef.reason}`);
		}

		const organizer = email.to![0]!.address!;
		const directory = await mkdtemp(path.join(os.tmpdir(), 'apply-tnef-'));
		try {
			const stored = path.join(directory, 'stored.ics');
			await writeFile(stored, buildInvite({
				uid: tnef.uid, organizer: {email: organizer, name: 'Organizer'}, attendees: [{email: tnef.attendee.address}], summary: 'Infoveranstaltung',
				start: '2026-12-01T16:00', end: '2026-12-01T17:00', timeZone: 'Europe/Berlin', now: new Date('2026-11-20T09:00:00Z'),
			}).caldav);
			const applied = json(await pmi('--event', stored, '--message', mail, '--now', '2026-12-01T12:00:00Z'));
			expect(applied.outcome).toBe('applied');
			expect(applied.changes).toEqual([{attendee: tnef.attendee.address.toLowerCase(), partstat: tnef.partstat}]);
		} finally {
			await rm(directory, {recursive: true, force: true});
		}

		const other = json(await pmi('--event', path.join(ours, 'google-single/before.ics'), '--message', mail));
		expect(other.outcome).toBe('ignored');
		expect(other.reason).toContain(`UID ${tnef.uid}`);
	});

	test('a stale reply: ignored, and says why', async () => {
		const result = json(await pmi('--event', path.join(ours, 'stale-reply/before.ics'), '--message', path.join(ours, 'stale-reply/reply.ics'), '--trust-sender'));
		expect(result.outcome).toBe('ignored');
		expect(result.reason).toMatch(/older than the answer already recorded/);
	});

	test('a file that cannot be read: exit 2, message on stderr, nothing on stdout', async () => {
		const result = await pmi('--event', path.join(ours, 'no-such-file.ics'), '--message', path.join(vectors, 'reply-accept.reply.ics'));
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/cannot read the stored event .*no-such-file\.ics/);
	});

	test('a missing option: exit 2 with usage', async () => {
		const result = await pmi('--message', path.join(vectors, 'reply-accept.reply.ics'));
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/--event is required[\s\S]*usage: pmi apply-reply/);
	});
});
