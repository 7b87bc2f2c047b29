import {createHash, createPublicKey} from 'node:crypto';
import {describe, expect, test} from 'vitest';
import {chromeExtensionIds, chromeManifestKey, geckoExtensionId, nativeHostName, unpackedChromeExtensionId} from '../../../lib/extension-identity.ts';
import {
	hostManifest, launcherPath, launcherScript, manifestLocation, registryAddCommand, registryDeleteCommand, type LocationContext,
} from '../../../relay/native/locations.ts';

const linux: LocationContext = {platform: 'linux', home: '/home/ada', env: {}, configDir: '/home/ada/.config/purelymail-invites'};
const mac: LocationContext = {platform: 'darwin', home: '/Users/ada', env: {}, configDir: '/Users/ada/.config/purelymail-invites'};
const windows: LocationContext = {platform: 'win32', home: String.raw`C:\Users\ada`, env: {}, configDir: String.raw`C:\Users\ada\.config\purelymail-invites`};

describe('the extension identity', () => {
	test('the unpacked ID is the one Chrome derives from the manifest key (SHA-256 of the key, first 32 hex digits as a-p)', () => {
		const der = Buffer.from(chromeManifestKey, 'base64');
		// A real RSA public key, or Chrome refuses to load the extension.
		expect(createPublicKey({key: der, format: 'der', type: 'spki'}).asymmetricKeyType).toBe('rsa');
		const hex = createHash('sha256').update(der).digest('hex').slice(0, 32);
		const id = [...hex].map(digit => String.fromCharCode('a'.charCodeAt(0) + Number.parseInt(digit, 16))).join('');
		expect(id).toBe(unpackedChromeExtensionId);
		expect(chromeExtensionIds).toContain(id);
	});

	test('the host name is one Chrome and Firefox accept', () => {
		expect(nativeHostName).toMatch(/^[a-z\d_]+(?:\.[a-z\d_]+)*$/);
	});
});

describe('Linux', () => {
	test.each([
		['chrome', '/home/ada/.config/google-chrome/NativeMessagingHosts/purelymail_invites_relay.json'],
		['chromium', '/home/ada/.config/chromium/NativeMessagingHosts/purelymail_invites_relay.json'],
		['firefox', '/home/ada/.mozilla/native-messaging-hosts/purelymail_invites_relay.json'],
	] as const)('%s reads %s', (browser, file) => {
		expect(manifestLocation(browser, linux)).toEqual({browser, family: browser === 'firefox' ? 'firefox' : 'chromium', file});
	});

	test('Chrome and Chromium follow XDG_CONFIG_HOME; Firefox does not', () => {
		const context = {...linux, env: {XDG_CONFIG_HOME: '/cfg'}};
		expect(manifestLocation('chromium', context).file).toBe('/cfg/chromium/NativeMessagingHosts/purelymail_invites_relay.json');
		expect(manifestLocation('chrome', context).file).toBe('/cfg/google-chrome/NativeMessagingHosts/purelymail_invites_relay.json');
		expect(manifestLocation('firefox', context).file).toBe('/home/ada/.mozilla/native-messaging-hosts/purelymail_invites_relay.json');
	});

	test('--user-data-dir puts the manifest inside the profile folder', () => {
		expect(manifestLocation('chromium', linux, '/tmp/profile').file).toBe('/tmp/profile/NativeMessagingHosts/purelymail_invites_relay.json');
	});

	test('--user-data-dir with Firefox is refused', () => {
		expect(() => manifestLocation('firefox', linux, '/tmp/profile')).toThrow(/Chrome and Chromium/);
	});

	test('the launcher runs the given Node and script with `native`, quoted for sh', () => {
		expect(launcherPath(linux)).toBe('/home/ada/.config/purelymail-invites/native-messaging/purelymail_invites_relay');
		const script = launcherScript('linux', ['/usr/bin/node', '/opt/it\'s here/dist/main.js']);
		expect(script.split('\n')[0]).toBe('#!/bin/sh');
		expect(script).toContain(String.raw`exec '/usr/bin/node' '/opt/it'\''s here/dist/main.js' native "$@"`);
	});
});

