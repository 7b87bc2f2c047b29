/**
 * The native-messaging host: what `purelymail-invites-relay native` runs when the browser starts it. It answers
 * the HTTP API's calls (same handlers, same bodies) over stdio, keeps one INBOX watch, and ends when the
 * browser closes the pipe. No token: only the extensions named in the host manifest can start it, and nothing
 * listens on a port.
 */
import type {Readable, Writable} from 'node:stream';
import {resolveOptions, type RelayOptions} from '../config.ts';
import {RelayError} from '../errors.ts';
import {checkAccountTargets} from '../hosted.ts';
import {ImapPool} from '../imap-pool.ts';
import {imapLogin, type RouteContext} from '../routes/context.ts';
import {routeHandlers} from '../routes/index.ts';
import {parseVerifyRequest} from '../validate.ts';
import {encodeMessage, FramingError, MessageDecoder} from './framing.ts';
import {watchInbox, type InboxWatch, type InboxWatchOptions} from './inbox-watch.ts';
import {nativeCalls, pagesOf, type NativeCall, type NativeEvent, type NativeOutcome, type WatchResponse} from '../../lib/relay-client/native-protocol.ts';

/**
 * Largest message accepted from the browser. Chrome sends at most 64 MiB; the relay's body limit (25 MB by
 * default) is what a send may carry, and the JSON envelope adds a little.
 */
function maxIncomingBytes(maxBodyBytes: number): number {
	return maxBodyBytes + 64 * 1024;
}

export type NativeHostOptions = {
	input: Readable;
	output: Writable;
	/** The relay's options (limits, default servers, timeouts); host, port and token do not apply. */
	relay?: RelayOptions;
	/** Starts the INBOX watch; tests swap it. Default watchInbox. */
	watch?: (options: InboxWatchOptions) => InboxWatch;
};

export type NativeHost = {
	/** Resolves when the browser has closed the pipe (or the stream broke) and everything is shut. */
	finished: Promise<void>;
};

function isRequest(message: unknown): message is {id: number; call: NativeCall; body?: unknown} {
	if (typeof message !== 'object' || message === null) {
		return false;
	}

	const {id, call} = message as {id?: unknown; call?: unknown};
	return Number.isSafeInteger(id) && typeof call === 'string' && (nativeCalls as readonly string[]).includes(call);
}

export function startNativeHost(options: NativeHostOptions): NativeHost {
	const resolved = resolveOptions({...options.relay, log: options.relay?.log ?? (() => undefined)});
	const pool = new ImapPool({idleMs: resolved.imapIdleMs, connectTimeoutMs: resolved.connectTimeoutMs});
	const context: RouteContext = {options: resolved, pool};
	const decoder = new MessageDecoder(maxIncomingBytes(resolved.limits.maxBodyBytes));
	const startWatch = options.watch ?? watchInbox;
	let watch: InboxWatch | undefined;
	const inFlight = new Set<Promise<void>>();

	const write = (message: unknown): void => {
		options.output.write(encodeMessage(message));
	};

	const emit = (event: NativeEvent): void => {
		write(event);
	};

	const stopWatch = async (): Promise<void> => {
		const current = watch;
		watch = undefined;
		await current?.stop();
	};

	const dispatch = async (call: NativeCall, body: unknown): Promise<unknown> => {
		switch (call) {
			case 'watch': {
				// Same body as verify's: {account}.
				const account = await checkAccountTargets(parseVerifyRequest(body).account, resolved);
				await stopWatch();
				watch = startWatch({
					login: imapLogin(account, resolved),
					onNewMail: folder => {
						emit({event: 'new-mail', folder});
					},
					onState: (watching, error) => {
						emit({event: 'watch', watching, ...(error ? {error} : {})});
					},
				});
				return {watching: true} satisfies WatchResponse;
			}

			case 'unwatch': {
				await stopWatch();
				return {watching: false} satisfies WatchResponse;
			}

			default: {
				return routeHandlers[call](context, body);
			}
		}
	};

	const answer = async (id: number, call: NativeCall, body: unknown): Promise<void> => {
		let outcome: NativeOutcome;
		try {
			outcome = {ok: true, result: await dispatch(call, body)};
		} catch (error) {
			const relayError = error instanceof RelayError ? error : new RelayError('UPSTREAM', 'Internal relay error', {cause: error});
			outcome = {ok: false, error: relayError.toInfo()};
		}

		for (const page of pagesOf(id, outcome)) {
			write(page);
		}
	};

	const finished = new Promise<void>(resolve => {
		let ending = false;
		const end = (): void => {
			if (ending) {
				return;
			}

			ending = true;
			options.input.off('data', onData);
			void Promise.allSettled([...inFlight]).then(async () => Promise.allSettled([stopWatch(), pool.close()])).then(() => {
				resolve();
			});
		};

		const onData = (bytes: Buffer): void => {
			let messages: unknown[];
			try {
				messages = decoder.push(bytes);
			} catch (error) {
				resolved.log(`native: ${error instanceof FramingError ? error.message : String(error)}; closing`);
				end();
				return;
			}

			for (const message of messages) {
				if (!isRequest(message)) {
					resolved.log('native: ignored a message that is not a request');
					continue;
				}

				const task = answer(message.id, message.call, message.body);
				inFlight.add(task);
				void task.finally(() => inFlight.delete(task));
			}
		};

		options.input.on('data', onData);
		options.input.once('end', end);
		options.input.once('close', end);
		options.input.once('error', end);
	});

	return {finished};
}
