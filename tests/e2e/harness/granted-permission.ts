/**
 * Optional permissions granted to the extension in a Chromium profile, recorded the way Chromium records the
 * user's "Allow" in its permission prompt.
 *
 * Why not click the prompt: `permissions.request` opens a browser dialog that headless Chromium never shows and
 * nothing can answer (the promise stays pending; the DevTools protocol has no command for extension permission
 * prompts, and Playwright's grantPermissions covers web permissions only). What the click does is what this
 * writes: Chromium's PermissionsUpdater adds the permission to the extension's `granted_permissions` (what the
 * user allowed) and `active_permissions` (what the extension holds now) under `extensions.settings.<id>` in the
 * profile's Preferences, and reads both back when the profile starts. Linux Chromium does not enforce the
 * protection MACs on these entries (it rewrites them on start); checked with Debian's Chromium 156.
 * The extension's own code still asks (`permissions.request`): for what is granted already the browser answers
 * yes without a prompt, so the product's path runs unchanged.
 */
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';

type PermissionSet = {api?: string[]; explicit_host?: string[]};
type ExtensionSettings = {granted_permissions?: PermissionSet; active_permissions?: PermissionSet};

/** API permissions (e.g. 'nativeMessaging', 'scripting') and host match patterns (e.g. 'https://mail.example.org/*'). */
export type GrantedPermissions = {api?: string[]; hosts?: string[]};

/**
 * Grants `permissions` to `extensionId` in the profile at `userDataDir`. The browser must be closed (it rewrites
 * Preferences on exit) and must have loaded the extension on this profile once.
 */
export async function grantOptionalPermissions(userDataDir: string, extensionId: string, permissions: GrantedPermissions): Promise<void> {
	const file = path.join(userDataDir, 'Default', 'Preferences');
	const preferences = JSON.parse(await readFile(file, 'utf8')) as {extensions?: {settings?: Record<string, ExtensionSettings>}};
	const settings = preferences.extensions?.settings?.[extensionId];
	if (!settings?.granted_permissions || !settings.active_permissions) {
		throw new Error(`${file} holds no permissions for extension ${extensionId}: launch the browser with it once first`);
	}

	for (const set of [settings.granted_permissions, settings.active_permissions]) {
		set.api = [...new Set([...set.api ?? [], ...permissions.api ?? []])].sort();
		set.explicit_host = [...new Set([...set.explicit_host ?? [], ...permissions.hosts ?? []])].sort();
	}

	await writeFile(file, JSON.stringify(preferences));
}

/** One API permission (see grantOptionalPermissions). */
export async function grantOptionalPermission(userDataDir: string, extensionId: string, permission: string): Promise<void> {
	await grantOptionalPermissions(userDataDir, extensionId, {api: [permission]});
}
