/**
 * Screenshots of the composer, popup and options page with sample data (ui-gallery.tsx), light and dark, in
 * Debian's Chromium. For looking at the UI without the background or a mailbox:
 * `npx tsx tests/e2e/harness/ui-screenshots.ts [view …]`, pictures in tests/e2e/artifacts/ui/.
 */
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {chromium, type Page} from 'playwright-core';
import {repoRoot} from '../../sandbox/paths.ts';

type Shot = {view: string; width: number; height: number; before?: (page: Page) => Promise<void>};

export const shots: Shot[] = [
	{view: 'composer-idle', width: 1100, height: 900},
	{view: 'composer-repeat', width: 1100, height: 900, async before(page) {
		await page.click('#pmi-composer-when-zone');
		await page.keyboard.type('new');
	}},
	{view: 'composer-errors', width: 1100, height: 900, async before(page) {
		await page.fill('#pmi-composer-summary', '');
		await page.click('.pmi-dialog-buttonpane .pmi-btn-primary');
	}},
	{view: 'composer-sending', width: 1100, height: 900},
	{view: 'composer-failed', width: 1100, height: 900},
	{view: 'composer-sent', width: 1100, height: 600},
	{view: 'composer-setup', width: 1100, height: 900},
	{view: 'popup', width: 400, height: 600},
	{view: 'popup-setup', width: 400, height: 360},
	{view: 'popup-checking', width: 400, height: 600},
	{view: 'popup-error', width: 400, height: 600},
	{view: 'options', width: 900, height: 1500},
	{view: 'options-advanced', width: 900, height: 1500, async before(page) {
		await page.click('.pmi-advanced > summary');
		await page.click('#pmi-options-password + button');
	}},
];

export const artifactsDir = path.join(repoRoot, 'tests/e2e/artifacts/ui');

/** Bundles the gallery page into a temporary folder; returns its URL. */
async function buildGallery(): Promise<{url: string; dispose(): Promise<void>}> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'pmi-gallery-'));
	await build({
		entryPoints: [path.join(repoRoot, 'tests/e2e/harness/ui-gallery.tsx')],
		bundle: true,
		outdir: dir,
		entryNames: 'gallery',
		// A classic script: Chromium refuses module scripts from file:// URLs.
		format: 'iife',
		target: 'chrome120',
		jsx: 'automatic',
		jsxImportSource: 'preact',
		tsconfig: path.join(repoRoot, 'tsconfig.json'),
		logLevel: 'warning',
	});
	await writeFile(path.join(dir, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="gallery.css"></head><body style="margin:0"><div id="app"></div><script src="gallery.js"></script></body></html>');
	return {
		url: pathToFileURL(path.join(dir, 'index.html')).href,
		async dispose() {
			await rm(dir, {recursive: true, force: true});
		},
	};
}

/** Takes the shots (all, or the named views) and returns the files written. */
export async function takeScreenshots(views?: string[]): Promise<string[]> {
	const gallery = await buildGallery();
	const browser = await chromium.launch({executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu']});
	const written: string[] = [];
	try {
		await mkdir(artifactsDir, {recursive: true});
		for (const shot of shots.filter(item => !views || views.length === 0 || views.includes(item.view))) {
			for (const theme of ['light', 'dark'] as const) {
				const page = await browser.newPage({viewport: {width: shot.width, height: shot.height}, colorScheme: theme, locale: 'en-GB', timezoneId: 'Europe/Berlin'});
				page.on('pageerror', error => {
					console.error(`${shot.view}: ${error.message}`);
				});
				await page.goto(`${gallery.url}?view=${shot.view}&theme=${theme}`);
				await page.waitForSelector('.pmi', {state: 'attached'});
				await shot.before?.(page);
				await page.waitForTimeout(150);
				const file = path.join(artifactsDir, `${shot.view}-${theme}.png`);
				await page.screenshot({path: file, fullPage: shot.view.startsWith('options')});
				await page.close();
				written.push(file);
			}
		}
	} finally {
		await browser.close();
		await gallery.dispose();
	}

	return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const files = await takeScreenshots(process.argv.slice(2));
	console.log(files.join('\n'));
}