describe('macOS', () => {
	test.each([
		['chrome', '/Users/ada/Library/Application Support/Google/Chrome/NativeMessagingHosts/purelymail_invites_relay.json'],
		['chromium', '/Users/ada/Library/Application Support/Chromium/NativeMessagingHosts/purelymail_invites_relay.json'],
		['firefox', '/Users/ada/Library/Application Support/Mozilla/NativeMessagingHosts/purelymail_invites_relay.json'],
	] as const)('%s reads %s', (browser, file) => {
		expect(manifestLocation(browser, mac).file).toBe(file);
		expect(manifestLocation(browser, mac).registryKey).toBeUndefined();
	});

	test('--user-data-dir works as on Linux', () => {
		expect(manifestLocation('chrome', mac, '/Users/ada/p').file).toBe('/Users/ada/p/NativeMessagingHosts/purelymail_invites_relay.json');
	});
});

describe('Windows', () => {
	test.each([
		['chrome', String.raw`HKCU\Software\Google\Chrome\NativeMessagingHosts\purelymail_invites_relay`, 'chromium'],
		['chromium', String.raw`HKCU\Software\Chromium\NativeMessagingHosts\purelymail_invites_relay`, 'chromium'],
		['firefox', String.raw`HKCU\Software\Mozilla\NativeMessagingHosts\purelymail_invites_relay`, 'firefox'],
	] as const)('%s: a manifest file beside the launcher, named by %s', (browser, key, family) => {
		const location = manifestLocation(browser, windows);
		expect(location.registryKey).toBe(key);
		expect(location.file).toBe(String.raw`C:\Users\ada\.config\purelymail-invites\native-messaging\purelymail_invites_relay.` + family + '.json');
	});

	test('prints reg add and reg delete for the key', () => {
		const location = manifestLocation('chrome', windows);
		expect(registryAddCommand(location.registryKey!, location.file)).toBe(
			String.raw`reg add "HKCU\Software\Google\Chrome\NativeMessagingHosts\purelymail_invites_relay" /ve /t REG_SZ /d "C:\Users\ada\.config\purelymail-invites\native-messaging\purelymail_invites_relay.chromium.json" /f`,
		);
		expect(registryDeleteCommand(location.registryKey!)).toBe(String.raw`reg delete "HKCU\Software\Google\Chrome\NativeMessagingHosts\purelymail_invites_relay" /f`);
	});

	test('--user-data-dir is refused (Windows reads the registry only)', () => {
		expect(() => manifestLocation('chrome', windows, String.raw`C:\p`)).toThrow(/registry/);
	});

	test('the launcher is a .bat that passes the browser\'s arguments on', () => {
		expect(launcherPath(windows)).toBe(String.raw`C:\Users\ada\.config\purelymail-invites\native-messaging\purelymail_invites_relay.bat`);
		const script = launcherScript('win32', [String.raw`C:\Program Files\nodejs\node.exe`, String.raw`C:\npm\main.js`]);
		expect(script).toBe(`@echo off\r\nrem Written by purelymail-invites-relay install-native; removed by uninstall-native.\r\n"C:\\Program Files\\nodejs\\node.exe" "C:\\npm\\main.js" native %*\r\n`);
	});
});

describe('the manifest', () => {
	test('Chrome and Chromium: our extension origins, stdio, the launcher as path', () => {
		expect(hostManifest('chromium', '/x/launcher')).toEqual({
			name: nativeHostName,
			description: expect.any(String) as string,
			path: '/x/launcher',
			type: 'stdio',
			allowed_origins: [`chrome-extension://${unpackedChromeExtensionId}/`],
		});
	});

	test('Firefox: our gecko ID', () => {
		expect(hostManifest('firefox', '/x/launcher')).toEqual({
			name: nativeHostName, description: expect.any(String) as string, path: '/x/launcher', type: 'stdio', allowed_extensions: [geckoExtensionId],
		});
	});
});
