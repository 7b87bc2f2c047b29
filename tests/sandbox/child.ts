/** Child server processes that are stopped with the sandbox, or with this process if it exits first. */
import {spawn, type ChildProcess} from 'node:child_process';
import {createWriteStream} from 'node:fs';

export type ServerProcess = {
	name: string;
	child: ChildProcess;
	/** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
	stop(): Promise<void>;
};

const running = new Set<ChildProcess>();
process.once('exit', () => {
	// Last resort when the sandbox's owner dies without calling stop(): leave no server behind.
	for (const child of running) {
		signalGroup(child, 'SIGKILL');
	}
});

/**
 * Signals the child's whole process group: servers such as PHP's (with workers) and Dovecot fork, and a
 * forked worker must not outlive its master.
 */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) {
		return;
	}

	try {
		process.kill(-child.pid, signal);
	} catch {
		// Already gone.
	}
}

export function startServer(name: string, command: string, args: string[], options: {
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	logFile: string;
	verbose?: boolean | undefined;
}): ServerProcess {
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: {...process.env, ...options.env},
		stdio: ['ignore', 'pipe', 'pipe'],
		// Its own process group, so that stop() reaches every process it forks.
		detached: true,
	});
	running.add(child);
	const log = createWriteStream(options.logFile, {flags: 'a'});
	child.stdout?.pipe(log);
	child.stderr?.pipe(log);
	if (options.verbose) {
		child.stdout?.pipe(process.stdout);
		child.stderr?.pipe(process.stderr);
	}

	const exited = new Promise<void>(resolve => {
		child.once('exit', () => {
			running.delete(child);
			resolve();
		});
	});

	return {
		name,
		child,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) {
				return;
			}

			signalGroup(child, 'SIGTERM');
			const timer = setTimeout(() => {
				signalGroup(child, 'SIGKILL');
			}, 5000);
			await exited;
			clearTimeout(timer);
			// Workers that ignored SIGTERM after their master left.
			signalGroup(child, 'SIGKILL');
			log.end();
		},
	};
}
