/**
 * The background's step for calendar-app scheduling (issue 18), run after the reply loop in each tick: when the
 * option is on, lib/scheduling's one tick over the account's calendars; when it is off, the watch state is dropped so
 * that turning it on again starts from a fresh baseline (nothing sent for what happened while it was off).
 */
import {ownAddresses, relayAccountOf} from '../account.ts';
import {discoverCalendars, withBackoff} from '../caldav/index.ts';
import {rememberSentInvitation} from '../plain-answers/storage-store.ts';
import {runScheduling, type SchedulingResult, type SentRecord} from '../scheduling/index.ts';
import {createSchedulingStore, resetScheduling} from '../scheduling/storage-store.ts';
import {schedulingLogItem, schedulingStateItem} from '../storage.ts';
import type {Context} from './context.ts';

/** The account's calendars are looked up again this often (three PROPFINDs), not on every tick. */
const rediscoverMs = 6 * 60 * 60 * 1000;

let discovered: {at: number; key: string; calendars: string[]} | undefined;

async function calendarsOf(context: Context): Promise<string[]> {
	const key = `${context.account.email} ${context.settings.servers.caldavUrl}`;
	if (!discovered || discovered.key !== key || Date.now() - discovered.at > rediscoverMs) {
		const found = await withBackoff(async () => discoverCalendars({
			username: context.account.email, password: context.account.password, serverUrl: context.settings.servers.caldavUrl,
		}));
		discovered = {at: Date.now(), key, calendars: found.calendars.map(calendar => calendar.url)};
	}

	const chosen = context.settings.calendarUrl;
	return chosen && !discovered.calendars.includes(chosen) ? [chosen, ...discovered.calendars] : discovered.calendars;
}

export async function scheduleOtherApps(context: Context): Promise<SchedulingResult | undefined> {
	if (!context.settings.scheduleOtherApps) {
		if (Object.keys((await schedulingStateItem.getValue()).calendars).length > 0) {
			await resetScheduling();
		}

		return undefined;
	}

	const from = {email: context.account.email, name: context.account.name};
	return runScheduling({
		caldav: context.caldav,
		calendars: await calendarsOf(context),
		relay: context.relay,
		account: relayAccountOf(context.account, context.settings),
		from,
		me: ownAddresses(context.account),
		store: createSchedulingStore(from),
		rememberSent: rememberSentInvitation,
	});
}

/** The popup's list: the mails sent for changes in other apps, newest first. */
const shownSentRecords = 5;

export async function sentForOtherApps(): Promise<SentRecord[]> {
	return (await schedulingLogItem.getValue()).slice(-shownSentRecords).reverse();
}
