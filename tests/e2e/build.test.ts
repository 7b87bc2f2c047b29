/**
 * The built extension (npm run build): both browsers' manifests ask for no more than the product needs, and the
 * production builds carry no test marker or hook while the e2e builds (npm run build:e2e) do (issue 12).
 */
import {execFile} from 'node:child_process';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, test} from 'vitest';
import {chromeManifestKey, geckoExtensionId} from '../../lib/extension-identity.ts';
import {repoRoot} from '../sandbox/paths.ts';

const run = promisify(execFile);

/** Least privilege: the only permissions and host permissions the extension may hold (issue 2). */
const allowedPermissions = ['storage', 'alarms', 'notifications'];
const allowedHosts = [
	'https://purelymail.com/*', // CalDAV
	'https://inbox.purelymail.com/*', // webmail
	'https://purelymail.com/webmail/*', // webmail
	'http://127.0.0.1/*', // the companion relay on the user's machine
	'http://localhost/*', // the same
];

/**
 * Asked for at run time, only when the user adds another webmail or relay origin in options, or picks the relay
 * that the browser starts itself (nativeMessaging).
 */
const allowedOptional = ['scripting', 'nativeMessaging', 'https://*/*', 'http://*/*'];

type Manifest = {
	manifest_version: number;
	name: string;
	permissions?: string[];
	host_permissions?: string[];
	optional_permissions?: string[];
	optional_host_permissions?: string[];
	icons?: Record<string, string>;
	key?: string;
	browser_specific_settings?: {gecko?: {id?: string}};
};

async function readManifest(folder: string): Promise<Manifest> {
	return JSON.parse(await readFile(path.join(repoRoot, '.output', folder, 'manifest.json'), 'utf8')) as Manifest;
}

describe.each([
	{folder: 'chrome-mv3', version: 3},
	{folder: 'firefox-mv2', version: 2},
])('the $folder build', ({folder, version}) => {
	test('is named and versioned', async () => {
		const manifest = await readManifest(folder);
		expect(manifest.name).toBe('Purelymail Invites');
		expect(manifest.manifest_version).toBe(version);
	});

	test('asks for no permission beyond the allowed list', async () => {
		const manifest = await readManifest(folder);
		// Firefox MV2 lists host permissions among permissions.
		const granted = [...manifest.permissions ?? [], ...manifest.host_permissions ?? []];
		expect(granted.filter(permission => !allowedPermissions.includes(permission) && !allowedHosts.includes(permission))).toEqual([]);
		expect(granted).not.toContain('<all_urls>');
		expect(granted).not.toContain('tabs');
		expect(granted).toEqual(expect.arrayContaining([...allowedPermissions, ...allowedHosts]));
	});

	test('asks at run time only for what adding another webmail needs', async () => {
		const manifest = await readManifest(folder);
		const optional = [...manifest.optional_permissions ?? [], ...manifest.optional_host_permissions ?? []];
		expect(optional.filter(permission => !allowedOptional.includes(permission))).toEqual([]);
	});

	test('has icons at the sizes stores want', async () => {
		const manifest = await readManifest(folder);
		expect(Object.keys(manifest.icons ?? {}).sort((a, b) => Number(a) - Number(b))).toEqual(['16', '32', '48', '96', '128']);
	});
});

test('both builds carry the fixed extension identity the relay\'s host manifest names', async () => {
	expect((await readManifest('chrome-mv3')).key).toBe(chromeManifestKey);
	expect((await readManifest('firefox-mv2')).key).toBeUndefined();
	expect((await readManifest('firefox-mv2')).browser_specific_settings?.gecko?.id).toBe(geckoExtensionId);
});

test('the Firefox build passes web-ext lint with no errors', async () => {
	const {stdout} = await run('npx', ['web-ext', 'lint', '--source-dir', path.join(repoRoot, '.output/firefox-mv2'), '--output', 'json', '--no-config-discovery'], {
		cwd: repoRoot, maxBuffer: 16 * 1024 * 1024,
	}).catch((error: {stdout?: string}) => ({stdout: error.stdout ?? ''}));
	const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {errors: Array<{code: string; message: string}>};
	expect(report.errors).toEqual([]);
});

/** The webmail content script of a build folder, as shipped. */
async function contentScript(folder: string): Promise<string> {
	return readFile(path.join(repoRoot, '.output', folder, 'content-scripts/purelymail.js'), 'utf8');
}

/** Every script of a build folder, by file. */
async function scripts(folder: string): Promise<Map<string, string>> {
	const root = path.join(repoRoot, '.output', folder);
	const files = (await readdir(root, {recursive: true})).filter(file => file.endsWith('.js'));
	return new Map(await Promise.all(files.map(async file => [file, await readFile(path.join(root, file), 'utf8')] as const)));
}

/**
 * The mode each of our shadow roots is created with, read from the bundle: `createShadowRootUi(ctx, {name:
 * 'purelymail-invites-composer', mode: …})`, the mode written as a string or as a (minified) constant, followed to
 * its value.
 */
function shadowRootModes(code: string): Record<string, string | undefined> {
	const modes: Record<string, string | undefined> = {};
	for (const [, name, mode] of code.matchAll(/["']purelymail-invites-([a-z]+)["'],\s*mode:\s*([\w$]+|["'][a-z]+["'])/g)) {
		modes[name!] = /^["']/.test(mode!)
			? mode!.slice(1, -1)
			: new RegExp(`[\\s,;{(]${mode!.replaceAll('$', '\\$')}\\s*=\\s*["']([a-z]+)["']`).exec(code)?.[1];
	}

	return modes;
}

/** The e2e build's marker element: `<meta name="purelymail-invites">` (entrypoints/purelymail.content/test-marker.ts). */
const testMarker = /["']purelymail-invites["']/;

describe.each([
	{production: 'chrome-mv3', e2e: 'chrome-mv3-e2e'},
	{production: 'firefox-mv2', e2e: 'firefox-mv2-e2e'},
])('the $production build against its e2e build', ({production, e2e}) => {
	test('the test marker and the e2e mode exist in the e2e build only', async () => {
		expect(await contentScript(e2e)).toMatch(testMarker);
		expect(await contentScript(production)).not.toMatch(testMarker);
		// The mode's name is gone from every production script: each branch that read it was dropped.
		const withMode = [...await scripts(production)].filter(([, code]) => /["']e2e["']/.test(code)).map(([file]) => file);
		expect(withMode).toEqual([]);
	});

	test('the composer and the invitation card are created in closed shadow roots, open only in the e2e build', async () => {
		expect(shadowRootModes(await contentScript(production))).toEqual({composer: 'closed', card: 'closed'});
		expect(shadowRootModes(await contentScript(e2e))).toEqual({composer: 'open', card: 'open'});
	});
});
