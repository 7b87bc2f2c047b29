/**
 * Debian's Chromium, driven by playwright-core, with the built extension loaded (no browser download).
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {chromium, type BrowserContext, type Worker} from 'playwright-core';
import {repoRoot} from '../../sandbox/paths.ts';
import {recordPages, type PageRecorder} from './page-recorder.ts';

/**
 * The e2e build (`npm run build:e2e`, WXT's mode `e2e`): the production build's code with the test marker and open
 * shadow roots (lib/test-build.ts), which the tests need to find and drive the composer and the card.
 */
export const extensionPath = path.join(repoRoot, '.output/chrome-mv3-e2e');

export type ExtensionBrowser = {
	context: BrowserContext;
	extensionId: string;
	serviceWorker: Worker;
	/** Each page's console and requests, for the report of a failed test. */
	recorder: PageRecorder;
	close(): Promise<void>;
};

export type LaunchOptions = {
	/** Host names Chromium resolves to a loopback port (port 443 of the name goes there), e.g. the TLS front. */
	hostMap?: Record<string, number>;
	/** Public-key hashes of certificates to trust (the TLS front's `spkiHash`). */
	trustedKeys?: string[];
	/**
	 * The profile folder. Given, it is kept on close, so a second launch on it is the same browser restarted
	 * (extension storage included); otherwise a fresh temporary one, removed on close.
	 */
	userDataDir?: string;
	/** The pages' time zone (IANA), e.g. 'Europe/Berlin'; the machine's by default. */
	timezoneId?: string;
	/** Another build folder of the extension; the Chrome e2e build in .output/ by default. */
	extensionPath?: string;
};

export async function launchWithExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
	const userDataDir = options.userDataDir ?? await mkdtemp(path.join(os.tmpdir(), 'pmi-chromium-'));
	const extension = options.extensionPath ?? extensionPath;
	const rules = Object.entries(options.hostMap ?? {}).map(([host, port]) => `MAP ${host}:443 127.0.0.1:${port}`);
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: '/usr/bin/chromium',
		headless: true,
		...(options.timezoneId ? {timezoneId: options.timezoneId} : {}),
		args: [
			`--disable-extensions-except=${extension}`,
			`--load-extension=${extension}`,
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			// This machine's network is closed: background connections only fail, many at a time.
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			...(rules.length > 0 ? [`--host-resolver-rules=${rules.join(',')}`] : []),
			...(options.trustedKeys?.length ? [`--ignore-certificate-errors-spki-list=${options.trustedKeys.join(',')}`] : []),
		],
	});
	const recorder = recordPages(context);
	const serviceWorker = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker');
	const extensionId = new URL(serviceWorker.url()).host;
	return {
		context,
		extensionId,
		serviceWorker,
		recorder,
		async close() {
			await context.close();
			if (!options.userDataDir) {
				await rm(userDataDir, {recursive: true, force: true});
			}
		},
	};
}
