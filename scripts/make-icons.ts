/**
 * Renders scripts/icon.svg to the PNG sizes the stores want (16, 32, 48, 96, 128) with Debian's Chromium.
 * Run again after changing the SVG: `npx tsx scripts/make-icons.ts`.
 */
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {chromium} from 'playwright-core';
import {repoRoot} from '../tests/sandbox/paths.ts';

const sizes = [16, 32, 48, 96, 128];
const svg = await readFile(path.join(repoRoot, 'scripts/icon.svg'), 'utf8');
const browser = await chromium.launch({executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking']});
for (const size of sizes) {
	 
	const page = await browser.newPage({viewport: {width: size, height: size}});
	 
	await page.setContent(`<style>html,body{margin:0;background:transparent}svg{width:${size}px;height:${size}px;display:block}</style>${svg}`);
	 
	await page.screenshot({path: path.join(repoRoot, `public/icon/${size}.png`), omitBackground: true});
	 
	await page.close();
}

await browser.close();
