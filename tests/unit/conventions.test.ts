/**
 * Project conventions that a reviewer would otherwise have to remember (DEVELOPERS.md, ../shared/STYLE.md):
 * lib/ runs in the browser extension (checked by the compiler), entrypoints only wire, the fixtures keep their
 * layout, and no test is switched off.
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

describe('entrypoints/ only wire', () => {
	// An entrypoint connects browser events, pages and components to lib/: parsing, protocol and mail logic live in lib/.
	const allowedImport = /^(?:preact(?:\/hooks)?|#imports|@\/lib\/.+|@\/components\/.+|\.\/[\w-]+)$/;

	test('entrypoints import only Preact, WXT, lib/, components/ and their own folder', async () => {
		const offenders: string[] = [];
		for (const file of await filesUnder('entrypoints')) {
			for (const [, specifier] of (await read(file)).matchAll(/\bfrom\s+'([^']+)'/g)) {
				if (!allowedImport.test(specifier!)) {
					offenders.push(`${file}: ${specifier}`);
				}
			}
		}

		expect(offenders).toEqual([]);
	});

	test('entrypoints parse nothing themselves (no regular expressions, no ical.js)', async () => {
		const offenders: string[] = [];
		for (const file of await filesUnder('entrypoints')) {
			const text = await read(file);
			if (/new RegExp\(|ICAL\.|\.match\(\/|\.test\(|\.replace\(\//.test(text)) {
				offenders.push(file);
			}
		}

		expect(offenders).toEqual([]);
	});

	test('each page\'s main.tsx only renders its container', async () => {
		const pages = (await filesUnder('entrypoints')).filter(file => file.endsWith('/main.tsx'));
		expect(pages.length).toBeGreaterThan(0);
		for (const file of pages) {
			const code = (await read(file)).split('\n').filter(line => line.trim() !== '' && !line.startsWith('import '));
			expect(code, file).toHaveLength(1);
			expect(code[0], file).toMatch(/^render\(<\w+(?: [^>]*)? \/>, document\.querySelector\('#app'\)!\);$/);
		}
	});
});

describe('fixtures', () => {
	// tests/fixtures/itip/README.md: one folder per scenario, sabre-style before / message / after files.
	const fixtureFile = /^(?:before|reply|request|cancel|counter|declinecounter|refresh|add|after(?:-[\w-]+)?)\.ics$/;

	test('tests/fixtures holds only itip/ with its README', async () => {
		const top = await readdir(path.join(repoRoot, 'tests/fixtures'));
		expect(top).toEqual(['itip']);
		const itip = await readdir(path.join(repoRoot, 'tests/fixtures/itip'), {withFileTypes: true});
		expect(itip.filter(entry => entry.isFile()).map(entry => entry.name)).toEqual(['README.md']);
	});

	test('every scenario folder has a before.ics, only before/message/after calendars, and a line in the README', async () => {
		const readme = await read('tests/fixtures/itip/README.md');
		const folders = (await readdir(path.join(repoRoot, 'tests/fixtures/itip'), {withFileTypes: true})).filter(entry => entry.isDirectory()).map(entry => entry.name);
		expect(folders.length).toBeGreaterThan(0);
		const problems: string[] = [];
		for (const folder of folders) {
			const files = await readdir(path.join(repoRoot, 'tests/fixtures/itip', folder));
			if (!files.includes('before.ics')) {
				problems.push(`${folder}: no before.ics`);
			}

			for (const file of files.filter(name => !fixtureFile.test(name))) {
				problems.push(`${folder}/${file}: not a before, message or after calendar`);
			}

			for (const file of files.filter(name => fixtureFile.test(name))) {
				if (!(await read(`tests/fixtures/itip/${folder}/${file}`)).replace(/^\uFEFF/, '').startsWith('BEGIN:VCALENDAR')) {
					problems.push(`${folder}/${file}: not an iCalendar file`);
				}
			}

			if (!readme.includes(`\`${folder}/\``)) {
				problems.push(`${folder}: not described in README.md`);
			}
		}

		expect(problems).toEqual([]);
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

describe('lib/itip is used through its index', () => {
	// Issue 11, item 5: everything outside lib/itip asks it (describe a stored event, read an invitation for the card,
	// build a message, apply one) through lib/itip/index.ts, and only lib/itip handles ical.js components; the relay and
	// the command line too (bench/ may time lib/itip's internals).
	// lib/contacts may import ical.js: it reads vCards (RFC 6350, CardDAV address books), not iCalendar.
	const vCardReaders = ['lib/contacts/'];

	/** The repository path an import specifier names, or the specifier itself for a package. */
	function target(file: string, specifier: string): string {
		if (specifier.startsWith('@/')) {
			return specifier.slice(2);
		}

		return specifier.startsWith('.') ? path.posix.join(path.posix.dirname(file), specifier) : specifier;
	}

	test.each(['lib', 'components', 'entrypoints', 'relay', 'cli'])('%s/ imports lib/itip only from its index, and ical.js never (lib/contacts: for vCard only)', async folder => {
		const offenders: string[] = [];
		for (const file of await filesUnder(folder)) {
			if (file.startsWith('lib/itip/') || file.includes('node_modules/')) {
				continue;
			}

			for (const [, specifier] of (await read(file)).matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)) {
				const imported = target(file, specifier!);
				const icalJs = imported === 'ical.js' || imported.startsWith('ical.js/');
				if ((icalJs && !vCardReaders.some(reader => file.startsWith(reader))) || (imported.startsWith('lib/itip/') && !/^lib\/itip\/index(?:\.ts)?$/.test(imported))) {
					offenders.push(`${file}: ${specifier!}`);
				}
			}
		}

		expect(offenders).toEqual([]);
	});
});
