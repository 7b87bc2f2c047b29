import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, test, vi} from 'vitest';
import {run as runInvite} from '../../../cli/commands/invite.ts';
import {run as runReadMail} from '../../../cli/commands/read-mail.ts';
import {readTnefAsRelay} from '../../../cli/message-file.ts';
import {normaliseCalendarText, readCalendarMail, replyMessageOf, type CalendarMail} from '../../../lib/imip/index.ts';
import {replyFromTnef} from '../../../lib/itip/index.ts';
import {parseWithPython, pythonDefects, pythonPayload, type PythonPart} from '../../helpers/python-email.ts';
import {firstUid, fixturePath, repoRoot} from './mail-builders.ts';

const workDirectory = mkdtempSync(path.join(tmpdir(), 'pmi-imip-'));
afterAll(() => {
	rmSync(workDirectory, {recursive: true, force: true});
});

/** Runs `npm run -s pmi -- …` in the repository, as a person would. */
function pmi(...args: string[]): {status: number | null; stdout: string; stderr: string} {
	const result = spawnSync('npm', ['run', '-s', 'pmi', '--', ...args], {cwd: repoRoot, encoding: 'utf8', timeout: 60_000});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

function writeSpec(name: string, spec: unknown): string {
	const file = path.join(workDirectory, name);
	writeFileSync(file, typeof spec === 'string' ? spec : JSON.stringify(spec, undefined, 2));
	return file;
}

const spec = {
	organizer: {email: 'joerg@example.com', name: 'Jörg Müller'},
	attendees: [
		{email: 'zoe@example.org', name: 'Zoë Ångström'},
		{email: 'li@example.net', name: '王小明', optional: true},
	],
	summary: 'Café-Planung – Q1 Überblick',
	start: '2026-12-01T16:00',
	end: '2026-12-01T17:00',
	timeZone: 'Europe/Berlin',
	location: 'Besprechungsraum Köln',
	description: 'Agenda:\n- Rückblick\n- Ausblick',
	repeat: {freq: 'weekly', byDay: ['TU'], count: 4},
	uid: 'cafe-planung-q1@example.com',
};

function leaves(part: PythonPart): PythonPart[] {
	return part.children === undefined ? [part] : part.children.flatMap(child => leaves(child));
}

function unfolded(text: string): string {
	return text.replaceAll(/\r\n[ \t]/g, '');
}

describe('pmi invite', () => {
	test('a spec with non-ASCII names and summary gives a mail Python reads as the expected tree, subject decoded, calendar not base64', () => {
		const out = path.join(workDirectory, 'invite');
		const result = pmi('invite', '--event', writeSpec('spec.json', spec), '--out', out);
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('UID cafe-planung-q1@example.com');

		const raw = readFileSync(path.join(out, 'request.eml'));
		const python = parseWithPython(raw);
		expect(python.subject).toBe('Invitation: Café-Planung – Q1 Überblick @ Tue 1 Dec 2026 16:00 – 17:00 (CET)');
		expect(python.from).toEqual([{name: 'Jörg Müller', email: 'joerg@example.com'}]);
		expect(python.to).toEqual([{name: 'Zoë Ångström', email: 'zoe@example.org'}, {name: '王小明', email: 'li@example.net'}]);
		expect(pythonDefects(python.tree)).toEqual([]);
		const tree = python.tree;
		expect(tree.type).toBe('multipart/mixed');
		expect(tree.children?.map(child => child.type)).toEqual(['multipart/alternative', 'application/ics']);
		expect(tree.children?.[0]?.children?.map(child => child.type)).toEqual(['text/plain', 'text/html', 'text/calendar']);
		expect(tree.children?.[1]).toMatchObject({disposition: 'attachment', filename: 'invite.ics'});

		const calendarPart = leaves(tree).find(part => part.type === 'text/calendar')!;
		expect(calendarPart.params.method).toBe('REQUEST');
		expect(calendarPart.encoding).not.toBe('base64');
		expect(calendarPart.encoding).toBe('quoted-printable');
		const calendar = unfolded(new TextDecoder().decode(pythonPayload(calendarPart)));
		expect(calendar).toMatch(/^METHOD:REQUEST\r$/m);
		expect(calendar).toMatch(/^UID:cafe-planung-q1@example\.com\r$/m);
		expect(calendar).toMatch(/^SUMMARY:Café-Planung – Q1 Überblick\r$/m);
		expect(calendar).toMatch(/^ORGANIZER;CN=Jörg Müller:mailto:joerg@example\.com\r$/m);

		const plain = new TextDecoder().decode(pythonPayload(leaves(tree)[0]!));
		expect(plain).toContain('When:      Tue 1 Dec 2026 16:00 – 17:00 (CET), Europe/Berlin time');
		expect(plain).toContain('Zoë Ångström <zoe@example.org>');

		const caldav = readFileSync(path.join(out, 'caldav.ics'), 'utf8');
		expect(caldav).not.toMatch(/^METHOD:/m);
		expect(firstUid(caldav)).toBe('cafe-planung-q1@example.com');
	}, 60_000);

	test('the mail reads back as one REQUEST without problems', async () => {
		const out = path.join(workDirectory, 'invite-read');
		expect(await runInvite(['--event', writeSpec('spec-read.json', spec), '--out', out])).toBe(0);
		const mail = await readCalendarMail(readFileSync(path.join(out, 'request.eml')));
		expect(mail.problems).toEqual([]);
		expect(mail.parts).toHaveLength(1);
		expect(mail.parts[0]).toMatchObject({method: 'REQUEST', contentType: 'text/calendar'});
		expect(firstUid(mail.parts[0]!.text)).toBe('cafe-planung-q1@example.com');
	});

	test.each([
		{what: 'a bad attendee address', change: {attendees: [{email: 'zoe@example.org'}, {email: 'not an address'}]}, field: 'attendees[1].email'},
		{what: 'a line break in the organizer\'s name', change: {organizer: {email: 'joerg@example.com', name: 'Jörg\r\nBcc: eve@example.net'}}, field: 'organizer.name'},
		{what: 'an unknown time zone', change: {timeZone: 'Europe/Atlantis'}, field: 'timeZone'},
		{what: 'no summary', change: {summary: ''}, field: 'summary'},
		{what: 'no attendees', change: {attendees: []}, field: 'attendees'},
		{what: 'a start that is no time', change: {start: 'tomorrow'}, field: 'start'},
	])('$what → exit 2 naming $field', async ({change, field}) => {
		const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		try {
			const file = writeSpec(`bad-${field}.json`, {...spec, ...change});
			expect(await runInvite(['--event', file, '--out', path.join(workDirectory, 'bad')])).toBe(2);
			expect(errors.mock.calls.flat().join('\n')).toContain(field);
		} finally {
			errors.mockRestore();
		}
	});

	test.each([
		{what: 'no --out', args: (file: string) => ['--event', file], message: '--out is required'},
		{what: 'a file that is not JSON', args: () => ['--event', writeSpec('not-json.json', '{organizer:'), '--out', workDirectory], message: 'is not JSON'},
		{what: 'JSON that is not an object', args: () => ['--event', writeSpec('array.json', '[]'), '--out', workDirectory], message: 'one JSON object'},
		{what: 'a missing file', args: () => ['--event', path.join(workDirectory, 'missing.json'), '--out', workDirectory], message: 'cannot read'},
	])('$what → exit 2', async ({args, message}) => {
		const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		try {
			expect(await runInvite(args(writeSpec('ok.json', spec)))).toBe(2);
			expect(errors.mock.calls.flat().join('\n')).toContain(message);
		} finally {
			errors.mockRestore();
		}
	});
});

describe('pmi read-mail', () => {
	test('prints readCalendarMail\'s result for a fixture as JSON', () => {
		const result = pmi('read-mail', fixturePath('samples/protonbridge-REQUEST-no-method-param.eml'));
		expect(result.status).toBe(0);
		const mail = JSON.parse(result.stdout) as CalendarMail;
		expect(mail.from).toEqual({name: '', email: 'alice@example.org'});
		expect(mail.problems).toEqual([]);
		expect(mail.parts).toHaveLength(1);
		expect(mail.parts[0]).toMatchObject({method: 'REQUEST', contentType: 'text/calendar', filename: null});
		expect(firstUid(mail.parts[0]!.text)).toBe('69d4c40b4a274636bf23517938df9673@example.org');
	}, 60_000);

	/** `pmi read-mail FILE` run in-process: exit 0 and its JSON. */
	async function readMailJson(file: string): Promise<CalendarMail> {
		const output = vi.spyOn(console, 'log').mockImplementation(() => undefined);
		try {
			expect(await runReadMail([file])).toBe(0);
			return JSON.parse(String(output.mock.calls[0]?.[0])) as CalendarMail;
		} finally {
			output.mockRestore();
		}
	}

	test('reads the TNEF-only Exchange reply as the relay does: the REPLY it stands for, the one the reply loop applies', async () => {
		const file = fixturePath('samples/exchange-REPLY-tnef-winmail-zugesagt.eml');
		const mail = await readMailJson(file);

		const relayed = await replyMessageOf(readFileSync(file), {readTnef: readTnefAsRelay});
		const tnef = relayed.calendarParts[0]?.tnef;
		if (tnef?.kind !== 'meeting-response') {
			throw new Error('the fixture should read as a meeting response');
		}

		expect(mail.problems).toEqual([]);
		expect(mail.parts).toEqual([{method: 'REPLY', contentType: 'application/ms-tnef', filename: 'winmail.dat', text: normaliseCalendarText(replyFromTnef(tnef))}]);
	});

	test('shows problems too (TNEF with no answer in it, in the reader\'s words)', async () => {
		// Not TNEF at all behind the winmail.dat name: the reader says it could not read it.
		const file = writeSpec('not-tnef.eml', ['From: a@example.org', 'To: b@example.org', 'Subject: x', 'MIME-Version: 1.0', 'Content-Type: application/ms-tnef; name=winmail.dat', 'Content-Transfer-Encoding: base64', '', 'aGVsbG8gd29ybGQ=', ''].join('\r\n'));
		const mail = await readMailJson(file);

		const reading = await readTnefAsRelay(new TextEncoder().encode('hello world'));
		if (reading.kind !== 'none') {
			throw new Error('"hello world" should not read as TNEF');
		}

		expect(mail.parts).toEqual([]);
		expect(mail.problems).toEqual([{code: 'tnef', message: reading.reason}]);
	});

	test.each([
		{what: 'no file', args: []},
		{what: 'two files', args: ['a.eml', 'b.eml']},
		{what: 'a missing file', args: [path.join(workDirectory, 'missing.eml')]},
		{what: 'an unknown option', args: ['--nope']},
	])('$what → exit 2', async ({args}) => {
		const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		try {
			expect(await runReadMail(args)).toBe(2);
			expect(errors).toHaveBeenCalled();
		} finally {
			errors.mockRestore();
		}
	});
});
