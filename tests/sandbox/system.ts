/** Makes sure the Debian packages and the vmail user the sandbox needs are there (installing them when root). */
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import {repoRoot} from './paths.ts';

const run = promisify(execFile);

export async function ensureSystemDependencies(): Promise<void> {
	const script = path.join(repoRoot, 'scripts/install-system-deps.sh');
	try {
		await run('bash', [script], {maxBuffer: 64 * 1024 * 1024});
	} catch (error) {
		const stderr = (error as {stderr?: string}).stderr ?? '';
		throw new Error(`The sandbox cannot start: ${stderr.trim() || String(error)}`);
	}
}
