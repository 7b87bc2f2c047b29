import {access, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {installNative, uninstallNative} from '../../../relay/native/install.ts';
import {launcherPath, type HostPlatform, type LocationContext} from '../../../relay/native/locations.ts';

let home: string;

beforeEach(async () => {
	home = await mkdtemp(path.join(os.tmpdir(), 'native-install-'));
});

afterEach(async () => {
	await rm(home, {recursive: true, force: true});
});

function contextFor(platform: HostPlatform): LocationContext {
	return {platform, home, env: {}, configDir: path.join(home, '.config', 'purelymail-invites')};
}

async function exists(file: string): Promise<boolean> {
	return access(file).then(() => true, () => false);
}

/** Every file and folder under home, relative, sorted. */
async function tree(): Promise<string[]> {
	return (await readdir(home, {recursive: true})).sort();
}

const command = ['/usr/bin/node', '/opt/relay/dist/main.js'];

describe.each(['linux', 'darwin'] as const)('on %s', platform => {
	test('install-native writes the launcher (executable) and one manifest per browser, pointing at it', async () => {
		const context = contextFor(platform);
		const result = await installNative({context, browsers: ['chrome', 'chromium', 'firefox'], command});
		expect(result.registryCommands).toEqual([]);
		expect((await stat(result.launcher)).mode & 0o777).toBe(0o755);
		expect(await readFile(result.launcher, 'utf8')).toContain(`exec '/usr/bin/node' '/opt/relay/dist/main.js' native "$@"`);
		for (const manifest of result.manifests) {
			const written = JSON.parse(await readFile(manifest.file, 'utf8')) as {path: string; allowed_origins?: string[]; allowed_extensions?: string[]};
			expect(written.path).toBe(result.launcher);
			expect(manifest.browser === 'firefox' ? written.allowed_extensions : written.allowed_origins).toHaveLength(1);
		}
	});

	test('uninstall-native removes exactly what install-native wrote, and the folders it made', async () => {
		const context = contextFor(platform);
		// Something of the user's that must survive: a folder with another host's manifest.
		const chromiumHosts = platform === 'linux'
			? path.join(home, '.config', 'chromium', 'NativeMessagingHosts')
			: path.join(home, 'Library', 'Application Support', 'Chromium', 'NativeMessagingHosts');
		await mkdir(chromiumHosts, {recursive: true});
		await writeFile(path.join(chromiumHosts, 'other_host.json'), '{}');
		const before = await tree();
		await installNative({context, browsers: ['chrome', 'chromium', 'firefox'], command});
		expect((await tree()).length).toBeGreaterThan(before.length);
		const result = await uninstallNative(context);
		expect(result.hadInstall).toBe(true);
		expect(result.removed).toHaveLength(4);
		expect(result.kept).toEqual([]);
		expect(await tree()).toEqual(before);
	});

	test('a second install (another profile) adds to the first; uninstall removes both', async () => {
		const context = contextFor(platform);
		const profile = path.join(home, 'profile');
		await mkdir(profile);
		await installNative({context, browsers: ['chromium'], command});
		const second = await installNative({context, browsers: ['chromium'], userDataDir: profile, command});
		expect(second.manifests[0]!.file).toBe(path.join(profile, 'NativeMessagingHosts', 'purelymail_invites_relay.json'));
		const result = await uninstallNative(context);
		expect(result.removed).toHaveLength(3);
		expect(await tree()).toEqual(['profile']);
	});

	test('a manifest changed since install is left in place and reported', async () => {
		const context = contextFor(platform);
		const {manifests} = await installNative({context, browsers: ['firefox'], command});
		await writeFile(manifests[0]!.file, '{"edited": true}');
		const result = await uninstallNative(context);
		expect(result.kept).toEqual([manifests[0]!.file]);
		expect(await readFile(manifests[0]!.file, 'utf8')).toBe('{"edited": true}');
		expect(await exists(launcherPath(context))).toBe(false);
	});
});

test('uninstall without an install touches nothing', async () => {
	const result = await uninstallNative(contextFor('linux'));
	expect(result).toEqual({removed: [], kept: [], registryCommands: [], hadInstall: false});
	expect(await tree()).toEqual([]);
});
