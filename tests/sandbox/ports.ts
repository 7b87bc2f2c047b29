/**
 * Ports for the sandbox's servers. A port the OS called free a moment ago can be taken before our server binds it
 * (by another sandbox starting beside this one, e.g. a second test process), and then a bare "is the port open?"
 * check passes against the other process's server: tests would talk to a stranger's Roundcube, which vanishes
 * when that process stops. So every server is checked to be the one listening, and started again on another port
 * when it is not.
 */
import {readdir, readFile, readlink} from 'node:fs/promises';
import net from 'node:net';
import type {ServerProcess} from './child.ts';

/** Our server could not have the port: another process holds it. Retried on another port unless the port was fixed. */
export class PortTakenError extends Error {
	constructor(readonly port: number, what: string) {
		super(`${what}: port ${port} is taken by another process`);
		this.name = 'PortTakenError';
	}
}

/** A TCP port on 127.0.0.1 that is free right now (the OS picks it). */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				if (address && typeof address === 'object') {
					resolve(address.port);
				} else {
					reject(new Error('No port was assigned'));
				}
			});
		});
	});
}

async function isOpen(host: string, port: number): Promise<boolean> {
	return new Promise<boolean>(resolve => {
		const socket = net.connect(port, host);
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => {
			resolve(false);
		});
	});
}

async function pause(ms: number): Promise<void> {
	await new Promise(resolve => setTimeout(resolve, ms));
}

/** Resolves once something accepts TCP connections on host:port, or rejects after `attempts` tries. */
export async function waitForPort(host: string, port: number, what: string, attempts = 200): Promise<void> {
	for (let attempt = 0; attempt < attempts; attempt++) {
		if (await isOpen(host, port)) {
			return;
		}

		await pause(50);
	}

	throw new Error(`${what} did not start listening on ${host}:${port}`);
}

/** Inodes of the sockets listening on TCP `port` (any address), from /proc/net/tcp and tcp6 (Linux). */
async function listeningSocketInodes(port: number): Promise<Set<string>> {
	const inodes = new Set<string>();
	const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		const text = await readFile(table, 'utf8').catch(() => '');
		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			// Fields: sl, local_address (HEXIP:HEXPORT), rem_address, st (0A is LISTEN), …, inode is the tenth.
			if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9]) {
				inodes.add(fields[9]);
			}
		}
	}

	return inodes;
}

/** The processes in the process group `leader` leads (a server started by child.ts leads its own group). */
async function processGroup(leader: number): Promise<number[]> {
	const members: number[] = [];
	for (const entry of await readdir('/proc')) {
		if (!/^\d+$/.test(entry)) {
			continue;
		}

		const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
		// "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after its last ')'.
		const pgrp = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2];
		if (pgrp === String(leader)) {
			members.push(Number(entry));
		}
	}

	return members;
}

/** True when one of the processes of `server`'s group holds a socket listening on `port`. */
async function ownsListener(server: ServerProcess, port: number): Promise<boolean> {
	const inodes = await listeningSocketInodes(port);
	if (inodes.size === 0 || server.child.pid === undefined) {
		return false;
	}

	for (const pid of await processGroup(server.child.pid)) {
		const fds = await readdir(`/proc/${pid}/fd`).catch((): string[] => []);
		for (const fd of fds) {
			const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
			const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
			if (inode && inodes.has(inode)) {
				return true;
			}
		}
	}

	return false;
}

/**
 * Resolves once `server` itself listens on 127.0.0.1:port. Rejects with PortTakenError when another process
 * holds the port (our server then exits or is stopped), with an Error when the server exits for another reason or
 * never listens.
 */
export async function waitForOwnListener(server: ServerProcess, port: number, what: string, attempts = 400): Promise<void> {
	for (let attempt = 0; attempt < attempts; attempt++) {
		const exited = server.child.exitCode !== null || server.child.signalCode !== null;
		const open = await isOpen('127.0.0.1', port);
		if (exited) {
			if (open) {
				throw new PortTakenError(port, what);
			}

			throw new Error(`${what} exited (${server.child.exitCode ?? server.child.signalCode}) before listening on port ${port}; see its log`);
		}

		if (open) {
			if (await ownsListener(server, port)) {
				return;
			}

			// Open, but not by us: give our server a moment to fail its bind, then call the port taken.
			if (attempt >= 20) {
				await server.stop();
				throw new PortTakenError(port, what);
			}
		}

		await pause(50);
	}

	await server.stop();
	throw new Error(`${what} did not start listening on 127.0.0.1:${port}`);
}

/**
 * Runs `start` with `count` free ports, again with new ones (at most five times) while it fails with
 * PortTakenError. Fixed ports (from the caller's options) are used as given, never retried.
 */
export async function startOnFreePorts<T>(fixed: Array<number | undefined>, start: (ports: number[]) => Promise<T>): Promise<T> {
	const tries = fixed.every(port => port) ? 1 : 5;
	for (let attempt = 1; ; attempt++) {
		const ports: number[] = [];
		for (const port of fixed) {
			ports.push(port || await freePort());
		}

		try {
			return await start(ports);
		} catch (error) {
			if (!(error instanceof PortTakenError) || attempt >= tries) {
				throw error;
			}
		}
	}
}

/** What listenOn needs of a Node server (net.Server, http.Server, smtp-server's SMTPServer). */
type Listener = {
	listen(port: number, host: string, callback: () => void): unknown;
	once(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
	off(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
};

/** `server.listen(port)` on 127.0.0.1 for a Node server: PortTakenError when the port is in use. */
export async function listenOn(server: Listener, port: number, what: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException): void => {
			reject(error.code === 'EADDRINUSE' ? new PortTakenError(port, what) : error);
		};

		server.once('error', onError);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', onError);
			resolve();
		});
	});
}
