/**
 * `install-native [--browser chrome|chromium|firefox|all] [--user-data-dir DIR]` and `uninstall-native`:
 * let the browser start this relay itself (native messaging). The work is in native/install.ts.
 */
import {realpathSync} from 'node:fs';
import os from 'node:os';
import {parseArgs} from 'node:util';
import {defaultConfigDir} from '../auth.ts';
import {installNative, uninstallNative} from '../native/install.ts';
import {browsers, type Browser, type HostPlatform, type LocationContext} from '../native/locations.ts';
import type {CommandIo} from './io.ts';

function locationContext(io: CommandIo): LocationContext {
	const {platform} = process;
	if (platform !== 'linux' && platform !== 'darwin' && platform !== 'win32') {
		throw new Error(`Native messaging is set up for Linux, macOS and Windows; this is ${platform}`);
	}

	return {platform: platform satisfies HostPlatform, home: os.homedir(), env: io.env, configDir: defaultConfigDir(io.env)};
}

function browsersFrom(value: string): Browser[] {
	if (value === 'all') {
		return [...browsers];
	}

	if (!(browsers as readonly string[]).includes(value)) {
		throw new Error(`--browser must be one of ${browsers.join(', ')} or all, got ${value}`);
	}

	return [value as Browser];
}

/** What the launcher runs: this very Node with its flags (tsx's, in a checkout) and this very script. */
function currentCommand(): string[] {
	const script = process.argv[1];
	if (!script) {
		throw new Error('Cannot tell which script is running');
	}

	return [process.execPath, ...process.execArgv, realpathSync(script)];
}

export async function installNativeCommand(argv: string[], io: CommandIo): Promise<number> {
	const {values} = parseArgs({
		args: argv,
		options: {browser: {type: 'string', default: 'all'}, 'user-data-dir': {type: 'string'}},
		strict: true,
	});
	const userDataDir = values['user-data-dir'];
	const chosen = browsersFrom(values.browser);
	// "all" with a profile folder means the browsers that have such folders.
	const targets = userDataDir !== undefined && values.browser === 'all' ? chosen.filter(browser => browser !== 'firefox') : chosen;
	const result = await installNative({context: locationContext(io), browsers: targets, userDataDir, command: currentCommand()});
	io.out(`Launcher: ${result.launcher}`);
	for (const manifest of result.manifests) {
		io.out(`${manifest.browser}: ${manifest.file}`);
	}

	if (result.registryCommands.length > 0) {
		io.out('Windows finds the manifests through the registry. Run these in a Command Prompt:');
		for (const command of result.registryCommands) {
			io.out(`  ${command}`);
		}
	}

	io.out('Done. In the extension\'s options, choose "Started by the browser" and allow it.');
	return 0;
}

export async function uninstallNativeCommand(argv: string[], io: CommandIo): Promise<number> {
	parseArgs({args: argv, options: {}, strict: true});
	const result = await uninstallNative(locationContext(io));
	if (!result.hadInstall) {
		io.out('Nothing to remove: install-native has not run with this configuration folder.');
		return 0;
	}

	for (const file of result.removed) {
		io.out(`Removed ${file}`);
	}

	for (const file of result.kept) {
		io.err(`Left ${file}: it changed since install-native wrote it`);
	}

	if (result.registryCommands.length > 0) {
		io.out('Also remove the registry entries. Run these in a Command Prompt:');
		for (const command of result.registryCommands) {
			io.out(`  ${command}`);
		}
	}

	return 0;
}
