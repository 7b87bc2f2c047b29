/**
 * `install-native` and `uninstall-native`: write the launcher and each browser's host manifest, and remember
 * exactly what was written (a receipt beside the launcher), so that uninstalling removes those files and the
 * folders it made, nothing else, and leaves a file alone that someone changed since.
 */
import {createHash} from 'node:crypto';
import {chmod, mkdir, readFile, rmdir, unlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {
	hostManifest, launcherPath, launcherScript, manifestLocation, registryAddCommand, registryDeleteCommand, type Browser, type LocationContext, type ManifestLocation,
} from './locations.ts';

type Receipt = {
	files: Array<{path: string; sha256: string}>;
	/** Folders install-native created, removed again when empty. */
	folders: string[];
	/** Windows registry keys the printed commands set. */
	registryKeys: string[];
};

function receiptPath(context: LocationContext): string {
	return path.join(path.dirname(launcherPath(context)), 'installed.json');
}

function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

async function readReceipt(context: LocationContext): Promise<Receipt | undefined> {
	try {
		return JSON.parse(await readFile(receiptPath(context), 'utf8')) as Receipt;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw error;
	}
}

export type InstallRequest = {
	context: LocationContext;
	browsers: readonly Browser[];
	userDataDir?: string | undefined;
	/** Node, its flags and the relay's script: what the launcher runs. */
	command: string[];
};

export type InstallResult = {
	launcher: string;
	manifests: ManifestLocation[];
	/** Windows: the `reg add` commands to run; empty elsewhere. */
	registryCommands: string[];
};

/**
 * Writes the launcher and the manifests, and adds them to the receipt. Running it again rewrites the same
 * files (say, after the package moved); a second profile's --user-data-dir adds its manifest.
 * @throws for a browser/--user-data-dir combination no browser reads (see manifestLocation)
 */
export async function installNative(request: InstallRequest): Promise<InstallResult> {
	const {context} = request;
	const locations = request.browsers.map(browser => manifestLocation(browser, context, request.userDataDir));
	const launcher = launcherPath(context);
	const receipt: Receipt = await readReceipt(context) ?? {files: [], folders: [], registryKeys: []};

	const write = async (file: string, text: string, mode: number): Promise<void> => {
		// mkdir names the topmost folder it made; every folder from there down to the file's is new too.
		const created = await mkdir(path.dirname(file), {recursive: true});
		for (let folder = path.dirname(file); created !== undefined && folder.startsWith(created); folder = path.dirname(folder)) {
			if (!receipt.folders.includes(folder)) {
				receipt.folders.push(folder);
			}
		}

		await writeFile(file, text, {mode});
		// writeFile's mode applies only to a new file.
		await chmod(file, mode);
		receipt.files = [...receipt.files.filter(entry => entry.path !== file), {path: file, sha256: sha256(text)}];
	};

	await write(launcher, launcherScript(context.platform, request.command), 0o755);
	for (const location of locations) {
		await write(location.file, JSON.stringify(hostManifest(location.family, launcher), undefined, 2) + '\n', 0o644);
		if (location.registryKey && !receipt.registryKeys.includes(location.registryKey)) {
			receipt.registryKeys.push(location.registryKey);
		}
	}

	await writeFile(receiptPath(context), JSON.stringify(receipt, undefined, 2) + '\n', {mode: 0o600});
	return {
		launcher,
		manifests: locations,
		registryCommands: locations.flatMap(location => location.registryKey ? [registryAddCommand(location.registryKey, location.file)] : []),
	};
}

export type UninstallResult = {
	removed: string[];
	/** Files install-native wrote that have changed since: left in place. */
	kept: string[];
	/** Windows: the `reg delete` commands to run; empty elsewhere. */
	registryCommands: string[];
	/** False when there was no receipt: nothing had been installed (from this config folder). */
	hadInstall: boolean;
};

/** Removes what install-native wrote, as its receipt lists it, then the receipt and the folders it made (when empty). */
export async function uninstallNative(context: LocationContext): Promise<UninstallResult> {
	const receipt = await readReceipt(context);
	if (!receipt) {
		return {removed: [], kept: [], registryCommands: [], hadInstall: false};
	}

	const removed: string[] = [];
	const kept: string[] = [];
	for (const entry of receipt.files) {
		let text: string;
		try {
			text = await readFile(entry.path, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
				continue;
			}

			throw error;
		}

		if (sha256(text) === entry.sha256) {
			await unlink(entry.path);
			removed.push(entry.path);
		} else {
			kept.push(entry.path);
		}
	}

	await unlink(receiptPath(context));
	// Deepest first; a folder that still holds something (a kept file, another host's manifest) stays.
	for (const folder of [...receipt.folders].sort((a, b) => b.length - a.length)) {
		await rmdir(folder).catch(() => undefined);
	}

	return {
		removed,
		kept,
		registryCommands: receipt.registryKeys.map(key => registryDeleteCommand(key)),
		hadInstall: true,
	};
}
