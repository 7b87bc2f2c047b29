/**
 * The relay as a user gets it: `npm pack` in relay/, then `npm install -g` of the tarball into a fresh prefix.
 * Used by the package test and the native-messaging e2e test, so both run the installed bin, not the sources.
 */
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, readFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {repoRoot} from '../sandbox/paths.ts';

const run = promisify(execFile);

export const relayPackageDir = path.join(repoRoot, 'relay');

/** The environment without what `npm test` passes to its children (npm_config_*, npm_package_*), so each npm here starts as a user's would. */
export function cleanNpmEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
	return {...environment, ...extra};
}

/** Runs a command, resolving to its stdout; rejects with its stderr in the message. */
export async function runCommand(command: string, args: string[], options: {cwd: string; env?: NodeJS.ProcessEnv}): Promise<string> {
	try {
		const {stdout} = await run(command, args, {cwd: options.cwd, env: options.env ?? cleanNpmEnvironment(), maxBuffer: 64 * 1024 * 1024});
		return stdout;
	} catch (error) {
		const {stderr, stdout} = error as {stderr?: string; stdout?: string};
		throw new Error(`${command} ${args.join(' ')} failed in ${options.cwd}:\n${stderr ?? ''}${stdout ?? ''}`, {cause: error});
	}
}

export type PackedRelay = {tarball: string; files: string[]; version: string};

/** `npm pack` in relay/ (its prepack builds dist/), the tarball written to `destination`. */
export async function packRelay(destination: string): Promise<PackedRelay> {
	const output = await runCommand('npm', ['pack', '--json', '--pack-destination', destination], {cwd: relayPackageDir});
	const [packed] = JSON.parse(output.slice(output.indexOf('['))) as Array<{filename: string; version: string; files: Array<{path: string}>}>;
	if (!packed) {
		throw new Error(`npm pack printed no package: ${output}`);
	}

	return {tarball: path.join(destination, packed.filename), files: packed.files.map(file => file.path).sort(), version: packed.version};
}

export type InstalledRelay = {
	prefix: string;
	/** The installed `purelymail-invites-relay` command. */
	bin: string;
	/** The installed package's folder. */
	packageDir: string;
};

/**
 * The agent's SQLite module is native: its install script (prebuild-install) downloads a prebuilt binary from
 * GitHub, or compiles one (minutes) when it cannot. This machine has no route to GitHub, and the repository's own
 * `npm install` already compiled the very same version for this Node, so its binary is offered to the install as
 * a "local prebuild" (prebuild-install's own mechanism, the file name it would download). A user's install gets
 * the same file from GitHub. When the versions differ, the install compiles, as it would offline.
 */
async function localPrebuilds(root: string): Promise<NodeJS.ProcessEnv> {
	const module = path.join(repoRoot, 'node_modules/better-sqlite3');
	const {version} = JSON.parse(await readFile(path.join(module, 'package.json'), 'utf8')) as {version: string};
	const folder = await mkdtemp(path.join(root, 'prebuilds-'));
	const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
	try {
		await run('tar', ['-czf', path.join(folder, name), '-C', module, 'build/Release/better_sqlite3.node']);
	} catch {
		return {};
	}

	return {npm_config_better_sqlite3_local_prebuilds: folder};
}

/** `npm install -g <tarball>` into a fresh prefix under `root`, run from a fresh empty folder. */
export async function installRelayGlobally(tarball: string, root: string): Promise<InstalledRelay> {
	const prefix = await mkdtemp(path.join(root, 'prefix-'));
	const cwd = await mkdtemp(path.join(root, 'cwd-'));
	await mkdir(cwd, {recursive: true});
	await runCommand('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', tarball], {cwd, env: cleanNpmEnvironment(await localPrebuilds(root))});
	const windows = os.platform() === 'win32';
	return {
		prefix,
		bin: path.join(prefix, windows ? '' : 'bin', windows ? 'purelymail-invites-relay.cmd' : 'purelymail-invites-relay'),
		packageDir: path.join(prefix, windows ? '' : 'lib', 'node_modules', 'purelymail-invites-relay'),
	};
}
