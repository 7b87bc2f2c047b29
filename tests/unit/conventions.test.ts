/**
 * Project conventions that a reviewer would otherwise have to remember (DEVELOPERS.md, ../shared/STYLE.md):
 * lib/ runs in the browser extension, entrypoints only wire, and no test is switched off.
 */
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
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

/**
 * Type-checks one in-memory file (at `file`, relative to the repository) under a tsconfig and returns its errors as
 * `TS<code> <the name the message quotes>`.
 */
function compileProbe(project: string, file: string, source: string): string[] {
	const {config} = ts.readConfigFile(path.join(repoRoot, project), ts.sys.readFile) as {config: unknown};
	const {options} = ts.parseJsonConfigFileContent(config, ts.sys, repoRoot);
	const probePath = path.join(repoRoot, file);
	const host = ts.createCompilerHost(options);
	const readSource = host.getSourceFile.bind(host);
	host.getSourceFile = (name, language, ...rest) => name === probePath ? ts.createSourceFile(name, source, language) : readSource(name, language, ...rest);
	const fileExists = host.fileExists.bind(host);
	host.fileExists = name => name === probePath || fileExists(name);
	const program = ts.createProgram({rootNames: [probePath, path.join(repoRoot, '.wxt/wxt.d.ts')], options, host});
	return ts.getPreEmitDiagnostics(program, program.getSourceFile(probePath)).map(diagnostic => {
		const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
		return `TS${diagnostic.code} ${/'([^']+)'/.exec(message)?.[1] ?? message}`;
	});
}

describe('lib/ runs in the extension', () => {
	// Node built-ins are kept out of browser code by the compiler: tsconfig.browser.json type-checks entrypoints/,
	// components/ and lib/ without Node's types. This compiles one probe file in lib/ under each project.
	const probe = ["import {readFile} from 'node:fs/promises';", 'export const uses = [readFile, process.env, Buffer.from(\'x\')];'].join('\n');

	test.each([
		{project: 'tsconfig.browser.json', expected: ['TS2307 node:fs/promises', 'TS2591 process', 'TS2591 Buffer']},
		{project: 'tsconfig.json', expected: []},
	])('a node: import, process and Buffer in lib/ under $project: $expected', ({project, expected}) => {
		expect(compileProbe(project, 'lib/node-probe.ts', probe)).toEqual(expected);
	}, 120_000);

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
