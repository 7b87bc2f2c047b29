/**
 * Keeps the agent's marker (lib/agent marker.ts) on one mailbox's calendar: after a tick that applied answers or
 * changed how things stand, and at least every half full tick as a heartbeat; `state: stopped` on a clean shutdown
 * of a one-mailbox agent, so the extension takes over at once. A server that refuses the property is logged once
 * and left alone (the extension then sees no agent and keeps its own loop). Never throws: the marker is a courtesy
 * to the extension, and the agent's work does not depend on it.
 */
import os from 'node:os';
import {agentMarkerProperty, markerAfterTick, markerText, markerWithNews, type AgentMarker, type AgentTickResult, type MarkerNews} from '../../lib/agent/index.ts';
import {CaldavRejected, CaldavAuthFailed, CaldavNotFound} from '../../lib/caldav/index.ts';
import {writeCollectionProperty} from '../../lib/caldav/collection-property.ts';
import type {CaldavClientOptions} from '../../lib/caldav/index.ts';
import {logLine, type AgentLog} from './log.ts';

export class MarkerWriter {
	readonly #login: CaldavClientOptions;
	readonly #mailbox: string;
	readonly #log: AgentLog;
	#marker: AgentMarker;
	#written: AgentMarker | undefined;
	#writtenAt = 0;
	#refused = false;

	constructor(options: {login: CaldavClientOptions; mailbox: string; tickSeconds: number; log: AgentLog}) {
		this.#login = options.login;
		this.#mailbox = options.mailbox;
		this.#log = options.log;
		this.#marker = {version: 1, state: 'running', host: os.hostname(), seenAt: new Date().toISOString(), tickSeconds: options.tickSeconds, lastTick: null, watch: 'down', answers: [], review: [], handled: [], invitations: []};
	}

	/** IDLE came on or went down; written with the next tick. */
	watch(state: AgentMarker['watch']): void {
		this.#marker = {...this.#marker, watch: state};
	}

	/** The ids of the requests handled so far (this run): not performed again. */
	get handled(): ReadonlySet<string> {
		return new Set(this.#marker.handled);
	}

	/** After a tick (`result`), or after requests performed between ticks (undefined: always written). */
	async afterWork(calendarUrl: string, result: AgentTickResult | undefined, requests: MarkerNews = {}, now = new Date()): Promise<void> {
		const before = this.#marker;
		this.#marker = result ? markerAfterTick(before, result, now, requests) : markerWithNews(before, requests, now);
		const reviewKeys = (marker: AgentMarker | undefined): string => JSON.stringify(marker?.review.map(item => [item.key, item.outcome, item.reason]));
		const changed = !result || result.tick.answers.length > 0 || this.#marker.watch !== this.#written?.watch || (before.lastTick?.error ?? null) !== (this.#marker.lastTick?.error ?? null)
			|| (requests.handled?.length ?? 0) > 0 || reviewKeys(this.#marker) !== reviewKeys(this.#written)
			|| JSON.stringify(this.#marker.invitations) !== JSON.stringify(this.#written?.invitations);
		if (changed || now.getTime() - this.#writtenAt >= this.#marker.tickSeconds * 500) {
			await this.#write(calendarUrl, this.#marker, now);
		}
	}

	/** A clean shutdown: the extension may work again at once. */
	async stopped(calendarUrl: string): Promise<void> {
		await this.#write(calendarUrl, {...this.#marker, state: 'stopped', seenAt: new Date().toISOString()}, new Date());
	}

	async #write(calendarUrl: string, marker: AgentMarker, now: Date): Promise<void> {
		if (this.#refused) {
			return;
		}

		try {
			await writeCollectionProperty(this.#login, calendarUrl, agentMarkerProperty, markerText(marker));
			this.#written = marker;
			this.#writtenAt = now.getTime();
		} catch (error) {
			// Refused for good (the server keeps no such property, or no write access): say so once, stop trying.
			this.#refused = error instanceof CaldavRejected || error instanceof CaldavAuthFailed || error instanceof CaldavNotFound;
			this.#log(logLine('marker', {mailbox: this.#mailbox, state: this.#refused ? 'refused' : 'failed', error: error instanceof Error ? error.message : String(error)}));
		}
	}
}
