/**
 * lib/attendee's records change only through `update(uid, current => next)` under the storage lock (issue 11, item
 * 12): the answer flow and the reply loop's invitation processing writing the same record at the same time lose
 * nothing of each other's.
 */
import {fakeBrowser} from 'wxt/testing/fake-browser';
import {beforeEach, expect, test} from 'vitest';
import {answerInvitation, createStorageInvitations} from '../../../lib/attendee/index.ts';
import {createInvitationStore} from '../../../lib/invitations/store.ts';
import {invitationsItem} from '../../../lib/storage.ts';
import {attendeeDeps, googleRequest, invitationCopy} from '../../helpers/invitation-records.ts';

beforeEach(() => {
	fakeBrowser.reset();
});

/** Resolves when `release` is called: holds a fake server's answer while another writer goes. */
function gate(): {wait: Promise<void>; release: () => void} {
	let release = (): void => undefined;
	const wait = new Promise<void>(resolve => {
		release = resolve;
	});
	return {wait, release};
}

test('two writers of one record at once: each keeps its own change', async () => {
	const store = createStorageInvitations();
	await store.update('x', () => invitationCopy('x'));
	await Promise.all([
		store.update('x', current => current && {...current, etag: '"2"', sequence: 1}),
		store.update('x', current => current && {...current, reply: {answer: 'ACCEPTED', sequence: 0, to: 'alice@example.org', state: 'sent', at: '2025-02-06T16:31:00Z'}}),
		store.update('y', () => invitationCopy('y')),
	]);
	const stored = await invitationsItem.getValue();
	expect(stored['x']).toMatchObject({etag: '"2"', sequence: 1, reply: {answer: 'ACCEPTED', state: 'sent'}});
	expect(Object.keys(stored).sort()).toEqual(['x', 'y']);
	expect(await store.update('x', () => undefined)).toEqual(stored['x']);
});

test('the loop stores a newer copy while the answer\'s mail is on its way: the answer is recorded on the newer copy', async () => {
	const calendar = await googleRequest();
	const mailing = gate();
	const loopStored = gate();
	const newer = {...invitationCopy('placeholder'), etag: '"from-the-loop"', sequence: 3};
	const sends: string[][] = [];
	const deps = attendeeDeps(async request => {
		sends.push([...request.envelope.to]);
		mailing.release();
		await loopStored.wait;
		return {messageId: '<reply@example.org>', accepted: [...request.envelope.to], rejected: []};
	});
	const answering = answerInvitation({calendar, from: ['alice@example.org'], authenticationResults: []}, {answer: 'ACCEPTED'}, deps);
	await mailing.wait;
	const [uid] = Object.keys(await invitationsItem.getValue());
	// The reply loop's invitation processing (lib/invitations) stores the organizer's newer version meanwhile.
	await createInvitationStore().save({copies: [{...newer, uid: uid!}], removedCopies: [], received: []});
	loopStored.release();
	const result = await answering;
	expect(result.ok).toBe(true);
	expect(sends).toEqual([['alice@example.org']]);
	expect((await invitationsItem.getValue())[uid!]).toMatchObject({uid, etag: newer.etag, sequence: newer.sequence, reply: {answer: 'ACCEPTED', state: 'sent', to: 'alice@example.org'}});
});
