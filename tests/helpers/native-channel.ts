/**
 * NativeChannels for tests, speaking the browser's side of native messaging: over a child process's stdio
 * (what Chrome does), or over in-memory streams to a host in this process.
 */
import {spawn} from 'node:child_process';
import {PassThrough} from 'node:stream';
import type {NativeChannel} from '../../lib/relay-client/native.ts';
import {encodeMessage, MessageDecoder} from '../../relay/native/framing.ts';
import {startNativeHost, type NativeHost, type NativeHostOptions} from '../../relay/native/host.ts';

type Streams = {toHost: NodeJS.WritableStream; fromHost: NodeJS.ReadableStream; end(): void; onEnd(listener: (reason: string) => void): void};

function channelOver(streams: Streams): NativeChannel & {messages: unknown[]} {
	const decoder = new MessageDecoder(64 * 1024 * 1024);
	const messageListeners: Array<(message: unknown) => void> = [];
	const messages: unknown[] = [];
	streams.fromHost.on('data', (bytes: Buffer) => {
		for (const message of decoder.push(bytes)) {
			messages.push(message);
			for (const listener of messageListeners) {
				listener(message);
			}
		}
	});
	return {
		messages,
		post(message) {
			streams.toHost.write(encodeMessage(message));
		},
		close() {
			streams.end();
		},
		onMessage(listener) {
			messageListeners.push(listener);
		},
		onClose(listener) {
			streams.onEnd(listener);
		},
	};
}

/** Starts `command args…` as the browser would (stdin/stdout the channel, stderr passed through). */
export function spawnedChannel(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): NativeChannel & {messages: unknown[]; exited: Promise<number | null>} {
	const child = spawn(command, args, {stdio: ['pipe', 'pipe', 'inherit'], env});
	const exited = new Promise<number | null>(resolve => child.once('exit', resolve));
	const channel = channelOver({
		toHost: child.stdin,
		fromHost: child.stdout,
		end() {
			child.stdin.end();
		},
		onEnd(listener) {
			void exited.then(code => {
				listener(`the host exited with ${String(code)}`);
			});
		},
	});
	return {...channel, exited};
}

/** A host in this process, joined to the channel by in-memory streams. */
export function inProcessChannel(options: Omit<NativeHostOptions, 'input' | 'output'> = {}): NativeChannel & {messages: unknown[]; host: NativeHost} {
	const toHost = new PassThrough();
	const fromHost = new PassThrough();
	const host = startNativeHost({...options, input: toHost, output: fromHost});
	const channel = channelOver({
		toHost,
		fromHost,
		end() {
			toHost.end();
		},
		onEnd(listener) {
			void host.finished.then(() => {
				listener('the host finished');
			});
		},
	});
	return {...channel, host};
}
