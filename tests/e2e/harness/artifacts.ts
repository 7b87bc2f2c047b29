/** Screenshots the e2e run leaves in tests/e2e/artifacts/ (git-ignored): on purpose, and of the page a test failed on. */
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import type {Page} from 'playwright-core';
import {onTestFailed} from 'vitest';
import {repoRoot} from '../../sandbox/paths.ts';

export const e2eArtifacts = path.join(repoRoot, 'tests/e2e/artifacts');

/** Saves a PNG of the page (the viewport, or the whole page) as tests/e2e/artifacts/<name>.png; returns its path. */
export async function saveScreenshot(page: Page, name: string, options: {fullPage?: boolean} = {}): Promise<string> {
	await mkdir(e2eArtifacts, {recursive: true});
	const file = path.join(e2eArtifacts, `${name}.png`);
	if (options.fullPage) {
		// A sticky header would otherwise be drawn where the page was scrolled to.
		await page.evaluate(() => {
			window.scrollTo(0, 0);
		});
	}

	await page.screenshot({path: file, fullPage: options.fullPage ?? false, animations: 'disabled'});
	return file;
}

/**
 * Call at the start of a test: if it fails, each page `pages()` returns then (still open) is saved as
 * `failed-<test name>-<n>.png`, so that the failure can be seen and not only read.
 */
export function screenshotOnFailure(pages: () => Array<Page | undefined>): void {
	onTestFailed(async ({task}) => {
		const slug = task.name.replaceAll(/[^\w-]+/g, '-').slice(0, 80);
		let index = 0;
		for (const page of pages()) {
			if (page && !page.isClosed()) {
				index++;
				await saveScreenshot(page, `failed-${slug}-${index}`, {fullPage: true}).catch((error: unknown) => {
					console.error(`could not save a screenshot of the failed test: ${String(error)}`);
				});
			}
		}
	});
}
