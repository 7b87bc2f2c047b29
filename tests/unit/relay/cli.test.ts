import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {helpText, runCli} from '../../../relay/cli.ts';
import type {CommandIo} from '../../../relay/commands/io.ts';
import relayPackage from '../../../relay/package.json' with {type: 'json'};

type Captured = CommandIo & {stdout: string[]; stderr: string[]};

function io(env: NodeJS.ProcessEnv = {}): Captured {
	const stdout: string[] = [];
	const stderr: string[] = [];
	return {env, stdout, stderr, out: line => stdout.push(line), err: line => stderr.push(line)};
}

describe('purelymail-invites-relay', () => {
	test('--version prints the version from relay/package.json', async () => {
		const captured = io();
		expect(await runCli(['--version'], captured)).toBe(0);
		expect(captured.stdout).toEqual([relayPackage.version]);
	});

	test('--help names every command', async () => {
		const captured = io();
		expect(await runCli(['--help'], captured)).toBe(0);
		expect(captured.stdout).toEqual([helpText]);
		for (const command of ['serve', 'install-native', 'uninstall-native', 'native', 'token']) {
			expect(helpText).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
		}
	});

	test.each([['nope'], ['constructor'], ['__proto__']])('an unknown command %s exits 2 and says so', async command => {
		const captured = io();
		expect(await runCli([command], captured)).toBe(2);
		expect(captured.stderr.join('\n')).toMatch(/unknown command/);
	});

	test('a bad flag to serve exits 1 with the reason, without listening', async () => {
		const captured = io();
		expect(await runCli(['--no-such-flag'], captured)).toBe(1);
		expect(captured.stderr.join('\n')).toMatch(/Unknown argument --no-such-flag/);
	});
});

describe('token', () => {
	let configDir: string;
	beforeEach(async () => {
		configDir = await mkdtemp(path.join(os.tmpdir(), 'relay-cli-'));
	});
	afterEach(async () => {
		await rm(configDir, {recursive: true, force: true});
	});

	test('prints the same token each time, creating it once', async () => {
		const first = io({RELAY_CONFIG_DIR: configDir});
		expect(await runCli(['token'], first)).toBe(0);
		const second = io({RELAY_CONFIG_DIR: configDir});
		expect(await runCli(['token'], second)).toBe(0);
		expect(first.stdout).toHaveLength(1);
		expect(second.stdout).toEqual(first.stdout);
		expect(first.stderr.join('\n')).toMatch(/created/);
		expect(second.stderr.join('\n')).toMatch(/read/);
	});

	test('--rotate replaces the token in place, 0600', async () => {
		const before = io({RELAY_CONFIG_DIR: configDir});
		await runCli(['token'], before);
		const rotated = io({RELAY_CONFIG_DIR: configDir});
		expect(await runCli(['token', '--rotate'], rotated)).toBe(0);
		const file = path.join(configDir, 'relay-token');
		expect(rotated.stdout[0]).not.toBe(before.stdout[0]);
		expect((await readFile(file, 'utf8')).trim()).toBe(rotated.stdout[0]);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
	});

	test('says when RELAY_TOKEN overrides the file', async () => {
		const captured = io({RELAY_CONFIG_DIR: configDir, RELAY_TOKEN: 'x'.repeat(20)});
		await runCli(['token'], captured);
		expect(captured.stderr.join('\n')).toMatch(/RELAY_TOKEN is set/);
	});
});

describe('install-native and uninstall-native', () => {
	let dir: string;
	beforeEach(async () => {
		dir = await mkdtemp(path.join(os.tmpdir(), 'relay-cli-native-'));
	});
	afterEach(async () => {
		await rm(dir, {recursive: true, force: true});
	});

	test('--browser chromium --user-data-dir writes into the profile, uninstall-native takes it out again', async () => {
		const env = {RELAY_CONFIG_DIR: path.join(dir, 'config')};
		const profile = path.join(dir, 'profile');
		const installed = io(env);
		expect(await runCli(['install-native', '--browser', 'chromium', '--user-data-dir', profile], installed)).toBe(0);
		const manifestFile = path.join(profile, 'NativeMessagingHosts', 'purelymail_invites_relay.json');
		expect(installed.stdout).toContain(`chromium: ${manifestFile}`);
		const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as {path: string};
		// The launcher runs this very Node and script, with the `native` command.
		expect(await readFile(manifest.path, 'utf8')).toContain(`'${process.execPath}'`);
		expect(await readFile(manifest.path, 'utf8')).toMatch(/ native "\$@"\n$/);
		const removed = io(env);
		expect(await runCli(['uninstall-native'], removed)).toBe(0);
		expect(removed.stdout).toEqual([`Removed ${manifest.path}`, `Removed ${manifestFile}`]);
	});

	test('Firefox with --user-data-dir, or an unknown browser, is refused with the reason', async () => {
		const firefox = io({RELAY_CONFIG_DIR: dir});
		expect(await runCli(['install-native', '--browser', 'firefox', '--user-data-dir', dir], firefox)).toBe(1);
		expect(firefox.stderr.join('\n')).toMatch(/Firefox reads host manifests from one place/);
		const unknown = io({RELAY_CONFIG_DIR: dir});
		expect(await runCli(['install-native', '--browser', 'netscape'], unknown)).toBe(1);
		expect(unknown.stderr.join('\n')).toMatch(/--browser must be one of chrome, chromium, firefox or all/);
	});
});
