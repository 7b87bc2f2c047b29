/**
 * `purelymail-invites-relay native`: what the browser runs (through the launcher) when the extension connects.
 * stdout carries the browser's messages, so nothing else may be printed there; the browser passes the caller's
 * origin (Chrome) or the manifest path and extension ID (Firefox) as arguments, which the host does not need:
 * the browser has already checked them against the manifest.
 */
import {startNativeHost} from '../native/host.ts';
import type {CommandIo} from './io.ts';

export async function native(_argv: string[], io: CommandIo): Promise<number> {
	const host = startNativeHost({input: process.stdin, output: process.stdout, relay: {log: io.err}});
	await host.finished;
	return 0;
}
