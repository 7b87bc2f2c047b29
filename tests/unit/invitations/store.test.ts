/**
 * lib/invitations' store on the extension's storage changes each record as a function of the one stored now, under
 * the storage lock (issue 11, item 3): the reply loop's tick writes what it read before its calendar round trip,
 * and the answer flow or the popup writing the same records meanwhile lose nothing.
 */
import {fakeBrowser} from 'wxt/testing/fake-browser';
import {beforeEach, expect, test} from 'vitest';
import {createStorageInvitations} from '../../../lib/attendee/index.ts';
import {createInvitationStore, markCancelledShown} from '../../../lib/invitations/store.ts';
import {invitationsItem, receivedItem} from '../../../lib/storage.ts';
import {invitationCopy, receivedInvitation} from '../../helpers/invitation-records.ts';

beforeEach(() => {
	fakeBrowser.reset();
});

const sentReply = {answer: 'ACCEPTED', sequence: 0, to: 'alice@example.org', state: 'sent', at: '2025-02-06T16:31:00Z'} as const;

test('a tick reads, the answer flow and the popup write, then the tick saves: every writer\'s change is kept', async () => {
	const store = createInvitationStore();
	await invitationsItem.setValue({x: invitationCopy('x'), gone: invitationCopy('gone')});
	await receivedItem.setValue({x: await receivedInvitation('x', {cancelled: true})});
	const read = await store.load();

	// While the tick's calendar round trip runs: the user's answer is stored, the popup shows the cancellation.
	await Promise.all([
		createStorageInvitations().update('x', current => current && {...current, reply: sentReply}),
		markCancelledShown(['x']),
	]);

	await store.save({
		copies: [{...read.copies['x']!, etag: '"2"', sequence: 1}, invitationCopy('y')],
		removedCopies: ['gone'],
		received: [{...read.received['x']!, updatedAt: '2025-02-07T09:00:00Z'}],
	});

	const copies = await invitationsItem.getValue();
	expect(Object.keys(copies).sort()).toEqual(['x', 'y']);
	expect(copies['x']).toMatchObject({etag: '"2"', sequence: 1, reply: sentReply});
	expect(copies['y']).toEqual(invitationCopy('y'));
	expect((await receivedItem.getValue())['x']).toMatchObject({updatedAt: '2025-02-07T09:00:00Z', cancelled: true, cancelShown: true});
});

test('the tick\'s save and the answer flow\'s update at once, in either order: both kept', async () => {
	for (const answerFirst of [true, false]) {
		fakeBrowser.reset();
		await invitationsItem.setValue({x: invitationCopy('x')});
		const tick = async (): Promise<void> => createInvitationStore().save({copies: [invitationCopy('x', {etag: '"2"'})], removedCopies: [], received: []});
		const answer = async (): Promise<unknown> => createStorageInvitations().update('x', current => current && {...current, reply: sentReply});
		await Promise.all(answerFirst ? [answer(), tick()] : [tick(), answer()]);
		expect((await invitationsItem.getValue())['x'], answerFirst ? 'answer first' : 'tick first').toMatchObject({etag: '"2"', reply: sentReply});
	}
});
