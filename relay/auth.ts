/**
 * The relay's bearer token: where it lives, how it is made, how a request's token is checked.
 * Anyone with the token can send mail as any account whose password they also hold, so it is kept like a key.
 */
import {createHash, randomBytes, timingSafeEqual} from 'node:crypto';
import {chmod, mkdir, readFile, rename, stat, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The token file's name inside the config folder. */
export const tokenFileName = 'relay-token';

/** 32 random bytes: far beyond guessing, even without the rate limit. */
const tokenBytes = 32;

/** A token given by RELAY_TOKEN must at least be this long; a short one is guessable. */
export const minimumTokenLength = 16;

/**
 * The folder that holds the token: RELAY_CONFIG_DIR, else $XDG_CONFIG_HOME/purelymail-invites,
 * else ~/.config/purelymail-invites.
 */
export function defaultConfigDir(environment: NodeJS.ProcessEnv = process.env): string {
	if (environment.RELAY_CONFIG_DIR) {
		return environment.RELAY_CONFIG_DIR;
	}

	const base = environment.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
	return path.join(base, 'purelymail-invites');
}

export function generateToken(): string {
	return randomBytes(tokenBytes).toString('base64url');
}

/** What loadOrCreateToken did, so start-up can say so. */
export type StoredToken = {token: string; file: string; created: boolean};

/**
 * Reads the token from `<configDir>/relay-token`, creating it (mode 0600, folder 0700) on first start.
 * A token file that others can read is tightened to 0600 rather than trusted as is.
 * @throws when the folder cannot be created or the file is empty
 */
export async function loadOrCreateToken(configDir: string): Promise<StoredToken> {
	const file = path.join(configDir, tokenFileName);
	await mkdir(configDir, {recursive: true, mode: 0o700});
	try {
		const token = (await readFile(file, 'utf8')).trim();
		if (token.length < minimumTokenLength) {
			throw new Error(`${file} holds no usable token; delete it to have a new one made`);
		}

		if (((await stat(file)).mode & 0o077) !== 0) {
			await chmod(file, 0o600);
		}

		return {token, file, created: false};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}
	}

	const token = generateToken();
	// `wx`: never overwrite a token another relay process wrote a moment ago.
	try {
		await writeFile(file, token + '\n', {mode: 0o600, flag: 'wx'});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
			return loadOrCreateToken(configDir);
		}

		throw error;
	}

	return {token, file, created: true};
}

/**
 * Replaces the token with a new one (`purelymail-invites-relay token --rotate`). The new file is written beside
 * the old one and renamed over it, so a relay starting meanwhile reads either token whole, never half of one.
 * A running relay keeps the token it started with until it is restarted.
 */
export async function rotateToken(configDir: string): Promise<StoredToken> {
	const file = path.join(configDir, tokenFileName);
	await mkdir(configDir, {recursive: true, mode: 0o700});
	const token = generateToken();
	const temporary = `${file}.${process.pid}.tmp`;
	await writeFile(temporary, token + '\n', {mode: 0o600, flag: 'wx'});
	await rename(temporary, file);
	return {token, file, created: true};
}

/** The token from an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
	const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
	return match?.[1];
}

/**
 * Compares a presented token with the real one in constant time. Both are hashed first, so neither
 * their contents nor their lengths show in the timing.
 */
export function tokensMatch(presented: string, expected: string): boolean {
	const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(presented), digest(expected));
}
