/**
 * Where each browser looks for a native-messaging host manifest, and what that manifest says. Pure: the
 * platform, home folder and environment are parameters, so every OS is tested on any OS.
 *
 * Sources: Chrome's "Native messaging" guide (native-messaging-host-location) and MDN's "Native manifests"
 * (manifest location): Linux and macOS read per-user folders; Windows reads a registry key whose default
 * value is the manifest's path. With --user-data-dir, Chrome and Chromium on Linux and macOS also read
 * `<user-data-dir>/NativeMessagingHosts`.
 */
import path from 'node:path';
import {chromeExtensionIds, geckoExtensionId, nativeHostName} from '../../lib/extension-identity.ts';

export const browsers = ['chrome', 'chromium', 'firefox'] as const;
export type Browser = typeof browsers[number];

/** Chrome and Chromium read the same manifest; Firefox names extensions differently. */
export type ManifestFamily = 'chromium' | 'firefox';

export function familyOf(browser: Browser): ManifestFamily {
	return browser === 'firefox' ? 'firefox' : 'chromium';
}

export type HostPlatform = 'linux' | 'darwin' | 'win32';

export type LocationContext = {
	platform: HostPlatform;
	home: string;
	env: NodeJS.ProcessEnv;
	/** Where the relay keeps its own files (the token, the launcher, Windows manifests). */
	configDir: string;
};

/** Where one browser's manifest goes: a file, and on Windows the registry key that points at it. */
export type ManifestLocation = {
	browser: Browser;
	family: ManifestFamily;
	file: string;
	/** Windows only: HKCU key whose default value must be `file`. */
	registryKey?: string;
};

function pathFor(platform: HostPlatform): path.PlatformPath {
	return platform === 'win32' ? path.win32 : path.posix;
}

const manifestFileName = `${nativeHostName}.json`;

/** The per-user folder a browser reads host manifests from (Linux and macOS). */
function userFolder(browser: Browser, context: LocationContext): string {
	const {join} = pathFor(context.platform);
	if (context.platform === 'darwin') {
		const support = join(context.home, 'Library', 'Application Support');
		return {
			chrome: join(support, 'Google', 'Chrome', 'NativeMessagingHosts'),
			chromium: join(support, 'Chromium', 'NativeMessagingHosts'),
			firefox: join(support, 'Mozilla', 'NativeMessagingHosts'),
		}[browser];
	}

	// Chrome and Chromium keep their profiles under $XDG_CONFIG_HOME (~/.config by default); Firefox does not.
	const config = context.env.XDG_CONFIG_HOME || join(context.home, '.config');
	return {
		chrome: join(config, 'google-chrome', 'NativeMessagingHosts'),
		chromium: join(config, 'chromium', 'NativeMessagingHosts'),
		firefox: join(context.home, '.mozilla', 'native-messaging-hosts'),
	}[browser];
}

const windowsRegistryRoots: Record<Browser, string> = {
	chrome: String.raw`HKCU\Software\Google\Chrome\NativeMessagingHosts`,
	chromium: String.raw`HKCU\Software\Chromium\NativeMessagingHosts`,
	firefox: String.raw`HKCU\Software\Mozilla\NativeMessagingHosts`,
};

/**
 * Where the manifest for `browser` goes.
 * @param userDataDir a Chrome/Chromium profile folder (--user-data-dir): the manifest goes inside it instead
 * @throws {Error} for --user-data-dir with Firefox, or on Windows (which reads only the registry)
 */
export function manifestLocation(browser: Browser, context: LocationContext, userDataDir?: string): ManifestLocation {
	const {join} = pathFor(context.platform);
	const family = familyOf(browser);
	if (userDataDir !== undefined) {
		if (family === 'firefox') {
			throw new Error('--user-data-dir is for Chrome and Chromium; Firefox reads host manifests from one place per user');
		}

		if (context.platform === 'win32') {
			throw new Error('On Windows, browsers find hosts through the registry only; leave out --user-data-dir');
		}

		return {browser, family, file: join(userDataDir, 'NativeMessagingHosts', manifestFileName)};
	}

	if (context.platform === 'win32') {
		// Anywhere will do, since the registry names it; one file per family, beside the launcher.
		return {
			browser,
			family,
			file: join(context.configDir, 'native-messaging', `${nativeHostName}.${family}.json`),
			registryKey: `${windowsRegistryRoots[browser]}\\${nativeHostName}`,
		};
	}

	return {browser, family, file: join(userFolder(browser, context), manifestFileName)};
}

/** The script the manifest's `path` names: it starts `<node> <the relay> native`. */
export function launcherPath(context: LocationContext): string {
	const {join} = pathFor(context.platform);
	return join(context.configDir, 'native-messaging', context.platform === 'win32' ? `${nativeHostName}.bat` : nativeHostName);
}

export type HostManifest = {
	name: string;
	description: string;
	path: string;
	type: 'stdio';
	allowed_origins?: string[];
	allowed_extensions?: string[];
};

/** The manifest for one family: Chrome lists allowed extension origins, Firefox allowed extension IDs. */
export function hostManifest(family: ManifestFamily, launcher: string): HostManifest {
	const common = {name: nativeHostName, description: 'Purelymail Invites relay (sends invitations, fetches replies)', path: launcher, type: 'stdio' as const};
	return family === 'firefox'
		? {...common, allowed_extensions: [geckoExtensionId]}
		: {...common, allowed_origins: chromeExtensionIds.map(id => `chrome-extension://${id}/`)};
}

/** Single-quotes a word for sh (a quote inside becomes '\''). */
function shellQuote(word: string): string {
	return `'${word.replaceAll('\'', String.raw`'\''`)}'`;
}

/**
 * The launcher's text. It runs the same Node and relay script that ran install-native (with the same Node flags,
 * so a checkout run through tsx works too): a browser started from the desktop may not have Node on its PATH.
 * @param command the Node executable, its flags and the relay's script, in order
 */
export function launcherScript(platform: HostPlatform, command: string[]): string {
	if (platform === 'win32') {
		const quoted = command.map(word => `"${word}"`).join(' ');
		return `@echo off\r\nrem Written by purelymail-invites-relay install-native; removed by uninstall-native.\r\n${quoted} native %*\r\n`;
	}

	return `#!/bin/sh\n# Written by purelymail-invites-relay install-native; removed by uninstall-native.\nexec ${command.map(shellQuote).join(' ')} native "$@"\n`;
}

/** The command that points Windows browsers at a manifest. */
export function registryAddCommand(key: string, file: string): string {
	return `reg add "${key}" /ve /t REG_SZ /d "${file}" /f`;
}

/** The command that removes that pointer again. */
export function registryDeleteCommand(key: string): string {
	return `reg delete "${key}" /f`;
}
