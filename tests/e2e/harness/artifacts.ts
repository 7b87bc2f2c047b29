/**
 * What the e2e run leaves in tests/e2e/artifacts/ (git-ignored): screenshots taken on purpose, and for a failed test
 * a folder with everything needed to see why, without running it again.
 */
import {copyFile, mkdir, readdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {Page} from 'playwright-core';
import {onTestFailed} from 'vitest';
import type {RunningSandbox} from '../../sandbox/index.ts';
import {repoRoot} from '../../sandbox/paths.ts';
import type {PageRecorder} from './page-recorder.ts';
import type {TlsFront} from './tls-front.ts';

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

export type FailureSources = {
	/** The pages the test works in (those still open are kept). */
	pages: () => Array<Page | undefined>;
	/** Each page's console and requests. */
	recorder?: () => PageRecorder | undefined;
	/** Its servers' logs (Roundcube's, php's, Dovecot's, Radicale's), copied from its state folder. */
	sandbox?: () => RunningSandbox | undefined;
	/** The HTTPS front's request log. */
	front?: () => TlsFront | undefined;
};

/** Every log file below the sandbox's state folder (servers write `*.log` files and Roundcube a `logs/` folder). */
async function logFiles(dir: string): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await readdir(dir, {withFileTypes: true, recursive: true})) {
		const full = path.join(entry.parentPath, entry.name);
		if (entry.isFile() && (entry.name.endsWith('.log') || path.basename(entry.parentPath) === 'logs')) {
			found.push(full);
		}
	}

	return found;
}

async function keep(what: string, work: () => Promise<unknown>): Promise<void> {
	await work().catch((error: unknown) => {
		console.error(`could not keep ${what} of the failed test: ${String(error)}`);
	});
}

/**
 * Call at the start of a test: if it fails, tests/e2e/artifacts/failed-<test name>/ gets, for each page still open,
 * a full-page screenshot and a text file with its URL, console and network requests (the pending ones first),
 * and the TLS front's request log and the sandbox servers' logs.
 */
export function keepFailureEvidence(sources: FailureSources): void {
	onTestFailed(async ({task}) => {
		const slug = task.name.replaceAll(/[^\w-]+/g, '-').slice(0, 80);
		const dir = path.join(e2eArtifacts, `failed-${slug}`);
		await mkdir(dir, {recursive: true});
		let index = 0;
		for (const page of sources.pages()) {
			if (page && !page.isClosed()) {
				index++;
				const name = `page-${index}`;
				await keep(`the page ${name}`, async () => {
					await writeFile(path.join(dir, `${name}.txt`), sources.recorder?.()?.describe(page) ?? `URL: ${page.url()}\n`);
				});
				await keep(`a screenshot of ${name}`, async () => {
					await page.screenshot({path: path.join(dir, `${name}.png`), fullPage: true, animations: 'disabled', timeout: 10_000});
				});
			}
		}

		const front = sources.front?.();
		if (front) {
			await keep('the TLS front log', async () => writeFile(path.join(dir, 'tls-front.log'), front.log()));
		}

		const stateDir = sources.sandbox?.()?.stateDir;
		if (stateDir) {
			await keep('the sandbox logs', async () => {
				for (const file of await logFiles(stateDir)) {
					await copyFile(file, path.join(dir, path.relative(stateDir, file).replaceAll('/', '__')));
				}
			});
		}

		console.error(`The failed test's evidence is in ${path.relative(repoRoot, dir)}/`);
	});
}
