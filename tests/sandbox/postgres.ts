/**
 * Debian's PostgreSQL (scripts/debian-packages.txt: postgresql) on loopback, in a fresh folder: the agent's shared
 * state for the many-mailbox tests and the bench. `initdb` refuses to run as root, so as root (CI) the cluster
 * belongs to the `postgres` user the package creates; otherwise to whoever runs the tests. Trust authentication on
 * 127.0.0.1 only, fsync off: it is thrown away with the test.
 */
import {execFile} from 'node:child_process';
import {chown, mkdtemp, readdir, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {startServer, type ServerProcess} from './child.ts';
import {startOnFreePorts, waitForOwnListener} from './ports.ts';

const run = promisify(execFile);

export type SandboxPostgres = {
	/** `postgres://postgres@127.0.0.1:PORT/postgres` */
	url: string;
	stop(): Promise<void>;
};

/** The newest installed server's bin folder (`/usr/lib/postgresql/15/bin` on Debian 12). */
async function binFolder(): Promise<string> {
	const versions = (await readdir('/usr/lib/postgresql').catch((): string[] => [])).filter(name => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
	if (!versions[0]) {
		throw new Error('PostgreSQL is not installed (apt-get install postgresql; see scripts/debian-packages.txt)');
	}

	return path.join('/usr/lib/postgresql', versions[0], 'bin');
}

/** The command line as the cluster's owner: `runuser -u postgres --` when we are root. */
function asOwner(command: string, args: string[]): [string, string[]] {
	return os.userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/** Starts a cluster in a fresh folder of its own (its owner must reach it, so not inside a root-only temp folder). */
export async function startPostgres(options: {verbose?: boolean | undefined} = {}): Promise<SandboxPostgres> {
	const bin = await binFolder();
	const folder = await mkdtemp(path.join(os.tmpdir(), 'pmi-postgres-'));
	const data = path.join(folder, 'data');
	if (os.userInfo().uid === 0) {
		const {stdout} = await run('id', ['-u', 'postgres']);
		const {stdout: group} = await run('id', ['-g', 'postgres']);
		await chown(folder, Number(stdout.trim()), Number(group.trim()));
	}

	const [initdb, initArgs] = asOwner(path.join(bin, 'initdb'), ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync', '--encoding=UTF8', '--locale=C']);
	await run(initdb, initArgs, {cwd: folder});
	const {server, port} = await startOnFreePorts([undefined], async ([port]) => {
		const [command, args] = asOwner(path.join(bin, 'postgres'), [
			'-D', data, '-p', String(port), '-k', folder,
			'-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200',
		]);
		const started: ServerProcess = startServer('postgres', command, args, {cwd: folder, logFile: path.join(folder, 'postgres.log'), verbose: options.verbose});
		await waitForOwnListener(started, port!, 'PostgreSQL');
		return {server: started, port: port!};
	});
	// Listening comes before accepting: the server answers "starting up" until recovery is done.
	for (let attempt = 0; ; attempt++) {
		try {
			await run(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres']);
			break;
		} catch (error) {
			if (attempt >= 100) {
				await server.stop();
				await rm(folder, {recursive: true, force: true});
				throw new Error(`PostgreSQL did not accept connections: ${String(error)}`);
			}

			await new Promise(resolve => {
				setTimeout(resolve, 100);
			});
		}
	}

	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		async stop() {
			await server.stop();
			await rm(folder, {recursive: true, force: true});
		},
	};
}
