/**
 * The background's step for calendar-app scheduling (issue 18), run after the reply loop in each tick: lib/scheduling's
 * one composition (scheduleAccount) on the extension's storage and relay.
 */
import {rememberSentInvitation} from '../plain-answers/storage-store.ts';
import {calendarFinder, scheduleAccount} from '../scheduling/for-account.ts';
import type {SchedulingResult, SentRecord} from '../scheduling/index.ts';
import {createSchedulingStore} from '../scheduling/storage-store.ts';
import {schedulingLogItem} from '../storage.ts';
import type {Context} from './context.ts';

const calendars = calendarFinder();

export async function scheduleOtherApps(context: Context): Promise<SchedulingResult | undefined> {
	return scheduleAccount({
		enabled: context.settings.scheduleOtherApps ?? false,
		account: context.account,
		servers: context.settings.servers,
		calendarUrl: context.settings.calendarUrl ?? undefined,
		caldav: context.caldav,
		relay: context.relay,
		store: createSchedulingStore({email: context.account.email, name: context.account.name}),
		calendars,
		rememberSent: rememberSentInvitation,
	});
}

/** The popup's list: the mails sent for changes in other apps, newest first. */
const shownSentRecords = 5;

export async function sentForOtherApps(): Promise<SentRecord[]> {
	return (await schedulingLogItem.getValue()).slice(-shownSentRecords).reverse();
}
