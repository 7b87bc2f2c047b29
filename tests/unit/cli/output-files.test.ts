import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, test, vi} from 'vitest';
import {run as runInvite} from '../../../cli/commands/invite.ts';
import {run as runRespond} from '../../../cli/commands/respond.ts';
import {writeOutputFiles} from '../../../cli/output-files.ts';

const workDirectory = mkdtempSync(path.join(tmpdir(), 'pmi-out-'));
afterAll(() => {
	rmSync(workDirectory, {recursive: true, force: true});
});
afterEach(() => {
	vi.restoreAllMocks();
});

/** Captures what the command prints on standard error while `action` runs. */
async function stderrOf<T>(action: () => Promise<T>): Promise<{value: T; stderr: string}> {
	const lines: string[] = [];
	vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
		lines.push(args.map(String).join(' '));
	});
	vi.spyOn(console, 'log').mockImplementation(() => undefined);
	const value = await action();
	return {value, stderr: lines.join('\n')};
}

const spec = {
	organizer: {email: 'joerg@example.com', name: 'Jörg'},
	attendees: [{email: 'zoe@example.org', name: 'Zoë'}],
	summary: 'Out test',
	start: '2026-12-01T16:00',
	end: '2026-12-01T17:00',
	timeZone: 'Europe/Berlin',
	uid: `out-test-${Date.now()}@example.com`,
};

describe('writeOutputFiles', () => {
	test('creates the directory (nested) and writes each file, returning the paths in order', async () => {
		const dir = path.join(workDirectory, 'nested', 'deeper');
		const {value} = await stderrOf(async () => writeOutputFiles('invite', dir, [['a.txt', 'first'], ['b.txt', 'second']]));
		expect(value).toEqual([path.join(dir, 'a.txt'), path.join(dir, 'b.txt')]);
		expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('first');
		expect(readFileSync(path.join(dir, 'b.txt'), 'utf8')).toBe('second');
	});

	test.each([
		['--out is an existing file', (base: string) => {
			writeFileSync(base, 'not a directory');
			return base;
		}],
		['--out lies below a file', (base: string) => {
			writeFileSync(base, 'not a directory');
			return path.join(base, 'below');
		}],
		['one of the files to write is a directory', (base: string) => {
			mkdirSync(path.join(base, 'b.txt'), {recursive: true});
			return base;
		}],
	])('%s: says "cannot write to DIR" with the system\'s reason and returns undefined', async (name, prepare) => {
		const dir = prepare(path.join(workDirectory, name.replaceAll(/\W+/g, '-')));
		const {value, stderr} = await stderrOf(async () => writeOutputFiles('respond', dir, [['a.txt', 'first'], ['b.txt', 'second']]));
		expect(value).toBeUndefined();
		expect(stderr).toMatch(new RegExp(`^pmi respond: cannot write to ${dir.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}: E[A-Z]+`));
	});
});

describe('pmi invite / respond --out that cannot be written', () => {
	test('pmi invite exits 1 and names the directory; the file in the way is left as it was', async () => {
		const specFile = path.join(workDirectory, 'spec.json');
		writeFileSync(specFile, JSON.stringify(spec));
		const blocker = path.join(workDirectory, 'invite-blocker');
		writeFileSync(blocker, 'keep me');
		const {value, stderr} = await stderrOf(async () => runInvite(['--event', specFile, '--out', blocker]));
		expect(value).toBe(1);
		expect(stderr).toContain(`pmi invite: cannot write to ${blocker}: `);
		expect(readFileSync(blocker, 'utf8')).toBe('keep me');
	});

	test('pmi respond exits 1 and names the directory when --out lies below a file', async () => {
		const specFile = path.join(workDirectory, 'spec-respond.json');
		writeFileSync(specFile, JSON.stringify(spec));
		const organizer = path.join(workDirectory, 'organizer');
		const invited = await stderrOf(async () => runInvite(['--event', specFile, '--out', organizer]));
		expect(invited.value).toBe(0);
		const blocker = path.join(workDirectory, 'respond-blocker');
		writeFileSync(blocker, 'keep me');
		const out = path.join(blocker, 'zoe');
		const {value, stderr} = await stderrOf(async () => runRespond(['--message', path.join(organizer, 'request.eml'), '--me', 'zoe@example.org', '--answer', 'accepted', '--out', out]));
		expect(value).toBe(1);
		expect(stderr).toContain(`pmi respond: cannot write to ${out}: `);
		expect(statSync(blocker).isFile()).toBe(true);
	});
});
