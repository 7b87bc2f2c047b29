/**
 * The one way to change the extension's record of an event (issue 11, item 3): `update(uid, current => next)`
 * reads the record under the storage lock and writes what `change` makes of it. The reply loop, the invite flows
 * and the popup's actions each change their own fields of the record they find, never a copy they read before a
 * CalDAV or mail round trip (that copy would drop the answers stored meanwhile: a lost update).
 */
import {storage} from '#imports';
import type {MessageOutcome, TrackedEvent} from './model.ts';
import {rememberSentInvitation} from './plain-answers/storage-store.ts';
import {eventsItem, outcomesItem, withStorageLock} from './storage.ts';

/** Makes the next record from the stored one (`undefined`: none yet); returning `undefined` leaves it as it is. */
export type EventChange = (current: TrackedEvent | undefined) => TrackedEvent | undefined;

export type EventsStore = {
	get(uid: string): Promise<TrackedEvent | undefined>;
	/** Changes one record under the storage lock and returns it as stored afterwards. */
	update(uid: string, change: EventChange): Promise<TrackedEvent | undefined>;
	/**
	 * Remembers a REQUEST mailed for the event (its Message-ID and subject), so that a plain-mail answer to it
	 * ("Re: Invitation: …", In-Reply-To) is recognised (lib/plain-answers). Optional: tests may not care.
	 */
	rememberSent?(uid: string, messageId: string, subject: string): Promise<void>;
};

/**
 * Changes several records and the outcomes list together, under the storage lock, in one storage write (so that
 * an outcome is never stored without its event's new state).
 */
export async function updateEvents(changes: ReadonlyMap<string, EventChange>, outcomes?: (current: MessageOutcome[]) => MessageOutcome[]): Promise<Record<string, TrackedEvent>> {
	return withStorageLock(async () => {
		const [events, storedOutcomes] = await Promise.all([eventsItem.getValue(), outcomes ? outcomesItem.getValue() : []]);
		const next = {...events};
		for (const [uid, change] of changes) {
			const changed = change(next[uid]);
			if (changed) {
				next[uid] = changed;
			}
		}

		await storage.setItems([
			{item: eventsItem, value: next},
			...outcomes ? [{item: outcomesItem, value: outcomes(storedOutcomes)}] : [],
		]);
		return next;
	});
}

export const storedEvents: EventsStore = {
	async get(uid) {
		return (await eventsItem.getValue())[uid];
	},
	async update(uid, change) {
		return (await updateEvents(new Map([[uid, change]])))[uid];
	},
	rememberSent: rememberSentInvitation,
};

/** The invite flows' store (lib/invites): the extension's storage. */
export function createStorageEvents(): EventsStore {
	return storedEvents;
}
