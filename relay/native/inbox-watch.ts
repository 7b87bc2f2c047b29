/**
 * The native host's INBOX watch: one IMAP session that sits in IDLE (RFC 2177) on INBOX and says when new mail
 * arrives, so the extension fetches replies at once instead of at its next alarm. When the connection drops it
 * comes back after a pause, and says so both ways (the extension also fetches on every (re)start, for mail that
 * came while nobody was watching).
 */
import type {ImapFlow} from 'imapflow';
import {toRelayError} from '../errors.ts';
import {closeImap, openImap, type ImapIdleTuning, type ImapLogin} from '../imap.ts';
import type {RelayErrorInfo} from '../../lib/relay-client/types.ts';

/** RFC 2177 §3: a client should re-issue IDLE at least every 29 minutes, or the server may log it out. */
const maxIdleTimeMs = 25 * 60 * 1000;

/** Pauses before reconnecting, by attempt; the last one repeats. */
export const defaultRetryDelaysMs = [2000, 10_000, 60_000];

export type InboxWatchOptions = {
	login: ImapLogin;
	/** New mail in the folder (IDLE's EXISTS grew). */
	onNewMail(folder: string): void;
	/** The watch is on (IDLE running), or off with why. */
	onState(watching: boolean, error?: RelayErrorInfo): void;
	/** Opens a logged-in client; tests swap it. Default openImap. */
	open?: (login: ImapLogin, tuning: ImapIdleTuning) => Promise<ImapFlow>;
	retryDelaysMs?: number[];
};

export type InboxWatch = {stop(): Promise<void>};

/** Starts watching; runs until stop(). */
export function watchInbox(options: InboxWatchOptions): InboxWatch {
	const open = options.open ?? openImap;
	const delays = options.retryDelaysMs ?? defaultRetryDelaysMs;
	let stopped = false;
	let client: ImapFlow | undefined;
	let wake: (() => void) | undefined;

	const pause = async (ms: number): Promise<void> => new Promise(resolve => {
		const timer = setTimeout(resolve, ms);
		wake = () => {
			clearTimeout(timer);
			resolve();
		};
	});

	const session = async (): Promise<void> => {
		client = await open(options.login, {maxIdleTimeMs});
		const current = client;
		const closed = new Promise<void>(resolve => {
			current.once('close', () => {
				resolve();
			});
			wake = () => {
				resolve();
			};
		});
		if (stopped) {
			return;
		}

		current.on('exists', ({path, count, prevCount}) => {
			if (count > prevCount) {
				options.onNewMail(path);
			}
		});
		await current.mailboxOpen('INBOX', {readOnly: true});
		if (stopped) {
			return;
		}

		options.onState(true);
		// Resolves only when IDLE ends for good (the connection closed, or logout on stop).
		void current.idle().catch(() => undefined);
		await closed;
	};

	const loop = async (): Promise<void> => {
		let attempt = 0;
		while (!stopped) {
			let failure: RelayErrorInfo;
			try {
				await session();
				failure = {code: 'UNREACHABLE', message: 'The IMAP server closed the watching connection'};
				attempt = 0;
			} catch (error) {
				failure = toRelayError(error, 'IMAP').toInfo();
			}

			if (client) {
				await closeImap(client);
				client = undefined;
			}

			if (stopped) {
				break;
			}

			options.onState(false, failure);
			if (failure.code === 'MAILBOX_AUTH_FAILED') {
				// The password is wrong: trying again cannot help, and would count as failed logins.
				break;
			}

			await pause(delays[Math.min(attempt, delays.length - 1)] ?? 60_000);
			attempt++;
		}
	};

	const running = loop();
	return {
		async stop(): Promise<void> {
			stopped = true;
			wake?.();
			await running;
		},
	};
}
