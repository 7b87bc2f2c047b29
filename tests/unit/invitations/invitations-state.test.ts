/**
 * "Invitations for you" read from the extension's storage, and the toolbar badge after a tick: new answers plus the
 * invitations waiting for the user's answer; a cancelled invitation is shown once, then gone.
 */
import {fakeBrowser} from 'wxt/testing/fake-browser';
import {beforeEach, describe, expect, test, vi} from 'vitest';
import {createReplyChecker} from '../../../lib/background/check-replies.ts';
import {invitationsState} from '../../../lib/background/invitations-state.ts';
import type {Account, Settings} from '../../../lib/model.ts';
import {accountItem, defaultSettings, invitationsItem, loopStatusItem, receivedItem, settingsItem} from '../../../lib/storage.ts';
import {invitationCopy as copy, receivedInvitation as received} from '../../helpers/invitation-records.ts';

const account: Account = {email: 'bob@example.org', name: 'Bob', password: 'pw', aliases: []};

/** Three invitations: one listed (not added), one added and not answered, one cancelled; and one answered. */
async function seed(): Promise<void> {
	await invitationsItem.setValue({
		added: copy('added'), gone: copy('gone', {cancelled: true}), answered: copy('answered', {partstat: 'ACCEPTED'}),
	});
	await receivedItem.setValue({
		listed: await received('listed', {listed: true, mail: {folder: 'INBOX', uid: 46, messageId: null}}), added: await received('added'), gone: await received('gone'), answered: await received('answered'),
	});
}

beforeEach(() => {
	fakeBrowser.reset();
});

describe('invitationsState', () => {
	test('no account: nothing listed, nothing on the badge', async () => {
		await seed();
		expect(await invitationsState(defaultSettings, null, {shown: true})).toEqual({views: [], waiting: 0});
	});

	test('lists the waiting and the cancelled, links each mail in the user\'s webmail; the cancelled one goes after it was shown', async () => {
		await seed();
		const settings: Settings = {...defaultSettings, webmailOrigins: ['https://mail.example/']};
		const peek = await invitationsState(settings, account, {shown: false});
		expect(peek.views.map(view => [view.uid, view.listed, view.cancelled]).sort()).toEqual([['added', false, false], ['gone', false, true], ['listed', true, false]]);
		expect(peek.views.find(view => view.uid === 'listed')?.webmailUrl).toBe('https://mail.example/?_task=mail&_mbox=INBOX&_uid=46&_action=show');
		expect(peek.waiting).toBe(2);

		// Counting for the badge does not use up the cancelled one's showing; the popup does.
		const shown = await invitationsState(settings, account, {shown: true});
		expect(shown.views.map(view => view.uid).sort()).toEqual(['added', 'gone', 'listed']);
		expect((await receivedItem.getValue()).gone?.cancelShown).toBe(true);
		const after = await invitationsState(settings, account, {shown: true});
		expect(after.views.map(view => view.uid).sort()).toEqual(['added', 'listed']);
		expect(after.waiting).toBe(2);
	});
});

describe('the badge after a tick', () => {
	test('counts unseen answers plus invitations waiting for an answer, even when the tick could not reach the relay', async () => {
		await seed();
		// A relay nobody listens on (port 9, discard): the tick fails, the badge is still brought up to date.
		await settingsItem.setValue({...defaultSettings, relayMode: 'http', relayUrl: 'http://127.0.0.1:9', relayToken: 'token', calendarUrl: 'https://dav.example/cal/'});
		await accountItem.setValue(account);
		await loopStatusItem.setValue({lastCheck: null, lastError: null, unseenAnswers: 3});
		const badge = vi.fn(async (_count: number) => {});
		const checker = createReplyChecker({badge, notify: vi.fn(async () => {})}, {notifications: async () => false});
		const summary = await checker();
		expect(summary.ran).toBe(true);
		expect(summary.error).toBeDefined();
		expect(badge.mock.calls).toEqual([[3 + 2]]);
	});
});
