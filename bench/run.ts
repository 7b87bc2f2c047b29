/**
 * `npm run bench`: runs every benchmark in this folder, one after the other, and prints their figures.
 * A benchmark is a module exporting `name` and `run(): Promise<void>` that prints its own table.
 */
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

type Benchmark = {name: string; run(): Promise<void>};

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(here)).filter(file => file.endsWith('.bench.ts')).sort();
for (const file of files) {
	const benchmark = (await import(path.join(here, file))) as Benchmark;
	if (only.length > 0 && !only.some(word => file.includes(word))) {
		continue;
	}

	console.log(`\n== ${benchmark.name} (${file})`);
	await benchmark.run();
}
