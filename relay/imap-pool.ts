/**
 * One pooled IMAP session per account, kept for a few idle minutes, so that a poll with nothing new costs
 * a STATUS on a warm connection instead of a TLS handshake and a login.
 *
 * Sessions are keyed by an HMAC of server, user and password under a per-process secret: a request with the
 * wrong password never gets another request's logged-in session, and no password is kept as a key.
 * Work on one session runs one task at a time (IMAP has one selected mailbox per connection).
 */
import {createHmac, randomBytes} from 'node:crypto';
import type {ImapFlow, ListResponse} from 'imapflow';
import {closeImap, openImap, type ImapLogin} from './imap.ts';

/** A pooled session as a task sees it. */
export type ImapSession = {
	client: ImapFlow;
	/** True when the connection was already open (warm) before this task. */
	warm: boolean;
	/**
	 * The folder list, cached on the session. `maxAgeMs` asks the server again when the cached list is older
	 * (0: always); without it the list is kept for the session's life.
	 */
	folders(options?: {maxAgeMs?: number}): Promise<ListResponse[]>;
};

export type ImapPoolOptions = {
	/** Close a session after this long without use, in ms. */
	idleMs: number;
	connectTimeoutMs: number;
	/** Most sessions held at once; the least recently used idle one is closed beyond it. Default 50. */
	maxSessions?: number;
	/** Opens a logged-in client; tests swap it. Default openImap. */
	open?: (login: ImapLogin) => Promise<ImapFlow>;
};

type Entry = {
	key: string;
	ready: Promise<ImapFlow>;
	client?: ImapFlow;
	folderList?: Promise<ListResponse[]> | undefined;
	folderListAt: number;
	/** Tasks running or waiting on this session. */
	active: number;
	/** Resolves when the task ahead of the next one has finished. */
	tail: Promise<void>;
	usedBefore: boolean;
	lastUsed: number;
	idleTimer?: NodeJS.Timeout;
};

export class ImapPool {
	readonly #options: Required<ImapPoolOptions>;
	readonly #secret = randomBytes(32);
	readonly #entries = new Map<string, Entry>();
	#closed = false;

	constructor(options: ImapPoolOptions) {
		this.#options = {maxSessions: 50, open: openImap, ...options};
	}

	/** Sessions currently held. */
	get size(): number {
		return this.#entries.size;
	}

	/**
	 * Runs `task` on the account's session, opening it if needed, after any task already running on it.
	 * When a warm session turns out dead (the server dropped it while idle), the task is retried once on a fresh one.
	 * @throws {RelayError} when the login fails; whatever the task throws otherwise
	 */
	async use<T>(login: Omit<ImapLogin, 'connectTimeoutMs'>, task: (session: ImapSession) => Promise<T>): Promise<T> {
		try {
			return await this.#run(login, task);
		} catch (error) {
			if (!(error instanceof StaleSessionError)) {
				throw error;
			}

			return this.#run(login, task);
		}
	}

	/** Logs every session out. */
	async close(): Promise<void> {
		this.#closed = true;
		const entries = [...this.#entries.values()];
		this.#entries.clear();
		await Promise.all(entries.map(async entry => this.#dispose(entry)));
	}

	async #run<T>(login: Omit<ImapLogin, 'connectTimeoutMs'>, task: (session: ImapSession) => Promise<T>): Promise<T> {
		if (this.#closed) {
			throw new Error('The IMAP pool is closed');
		}

		const entry = this.#entry(login);
		entry.active++;
		clearTimeout(entry.idleTimer);
		const previous = entry.tail;
		let release = (): void => undefined;
		entry.tail = new Promise(resolve => {
			release = resolve;
		});
		try {
			await previous;
			const client = await entry.ready;
			const warm = entry.usedBefore;
			entry.usedBefore = true;
			const session: ImapSession = {
				client,
				warm,
				folders: async ({maxAgeMs = Number.POSITIVE_INFINITY} = {}) => {
					if (entry.folderList && Date.now() - entry.folderListAt >= maxAgeMs) {
						entry.folderList = undefined;
					}

					if (!entry.folderList) {
						entry.folderListAt = Date.now();
						entry.folderList = client.list().catch((error: unknown) => {
							entry.folderList = undefined;
							throw error;
						});
					}

					return entry.folderList;
				},
			};
			try {
				return await task(session);
			} catch (error) {
				if (!client.usable) {
					this.#forget(entry);
					if (warm) {
						throw new StaleSessionError(error);
					}
				}

				throw error;
			}
		} catch (error) {
			// A failed login leaves nothing worth keeping.
			if (!entry.client) {
				this.#forget(entry);
			}

			throw error;
		} finally {
			entry.active--;
			entry.lastUsed = Date.now();
			release();
			this.#scheduleIdleClose(entry);
		}
	}

	#entry(login: Omit<ImapLogin, 'connectTimeoutMs'>): Entry {
		const key = createHmac('sha256', this.#secret)
			.update(JSON.stringify([login.endpoint.host.toLowerCase(), login.endpoint.servername ?? null, login.endpoint.port, login.endpoint.secure, login.user.toLowerCase(), login.password]))
			.digest('base64url');
		const existing = this.#entries.get(key);
		if (existing && (!existing.client || existing.client.usable)) {
			return existing;
		}

		if (existing) {
			this.#forget(existing);
		}

		this.#evictIfFull();
		const ready = this.#options.open({...login, connectTimeoutMs: this.#options.connectTimeoutMs});
		const entry: Entry = {key, ready, active: 0, tail: Promise.resolve(), usedBefore: false, lastUsed: Date.now(), folderListAt: 0};
		// Registered before any task awaits `ready`, so `client` is set by the time one runs.
		ready.then(client => {
			entry.client = client;
			client.on('close', () => {
				if (this.#entries.get(key) === entry) {
					this.#entries.delete(key);
				}
			});
		}, () => undefined);
		this.#entries.set(key, entry);
		return entry;
	}

	#evictIfFull(): void {
		if (this.#entries.size < this.#options.maxSessions) {
			return;
		}

		const idle = [...this.#entries.values()].filter(entry => entry.active === 0).sort((a, b) => a.lastUsed - b.lastUsed);
		if (idle[0]) {
			this.#forget(idle[0]);
		}
	}

	#scheduleIdleClose(entry: Entry): void {
		if (entry.active > 0 || this.#entries.get(entry.key) !== entry) {
			return;
		}

		clearTimeout(entry.idleTimer);
		entry.idleTimer = setTimeout(() => {
			this.#forget(entry);
		}, this.#options.idleMs);
		// An idle session must not keep a finished process (or test run) alive.
		entry.idleTimer.unref();
	}

	#forget(entry: Entry): void {
		if (this.#entries.get(entry.key) === entry) {
			this.#entries.delete(entry.key);
		}

		void this.#dispose(entry);
	}

	async #dispose(entry: Entry): Promise<void> {
		clearTimeout(entry.idleTimer);
		const client = await entry.ready.catch(() => undefined);
		if (client) {
			await closeImap(client);
		}
	}
}

/** A warm session died under a task; the pool retries once on a fresh one. */
class StaleSessionError extends Error {
	constructor(cause: unknown) {
		super('Pooled IMAP session was closed by the server', {cause});
	}
}
