/**
 * `pmi process` and `pmi respond` as the README documents them (`npm run -s pmi -- …`): the whole loop on files,
 * from the organizer's `pmi invite` through the attendee's copy and answer back to the organizer's calendar.
 */
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {readCalendarMail} from '../../../lib/imip/index.ts';
import {attendeeParameter, partStats} from '../../helpers/itip-semantic.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const samples = path.resolve(repoRoot, '../shared/fixtures/itip/samples');
const work = mkdtempSync(path.join(tmpdir(), 'pmi-respond-'));
afterAll(() => {
	rmSync(work, {recursive: true, force: true});
});

function pmi(...args: string[]): {status: number | null; stdout: string; stderr: string} {
	const result = spawnSync('npm', ['run', '-s', 'pmi', '--', ...args], {cwd: repoRoot, encoding: 'utf8', timeout: 120_000});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

type Printed = {method: string; outcome: string; reason: string; event: string | null; changes?: Array<{attendee: string; partstat: string; comment?: string}>};

function printed(result: {status: number | null; stdout: string; stderr: string}): Printed {
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	const parsed = JSON.parse(result.stdout) as Printed;
	expect(Object.keys(parsed).slice(0, 4)).toEqual(['method', 'outcome', 'reason', 'event']);
	return parsed;
}

const file = (name: string): string => path.join(work, name);
const spec = {
	organizer: {email: 'joerg@example.com', name: 'Jörg'},
	attendees: [{email: 'zoe@example.org', name: 'Zoë'}, {email: 'li@example.net'}],
	summary: 'Weekly planning',
	start: '2026-12-01T16:00',
	end: '2026-12-01T17:00',
	timeZone: 'Europe/Berlin',
	repeat: {freq: 'weekly', count: 4},
	uid: 'pmi-respond@example.com',
};

describe('pmi process / respond', {timeout: 300_000}, () => {
	test('invite → process (new copy) → respond maybe with a comment → process the REPLY on the organizer\'s copy', () => {
		writeFileSync(file('spec.json'), JSON.stringify(spec));
		expect(pmi('invite', '--event', file('spec.json'), '--out', file('organizer')).status).toBe(0);
		const request = file('organizer/request.eml');

		const copy = printed(pmi('process', '--message', request, '--me', 'zoe@example.org'));
		expect(copy).toMatchObject({method: 'REQUEST', outcome: 'applied'});
		expect(copy.event).not.toMatch(/^METHOD/m);
		writeFileSync(file('zoe.ics'), copy.event!);
		// The same invitation again, against the copy: unchanged.
		expect(printed(pmi('process', '--message', request, '--me', 'zoe@example.org', '--event', file('zoe.ics'))).outcome).toBe('unchanged');

		const answered = pmi('respond', '--message', request, '--me', 'zoe@example.org', '--answer', 'tentative', '--comment', 'Ten minutes late', '--out', file('zoe'));
		expect(answered.status).toBe(0);
		expect(answered.stdout).toMatch(/wrote .*reply\.eml \(TENTATIVE to joerg@example\.com\)/);
		const reply = readFileSync(file('zoe/reply.eml'), 'utf8');
		expect(reply).toMatch(/^Subject: Tentatively accepted: Weekly planning\r$/m);
		expect(reply).toMatch(/^From: .*<zoe@example\.org>\r$/m);
		expect(attendeeParameter(readFileSync(file('zoe/caldav.ics'), 'utf8'), 'master', 'zoe@example.org', 'partstat')).toBe('TENTATIVE');

		const recorded = printed(pmi('process', '--message', file('zoe/reply.eml'), '--me', 'joerg@example.com', '--event', file('organizer/caldav.ics')));
		expect(recorded).toMatchObject({method: 'REPLY', outcome: 'applied', changes: [{attendee: 'zoe@example.org', partstat: 'TENTATIVE', comment: 'Ten minutes late'}]});
	});

	test('respond --occurrence: a REPLY for that occurrence only', async () => {
		const answered = pmi('respond', '--message', file('organizer/request.eml'), '--me', 'li@example.net', '--answer', 'declined', '--occurrence', '2026-12-08T16:00', '--out', file('li'));
		expect(answered.status).toBe(0);
		const mail = await readCalendarMail(readFileSync(file('li/reply.eml')));
		expect(mail.parts.map(part => part.method)).toEqual(['REPLY']);
		expect(mail.parts[0]!.text).toMatch(/^RECURRENCE-ID;TZID=Europe\/Berlin:20261208T160000\r$/m);
		expect(partStats(readFileSync(file('li/caldav.ics'), 'utf8'))['2026-12-08T15:00:00Z']?.['li@example.net']).toBe('DECLINED');
	});

	test('a stranger\'s mail with the organizer\'s event: review, the copy as given', () => {
		const spoofed = readFileSync(file('organizer/request.eml'), 'utf8').replace(/^From: .*$/m, 'From: Mallory <mallory@evil.example>');
		writeFileSync(file('spoofed.eml'), spoofed);
		const result = printed(pmi('process', '--message', file('spoofed.eml'), '--me', 'zoe@example.org', '--event', file('zoe.ics')));
		expect(result.outcome).toBe('review');
		expect(result.reason).toMatch(/Sent by mallory@evil\.example, not by the organizer joerg@example\.com/);
		expect(result.event).toBe(readFileSync(file('zoe.ics'), 'utf8'));
	});

	test('a CANCEL from the organizer: STATUS:CANCELLED on the copy; respond refuses it (exit 2)', () => {
		const cancel = path.join(samples, 'fastmail-style-CANCEL-single.eml');
		const refused = pmi('respond', '--message', cancel, '--me', 'receiver@example.com', '--answer', 'accepted', '--out', file('nothing'));
		expect(refused.status).toBe(2);
		expect(refused.stderr).toMatch(/nothing to answer: the mail holds a CANCEL/);
		// With no copy there is nothing to cancel.
		expect(printed(pmi('process', '--message', cancel, '--me', 'receiver@example.com'))).toMatchObject({method: 'CANCEL', outcome: 'ignored', event: null});
	});

	test('wrong options: exit 2 with the reason', () => {
		const noMe = pmi('process', '--message', file('organizer/request.eml'));
		expect(noMe.status).toBe(2);
		expect(noMe.stderr).toMatch(/--me is required/);
		expect(pmi('process', '--message', file('missing.eml'), '--me', 'a@example.com').status).toBe(2);
		const maybe = pmi('respond', '--message', file('organizer/request.eml'), '--me', 'zoe@example.org', '--answer', 'maybe', '--out', file('x'));
		expect(maybe.status).toBe(2);
		expect(maybe.stderr).toMatch(/--answer must be accepted, tentative or declined/);
		const notInvited = pmi('respond', '--message', file('organizer/request.eml'), '--me', 'carol@example.org', '--answer', 'accepted', '--out', file('x'));
		expect(notInvited.status).toBe(2);
		expect(notInvited.stderr).toMatch(/is not an attendee/);
	});
});

