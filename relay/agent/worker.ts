/**
 * One mailbox served by the agent: a tick (lib/agent agentTick) when IMAP IDLE says INBOX grew, when the watch
 * (re)connects, and every `fullTickMs` as a safety net (that tick also polls Junk, which IDLE does not watch).
 * Ticks never overlap; a request during a tick runs one more tick after it. Between ticks, every `requestCheckMs`
 * it reads the extension's requests (lib/agent requests.ts: one PROPFIND Depth 0) and performs new ones at once,
 * without a full tick, in the same queue as the ticks (so the one writer per mailbox is still one). `stop()` starts no new tick, lets the
 * running one finish (it is aborted after `stopGraceMs`, which leaves nothing half-written: a tick stores each
 * outcome before it moves the cursor) and closes the watch.
 */
import {agentInvitationDeps, agentTick, markerInvitationListings, markerReviews, type AgentInvitationState, type AgentRequestStore, type AgentStore, type AgentTickResult} from '../../lib/agent/index.ts';
import type {MessageOutcome} from '../../lib/model.ts';
import {ownAddresses, relayAccountOf} from '../../lib/account.ts';
import {createCaldavClient, discoverCalendars, withBackoff, type CaldavClient} from '../../lib/caldav/index.ts';
import {caldavCalendarPort} from '../../lib/reply-loop/index.ts';
import {calendarFinder} from '../../lib/scheduling/index.ts';
import type {ImapPool} from '../imap-pool.ts';
import type {ImapLogin} from '../imap.ts';
import {watchInbox, type InboxWatch, type InboxWatchOptions} from '../native/inbox-watch.ts';
import type {AgentAccount} from './config.ts';
import {logLine, tickLines, type AgentLog} from './log.ts';
import {MarkerWriter} from './marker-writer.ts';
import {agentRelayPort, agentSendPort} from './relay-port.ts';
import {handleRequests} from './requests.ts';

/** How often the agent looks for the extension's requests between ticks: the bound the README states. */
export const agentRequestCheckMs = 20_000;

/** Pauses before the IDLE watch reconnects, by attempt; the last repeats. Short: the agent has nothing else to do. */
export const agentWatchRetryMs = [1000, 2000, 5000, 10_000, 30_000];

/** One mailbox's state: the reply loop's, the records of the invitations the user receives, and its open reviews. */
export type AgentMailboxStore = AgentStore & AgentRequestStore & {
	invitations: AgentInvitationState;
	/** The newest outcomes still waiting in review (or parked), newest first. */
	reviews(limit: number): Promise<MessageOutcome[]>;
};

export type MailboxWorkerOptions = {
	mailbox: AgentAccount;
	store: AgentMailboxStore;
	pool: ImapPool;
	log: AgentLog;
	connectTimeoutMs: number;
	/** The safety-net tick's period. */
	fullTickMs: number;
	/** How often requests are looked for between ticks (agentRequestCheckMs). */
	requestCheckMs?: number;
	/** How long stop() lets a running tick go on before aborting it. */
	stopGraceMs?: number;
	watch?: (options: InboxWatchOptions) => InboxWatch;
	watchRetryMs?: number[];
	/**
	 * Keep the agent's marker on the calendar (lib/agent marker.ts) while running (not for `--once`); `stopped`:
	 * also say so on stop() (one mailbox, one process; not a team's, whose accounts another process takes over).
	 */
	marker?: {stopped: boolean};
	/** For fault tests: lib/scheduling's hook between SMTP accepting a mail and the mail leaving the outbox. */
	afterAccepted?: (id: string) => void | Promise<void>;
};

export class MailboxWorker {
	readonly #options: MailboxWorkerOptions;
	readonly #caldav: CaldavClient;
	readonly #address: string;
	#calendarUrl: string | undefined;
	#running: Promise<void> | undefined;
	#again: string | undefined;
	#controller = new AbortController();
	#timer: NodeJS.Timeout | undefined;
	#requestTimer: NodeJS.Timeout | undefined;
	#watch: InboxWatch | undefined;
	#stopped = false;
	readonly #marker: MarkerWriter | undefined;
	readonly #calendars = calendarFinder();

	constructor(options: MailboxWorkerOptions) {
		this.#options = options;
		this.#address = options.mailbox.account.email.toLowerCase();
		this.#calendarUrl = options.mailbox.calendarUrl;
		const login = {username: options.mailbox.account.email, password: options.mailbox.account.password};
		this.#caldav = createCaldavClient(login);
		this.#marker = options.marker ? new MarkerWriter({login, mailbox: this.#address, tickSeconds: options.fullTickMs / 1000, log: options.log}) : undefined;
	}

	get address(): string {
		return this.#address;
	}

	/** Runs one tick now (after any running one) and resolves to its result. */
	async tickOnce(reason = 'once'): Promise<AgentTickResult> {
		await this.#running;
		let result: AgentTickResult | undefined;
		const run = (async () => {
			result = await this.#tick(reason);
		})();
		this.#running = run;
		await run;
		this.#running = undefined;
		return result!;
	}

