/**
 * Calendar-app scheduling for one account: the one composition the extension's background (lib/background
 * other-apps.ts) and the agent (lib/agent agent-tick.ts) both run. When the option is on, runScheduling over the
 * account's calendars; when it is off, the watch state is dropped so that turning it on again starts from a fresh
 * baseline (nothing sent for what happened while it was off). Only the store and the relay differ between the two.
 */
import {ownAddresses, relayAccountOf} from '../account.ts';
import {discoverCalendars, withBackoff} from '../caldav/index.ts';
import type {Account, ServerSettings} from '../model.ts';
import {emptySchedulingState, runScheduling} from './run-scheduling.ts';
import type {SchedulingDeps, SchedulingResult, SchedulingStore} from './types.ts';

/** The account's calendars are looked up again this often (three PROPFINDs), not on every tick. */
const rediscoverMs = 6 * 60 * 60 * 1000;

/** The account's calendar URLs, the chosen one first; remembered between ticks (one per account it is asked for). */
export type CalendarFinder = (account: Account, servers: Pick<ServerSettings, 'caldavUrl'>, chosen: string | undefined, signal?: AbortSignal) => Promise<string[]>;

export function calendarFinder(clock: () => number = Date.now): CalendarFinder {
	let discovered: {at: number; key: string; calendars: string[]} | undefined;
	return async (account, servers, chosen, signal) => {
		const key = `${account.email} ${servers.caldavUrl}`;
		if (!discovered || discovered.key !== key || clock() - discovered.at > rediscoverMs) {
			const found = await withBackoff(async () => discoverCalendars({
				username: account.email, password: account.password, serverUrl: servers.caldavUrl, ...(signal ? {signal} : {}),
			}), {...(signal ? {signal} : {})});
			discovered = {at: clock(), key, calendars: found.calendars.map(calendar => calendar.url)};
		}

		return chosen && !discovered.calendars.includes(chosen) ? [chosen, ...discovered.calendars] : discovered.calendars;
	};
}

export type AccountScheduling = {
	/** The option "Send invitations and answers for changes made in other calendar apps" (off by default). */
	enabled: boolean;
	account: Account;
	servers: ServerSettings;
	/** The calendar picked in the options (watched even when discovery does not list it). */
	calendarUrl: string | undefined;
	caldav: SchedulingDeps['caldav'];
	relay: SchedulingDeps['relay'];
	store: SchedulingStore;
	calendars: CalendarFinder;
} & Pick<SchedulingDeps, 'now' | 'signal' | 'backoff' | 'afterAccepted' | 'rememberSent'>;

/** Undefined when the option is off. */
export async function scheduleAccount(deps: AccountScheduling): Promise<SchedulingResult | undefined> {
	const {enabled, account, servers, calendarUrl, calendars, ...rest} = deps;
	if (!enabled) {
		const state = await deps.store.load();
		if (Object.keys(state.calendars).length > 0 || state.outbox.length > 0) {
			await deps.store.save(emptySchedulingState());
		}

		return undefined;
	}

	return runScheduling({
		...rest,
		calendars: await calendars(account, servers, calendarUrl, deps.signal),
		account: relayAccountOf(account, {servers}),
		from: {email: account.email, name: account.name},
		me: ownAddresses(account),
	});
}
