/** Screenshots from either browser in tests/e2e/artifacts/ (git-ignored), named after the engine: on purpose, and of a failed test's pages. */
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {onTestFailed} from 'vitest';
import {e2eArtifacts} from '../artifacts.ts';
import type {EngineName} from './differences.ts';
import type {E2ePage} from './driver.ts';

/** Saves tests/e2e/artifacts/<engine>-<name>.png; returns its path. */
export async function saveEngineScreenshot(engine: EngineName, page: E2ePage, name: string, options: {fullPage?: boolean} = {}): Promise<string> {
	await mkdir(e2eArtifacts, {recursive: true});
	const file = path.join(e2eArtifacts, `${engine}-${name}.png`);
	if (options.fullPage) {
		// A sticky header would otherwise be drawn where the page was scrolled to.
		await page.evaluate(() => {
			window.scrollTo(0, 0);
		}, undefined);
	}

	await page.screenshot(file, options);
	return file;
}

/** Call at the start of a test: if it fails, each page still open is saved as `<engine>-failed-<test name>-<n>.png`. */
export function engineScreenshotsOnFailure(engine: EngineName, pages: () => Array<E2ePage | undefined>): void {
	onTestFailed(async ({task}) => {
		const slug = task.name.replaceAll(/[^\w-]+/g, '-').slice(0, 80);
		let index = 0;
		for (const page of pages()) {
			if (page && !page.isClosed()) {
				index++;
				await saveEngineScreenshot(engine, page, `failed-${slug}-${index}`, {fullPage: true}).catch((error: unknown) => {
					console.error(`could not save a screenshot of the failed test: ${String(error)}`);
				});
			}
		}
	});
}
