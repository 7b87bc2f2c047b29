/** The plain-answer records in the extension's storage (lib/storage.ts), written under the storage lock. */
import type {TrackedEvent} from '../model.ts';
import {eventsItem, plainAnswersItem, sentInvitationsItem, withStorageLock} from '../storage.ts';
import type {PlainAnswerStore} from './relay-port.ts';
import type {PlainAnswer} from './types.ts';

/** Kept per event: the mails an attendee may still be answering. Older ones drop off first. */
export const keptSentPerEvent = 20;

/** Plain answers kept, newest last. */
export const keptPlainAnswers = 300;

export async function rememberSentInvitation(uid: string, messageId: string, subject: string): Promise<void> {
	await withStorageLock(async () => {
		const sent = await sentInvitationsItem.getValue();
		const before = Object.hasOwn(sent, uid) ? sent[uid]! : {messageIds: [], subjects: []};
		const add = <T>(list: T[], value: T): T[] => [...list.filter(item => item !== value), value].slice(-keptSentPerEvent);
		await sentInvitationsItem.setValue({...sent, [uid]: {messageIds: add(before.messageIds, messageId), subjects: add(before.subjects, subject)}});
	});
}

/** Adds answers not seen before; one already kept (recorded, dismissed) stays as it is. */
export async function addPlainAnswers(found: readonly PlainAnswer[]): Promise<void> {
	await withStorageLock(async () => {
		const kept = await plainAnswersItem.getValue();
		const known = new Set(kept.map(answer => answer.key));
		const fresh = found.filter(answer => !known.has(answer.key));
		if (fresh.length > 0) {
			await plainAnswersItem.setValue([...kept, ...fresh].slice(-keptPlainAnswers));
		}
	});
}

export function createPlainAnswerStore(): PlainAnswerStore {
	return {
		sent: async () => sentInvitationsItem.getValue(),
		events: async (): Promise<Record<string, TrackedEvent>> => eventsItem.getValue(),
		add: addPlainAnswers,
	};
}
