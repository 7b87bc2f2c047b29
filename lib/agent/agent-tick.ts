/**
 * One tick of the agent, for one mailbox: bring the list of the user's events up to date from the calendar, then
 * run the reply loop (lib/reply-loop runTick), the very decisions the extension makes, then calendar-app scheduling
 * (lib/scheduling scheduleAccount, issue 18). Later steps go here too, each after the ones before, so that every
 * caller of `agentTick` runs them all.
 */
import type {CaldavClient} from '../caldav/index.ts';
import type {TrackedEvent} from '../model.ts';
import type {ReplyLoopDeps, ReplyLoopStore} from '../reply-loop/index.ts';
import {runTick, type TickResult} from '../reply-loop/run-tick.ts';
import {scheduleAccount, type AccountScheduling, type SchedulingResult, type SchedulingStore} from '../scheduling/index.ts';
import {syncEvents, type EventSync} from './sync-events.ts';

/** The reply loop's store, plus what the calendar sync writes and calendar-app scheduling's store. */
export type AgentStore = ReplyLoopStore & {
	/** Stores new or changed events and forgets removed ones, in one write. */
	syncEvents(update: {put: TrackedEvent[]; removed: string[]}): Promise<void>;
	/** lib/scheduling's store on the agent's state; its own ETags are those of the agent's writes. */
	scheduling(organizer: {email: string; name: string}, now?: () => Date): SchedulingStore;
};

export type AgentTickDeps = Omit<ReplyLoopDeps, 'store'> & {
	store: AgentStore;
	caldav: CaldavClient;
	calendarUrl: string;
	/** Calendar-app scheduling (issue 18), lib/scheduling's one composition; its store is the agent's. */
	scheduling?: Omit<AccountScheduling, 'store' | 'caldav' | 'signal' | 'now'>;
};

export type AgentTickResult = {
	/** Undefined when the calendar could not be listed: then the reply loop did not run (a reply to an event it had not seen yet would be lost as not ours). */
	sync?: Pick<EventSync, 'listed' | 'read'> & {put: number; removed: number};
	tick: TickResult;
	/** Undefined when the option is off (or the calendar could not be listed). */
	scheduling?: SchedulingResult;
};

export async function agentTick(deps: AgentTickDeps): Promise<AgentTickResult> {
	const now = deps.now ?? (() => new Date());
	const state = await deps.store.load();
	let sync: EventSync;
	try {
		sync = await syncEvents(deps.caldav, deps.calendarUrl, state.events, deps.me, {now: now(), signal: deps.signal});
	} catch (error) {
		return {tick: {messages: 0, outcomes: [], answers: [], writes: 0, error: {kind: 'calendar', message: error instanceof Error ? error.message : String(error), cause: error}}};
	}

	if (sync.put.length > 0 || sync.removed.length > 0) {
		await deps.store.syncEvents({put: sync.put, removed: sync.removed});
	}

	const tick = await runTick(deps);
	const scheduling = await scheduleStep(deps, now);
	return {sync: {listed: sync.listed, read: sync.read, put: sync.put.length, removed: sync.removed.length}, tick, ...(scheduling ? {scheduling} : {})};
}

/** Calendar-app scheduling after the reply loop, as in the extension's tick; its failures wait for the next tick. */
async function scheduleStep(deps: AgentTickDeps, now: () => Date): Promise<SchedulingResult | undefined> {
	if (!deps.scheduling) {
		return undefined;
	}

	const {account} = deps.scheduling;
	const store = deps.store.scheduling({email: account.email, name: account.name}, now);
	try {
		return await scheduleAccount({...deps.scheduling, store, caldav: deps.caldav, now, ...(deps.signal ? {signal: deps.signal} : {})});
	} catch (error) {
		return {changes: 0, baselines: 0, sent: [], waiting: 0, writes: 0, error: {kind: 'calendar', message: error instanceof Error ? error.message : String(error), cause: error}};
	}
}
