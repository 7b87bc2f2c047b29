/** Writing a command's result files into its `--out DIR`, the same way for every `pmi` command that has one. */
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes each `[name, content]` into `dir` (created if missing) and returns the written paths, in order; on a
 * failure prints `pmi <command>: cannot write to DIR: …` and returns undefined (the command then exits 1).
 */
export async function writeOutputFiles(command: string, dir: string, files: Array<[name: string, content: string]>): Promise<string[] | undefined> {
	const written = files.map(([name]) => path.join(dir, name));
	try {
		await mkdir(dir, {recursive: true});
		for (const [index, [, content]] of files.entries()) {
			await writeFile(written[index]!, content);
		}
	} catch (error) {
		console.error(`pmi ${command}: cannot write to ${dir}: ${error instanceof Error ? error.message : String(error)}`);
		return undefined;
	}

	return written;
}
