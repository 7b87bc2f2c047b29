/** Starts the browser the running vitest project tests (vitest.config.ts provides `e2eEngine`), with the built extension. */
import {access} from 'node:fs/promises';
import path from 'node:path';
import {inject} from 'vitest';
import {launchChromium} from './chromium.ts';
import {engines, type EngineName} from './differences.ts';
import type {E2eBrowser, E2eLaunchOptions} from './driver.ts';
import {launchFirefox} from './firefox.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		e2eEngine: EngineName;
	}
}

/** The engine of this vitest project: `e2e` is Chromium, `e2e-firefox` is Firefox. */
export function engineUnderTest(): EngineName {
	return inject('e2eEngine');
}

export async function launchEngine(engine: EngineName, options: E2eLaunchOptions = {}): Promise<E2eBrowser> {
	const build = engines[engine].buildFolder;
	await access(path.join(build, 'manifest.json')).catch(() => {
		throw new Error(`No extension build at ${build}: run npm run build:e2e first (npm test and npm run test:e2e do).`);
	});
	return engine === 'firefox' ? launchFirefox(options) : launchChromium(options);
}