	/** Starts the watch and the periodic tick, and runs a first tick. */
	start(): void {
		const {mailbox} = this.#options;
		const login: ImapLogin = {endpoint: mailbox.servers.imap, user: mailbox.account.email, password: mailbox.account.password, connectTimeoutMs: this.#options.connectTimeoutMs};
		this.#watch = (this.#options.watch ?? watchInbox)({
			login,
			retryDelaysMs: this.#options.watchRetryMs ?? agentWatchRetryMs,
			onNewMail: () => {
				this.request('mail');
			},
			onState: (watching, error) => {
				this.#options.log(logLine('watch', {mailbox: this.#address, state: watching ? 'idle' : 'down', error: error ? `${error.code}: ${error.message}` : undefined}));
				this.#marker?.watch(watching ? 'idle' : 'down');
				// Back on: mail may have come while nobody watched.
				if (watching) {
					this.request('watch');
				}
			},
		});
		this.#timer = setInterval(() => {
			this.request('timer');
		}, this.#options.fullTickMs);
		this.#requestTimer = setInterval(() => {
			this.#checkRequests();
		}, this.#options.requestCheckMs ?? agentRequestCheckMs);
		this.request('start');
	}

	/** The extension's requests, performed now unless a tick runs (which performs them when it ends). */
	#checkRequests(): void {
		if (this.#running || this.#stopped || !this.#calendarUrl) {
			return;
		}

		const calendarUrl = this.#calendarUrl;
		// #afterWork's parts report their own failures; anything else is logged here, never left unhandled (Node
		// would end the process on an unhandled rejection).
		this.#running = this.#afterWork(calendarUrl, undefined).catch((error: unknown) => {
			this.#options.log(logLine('request', {mailbox: this.#address, state: 'failed', error: error instanceof Error ? error.message : String(error)}));
		}).finally(() => {
			this.#running = undefined;
			// A tick asked for meanwhile waited for this.
			const again = this.#again;
			if (again !== undefined) {
				this.#again = undefined;
				this.request(again);
			}
		});
	}

	/** Asks for a tick: now, or right after the running one. */
	request(reason: string): void {
		if (this.#stopped) {
			return;
		}

		if (this.#running) {
			this.#again = reason;
			return;
		}

		this.#running = (async () => {
			let next: string | undefined = reason;
			while (next !== undefined && !this.#stopped) {
				this.#again = undefined;
				await this.#tick(next);
				next = this.#again;
			}
		})().finally(() => {
			this.#running = undefined;
		});
	}

	async stop(): Promise<void> {
		this.#stopped = true;
		clearInterval(this.#timer);
		clearInterval(this.#requestTimer);
		const grace = setTimeout(() => {
			this.#controller.abort(new Error('the agent is stopping'));
		}, this.#options.stopGraceMs ?? 8000);
		await Promise.all([this.#running, this.#watch?.stop()]);
		clearTimeout(grace);
		if (this.#options.marker?.stopped && this.#calendarUrl) {
			await this.#marker?.stopped(this.#calendarUrl);
		}
	}

	async #calendar(): Promise<string> {
		if (!this.#calendarUrl) {
			const {mailbox} = this.#options;
			const signal = this.#controller.signal;
			const discovery = await withBackoff(async () => discoverCalendars({serverUrl: mailbox.servers.caldavUrl, username: mailbox.account.email, password: mailbox.account.password, signal}), {signal});
			this.#calendarUrl = discovery.calendars[0]?.url;
			if (!this.#calendarUrl) {
				throw new Error(`no calendar found for ${this.#address}`);
			}
		}

		return this.#calendarUrl;
	}

	async #tick(reason: string): Promise<AgentTickResult> {
		const started = Date.now();
		const {mailbox, store, pool, log} = this.#options;
		let result: AgentTickResult;
		try {
			const calendarUrl = await this.#calendar();
			result = await agentTick({
				relay: agentRelayPort(pool, {endpoint: mailbox.servers.imap, user: mailbox.account.email, password: mailbox.account.password}),
				calendar: caldavCalendarPort(this.#caldav, calendarUrl),
				caldav: this.#caldav,
				calendarUrl,
				store,
				account: relayAccountOf(mailbox.account, mailbox),
				me: ownAddresses(mailbox.account),
				invitations: agentInvitationDeps(mailbox, {caldav: this.#caldav, calendarUrl, state: store.invitations}),
				signal: this.#controller.signal,
				scheduling: {
					enabled: mailbox.scheduleOtherApps, account: mailbox.account, servers: mailbox.servers, calendarUrl: mailbox.calendarUrl,
					relay: agentSendPort(pool), calendars: this.#calendars, ...(this.#options.afterAccepted ? {afterAccepted: this.#options.afterAccepted} : {}),
				},
			});
		} catch (error) {
			// The store failed (or a lease was lost): nothing of this tick counts; the next one starts over from what is stored.
			result = {tick: {messages: 0, outcomes: [], answers: [], writes: 0, error: {kind: 'calendar', message: error instanceof Error ? error.message : String(error), cause: error}}};
		}

		for (const line of tickLines(this.#address, reason, result, Date.now() - started)) {
			log(line);
		}

		if (this.#calendarUrl && !this.#stopped) {
			await this.#afterWork(this.#calendarUrl, result);
		}

		return result;
	}

	/**
	 * The user's actions from the extension (lib/agent requests.ts), then the marker that says so, with the reviews
	 * and invitations as they stand: after each tick (`result`), and between ticks when requests came (undefined).
	 */
	async #afterWork(calendarUrl: string, result: AgentTickResult | undefined): Promise<void> {
		const {mailbox, store, pool, log} = this.#options;
		const handled = await handleRequests({caldav: this.#caldav, calendarUrl, mailbox, store, send: agentSendPort(pool), done: this.#marker?.handled ?? new Set(), log, signal: this.#controller.signal});
		if (!this.#marker || (!result && handled.length === 0)) {
			return;
		}

		const review = await store.reviews(markerReviews).catch(() => undefined);
		const invitations = await markerInvitationListings(store.invitations, this.#caldav, ownAddresses(mailbox.account), {signal: this.#controller.signal}).catch(() => undefined);
		await this.#marker.afterWork(calendarUrl, result, {handled, ...(review ? {review} : {}), ...(invitations ? {invitations} : {})});
	}
}
