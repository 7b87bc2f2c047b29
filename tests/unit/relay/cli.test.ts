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
		for (const command of ['serve', 'token']) {
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
