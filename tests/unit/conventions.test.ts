/**
 * Project conventions that a reviewer would otherwise have to remember (DEVELOPERS.md, ../shared/STYLE.md):
 * lib/ runs in the browser extension, entrypoints only wire, and no test is switched off.
 */
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {repoRoot} from '../sandbox/paths.ts';

async function filesUnder(folder: string, extensions = ['.ts', '.tsx']): Promise<string[]> {
	const entries = await readdir(path.join(repoRoot, folder), {recursive: true, withFileTypes: true});
	return entries
		.filter(entry => entry.isFile() && extensions.some(extension => entry.name.endsWith(extension)))
		.map(entry => path.relative(repoRoot, path.join(entry.parentPath, entry.name)));
}

async function read(file: string): Promise<string> {
	return readFile(path.join(repoRoot, file), 'utf8');
}

describe('lib/ runs in the extension', () => {
	test('no module outside lib/cli imports a Node built-in', async () => {
		const offenders: string[] = [];
		for (const file of (await filesUnder('lib')).filter(file => !file.startsWith('lib/cli/'))) {
			if (/from\s+'node:|require\('node:/.test(await read(file))) {
				offenders.push(file);
			}
		}

		expect(offenders).toEqual([]);
	});

	test('lib/ never imports from entrypoints/ or components/ (data flows entrypoint → lib → server)', async () => {
		const offenders: string[] = [];
		for (const file of await filesUnder('lib')) {
			if (/from\s+'(?:@\/|\.\.\/)+(?:entrypoints|components)\//.test(await read(file))) {
				offenders.push(file);
			}
		}

		expect(offenders).toEqual([]);
	});
});

describe('components/ are UI only', () => {
	test('no component talks to storage, the network or the messaging layer', async () => {
		const offenders: string[] = [];
		for (const file of await filesUnder('components')) {
			const text = await read(file);
			if (/lib\/storage|sendMessage|onMessage|\bfetch\(|browser\.storage/.test(text)) {
				offenders.push(file);
			}
		}

		expect(offenders).toEqual([]);
	});
});

describe('tests', () => {
	test('no test is skipped, focused or left to do', async () => {
		const offenders: string[] = [];
		for (const file of await filesUnder('tests')) {
			if (file === 'tests/unit/conventions.test.ts') {
				continue;
			}

			if (/\b(?:test|it|describe)\.(?:skip|only|todo|skipIf|runIf)\(|\bexpect\(true\)/.test(await read(file))) {
				offenders.push(file);
			}
		}

		expect(offenders).toEqual([]);
	});
});
