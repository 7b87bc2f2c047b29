/**
 * The relay package as a user installs it (issue 16): `npm pack` in relay/, `npm install -g` of the tarball into a
 * fresh prefix from a fresh folder, then the installed command: --version, `serve` answering /v1/health, and an
 * installed tree holding none of the extension's dependencies. Also `npm ci` on relay/'s lockfile, which the
 * README and the Dockerfile's build steps rely on.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {copyFile, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {cleanNpmEnvironment, installRelayGlobally, packRelay, relayPackageDir, runCommand, type InstalledRelay, type PackedRelay} from '../../helpers/relay-package.ts';
import {repoRoot} from '../../sandbox/paths.ts';

type Manifest = {version: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>};

let root: string;
let packed: PackedRelay;
let installed: InstalledRelay;
let relayManifest: Manifest;
let serving: ChildProcess | undefined;

beforeAll(async () => {
	root = await mkdtemp(path.join(os.tmpdir(), 'relay-package-'));
	relayManifest = JSON.parse(await readFile(path.join(relayPackageDir, 'package.json'), 'utf8')) as Manifest;
	packed = await packRelay(root);
	installed = await installRelayGlobally(packed.tarball, root);
});

afterAll(async () => {
	serving?.kill('SIGTERM');
	if (root) {
		await rm(root, {recursive: true, force: true});
	}
});

describe('npm pack', () => {
	test('holds the compiled command, its README and licence, and nothing else', () => {
		expect(packed.files).toEqual(['LICENSE', 'README.md', 'dist/main.js', 'package.json']);
		expect(packed.version).toBe(relayManifest.version);
	});
});

describe('npm install -g of the tarball', () => {
	test('--version prints the package version', async () => {
		expect((await runCommand(installed.bin, ['--version'], {cwd: root})).trim()).toBe(relayManifest.version);
	});

	test('serve answers /v1/health', async () => {
		const configDir = await mkdtemp(path.join(root, 'config-'));
		serving = spawn(installed.bin, ['serve'], {
			cwd: root,
			env: cleanNpmEnvironment({RELAY_PORT: '0', RELAY_CONFIG_DIR: configDir}),
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		const url = await new Promise<string>((resolve, reject) => {
			serving!.once('exit', code => {
				reject(new Error(`serve exited with ${String(code)} before listening`));
			});
			createInterface({input: serving!.stdout!}).on('line', line => {
				const match = /listening on (\S+)/.exec(line);
				if (match?.[1]) {
					resolve(match[1]);
				}
			});
		});
		const response = await fetch(`${url}/v1/health`);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ok: true, version: relayManifest.version});
		const exited = new Promise(resolve => serving!.once('exit', resolve));
		serving.kill('SIGTERM');
		await exited;
		serving = undefined;
	});

	test('agent runs with its native SQLite module (better-sqlite3, built for this Node by the install)', async () => {
		const folder = await mkdtemp(path.join(root, 'agent-'));
		const config = path.join(folder, 'agent.json');
		// Nothing listens on port 1: the tick fails (exit 1), after the state was opened and migrated.
		const closed = {host: '127.0.0.1', port: 1, secure: false};
		await writeFile(config, JSON.stringify({
			account: {email: 'me@example.test', name: 'Me', password: 'not-used-here', aliases: []},
			servers: {caldavUrl: 'http://127.0.0.1:1/dav/', imap: closed, smtp: closed},
			calendarUrl: 'http://127.0.0.1:1/dav/calendars/me/',
		}), {mode: 0o600});
		const result = await new Promise<{code: number | null; stdout: string}>(resolve => {
			const child = spawn(installed.bin, ['agent', '--config', config, '--once'], {cwd: root, env: cleanNpmEnvironment(), stdio: ['ignore', 'pipe', 'inherit']});
			let stdout = '';
			child.stdout.on('data', (chunk: Buffer) => {
				stdout += chunk.toString();
			});
			child.once('exit', code => {
				resolve({code, stdout});
			});
		});
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/^tick mailbox=me@example\.test reason=once .*error="calendar: /);
		expect((await stat(path.join(folder, 'agent.sqlite'))).size).toBeGreaterThan(0);
	});

	test('the installed tree holds the relay\'s dependencies and none of the extension\'s', async () => {
		const tree = JSON.parse(await runCommand('npm', ['ls', '--omit=dev', '--all', '--json'], {cwd: installed.packageDir})) as {dependencies?: Record<string, Dependency>};
		const names = new Set<string>();
		collectNames(tree.dependencies ?? {}, names);
		for (const name of Object.keys(relayManifest.dependencies ?? {})) {
			expect(names).toContain(name);
		}

		const extension = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
		const extensionOnly = [...Object.keys(extension.dependencies ?? {}), ...Object.keys(extension.devDependencies ?? {})]
			.filter(name => !Object.hasOwn(relayManifest.dependencies ?? {}, name));
		// The agent runs lib/, whose libraries (ical.js, tsdav, mimetext …) are bundled into dist/main.js (relay/build.mjs),
		// so they are not the installed package's dependencies either.
		expect(extensionOnly).toEqual(expect.arrayContaining(['preact', 'ical.js', 'tsdav', 'mimetext', 'smtp-server', 'tsx', 'wxt', 'vitest']));
		expect([...names].filter(name => extensionOnly.includes(name))).toEqual([]);
	});
});

type Dependency = {dependencies?: Record<string, Dependency>};

function collectNames(dependencies: Record<string, Dependency>, into: Set<string>): void {
	for (const [name, dependency] of Object.entries(dependencies)) {
		into.add(name);
		collectNames(dependency.dependencies ?? {}, into);
	}
}

describe('relay/package-lock.json', () => {
	test('npm ci accepts it', async () => {
		const folder = await mkdtemp(path.join(root, 'ci-'));
		await copyFile(path.join(relayPackageDir, 'package.json'), path.join(folder, 'package.json'));
		await copyFile(path.join(relayPackageDir, 'package-lock.json'), path.join(folder, 'package-lock.json'));
		await runCommand('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {cwd: folder});
		const tree = JSON.parse(await runCommand('npm', ['ls', '--json'], {cwd: folder})) as {dependencies?: Record<string, unknown>};
		expect(Object.keys(tree.dependencies ?? {}).sort()).toEqual(Object.keys(relayManifest.dependencies ?? {}).sort());
	});
});
