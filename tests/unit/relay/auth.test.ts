import {mkdtemp, readFile, rm, stat, writeFile, chmod} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {bearerToken, defaultConfigDir, generateToken, loadOrCreateToken, tokenFileName, tokensMatch} from '../../../relay/auth.ts';

describe('defaultConfigDir', () => {
	test.each([
		[{RELAY_CONFIG_DIR: '/etc/relay', XDG_CONFIG_HOME: '/x'}, '/etc/relay'],
		[{XDG_CONFIG_HOME: '/home/u/.cfg'}, '/home/u/.cfg/purelymail-invites'],
		[{}, path.join(os.homedir(), '.config', 'purelymail-invites')],
	])('%j → %s', (environment, expected) => {
		expect(defaultConfigDir(environment)).toBe(expected);
	});
});

describe('loadOrCreateToken', () => {
	let dir: string;
	beforeEach(async () => {
		dir = await mkdtemp(path.join(os.tmpdir(), 'relay-auth-'));
	});
	afterEach(async () => {
		await rm(dir, {recursive: true, force: true});
	});

	test('creates a 0600 token file in a 0700 folder on first start, then reads the same token', async () => {
		const configDir = path.join(dir, 'purelymail-invites');
		const first = await loadOrCreateToken(configDir);
		expect(first.created).toBe(true);
		expect(first.file).toBe(path.join(configDir, tokenFileName));
		expect(first.token).toMatch(/^[\w-]{43}$/);
		expect((await stat(first.file)).mode & 0o777).toBe(0o600);
		expect((await stat(configDir)).mode & 0o777).toBe(0o700);
		const second = await loadOrCreateToken(configDir);
		expect(second).toEqual({...first, created: false});
	});

	test('tightens a token file others could read', async () => {
		const file = path.join(dir, tokenFileName);
		await writeFile(file, 'a-token-that-is-long-enough\n');
		await chmod(file, 0o644);
		expect((await loadOrCreateToken(dir)).token).toBe('a-token-that-is-long-enough');
		expect((await stat(file)).mode & 0o777).toBe(0o600);
	});

	test('refuses a file without a usable token instead of replacing it', async () => {
		await writeFile(path.join(dir, tokenFileName), '\n');
		await expect(loadOrCreateToken(dir)).rejects.toThrow(/no usable token/);
		expect(await readFile(path.join(dir, tokenFileName), 'utf8')).toBe('\n');
	});
});

describe('bearerToken', () => {
	test.each([
		['Bearer abc', 'abc'],
		['bearer abc', 'abc'],
		['Bearer \tabc ', 'abc'],
		['Basic abc', undefined],
		['Bearer', undefined],
		['Bearer a b', undefined],
		[undefined, undefined],
	])('%j → %j', (header, expected) => {
		expect(bearerToken(header)).toBe(expected);
	});
});

describe('tokensMatch', () => {
	const token = generateToken();
	test.each([
		[token, true],
		[token.slice(0, -1), false],
		[token + 'x', false],
		['', false],
		[token.toUpperCase(), false],
	])('presented %#', (presented, expected) => {
		expect(tokensMatch(presented, token)).toBe(expected);
	});

	test('generated tokens differ', () => {
		expect(generateToken()).not.toBe(generateToken());
	});
});
