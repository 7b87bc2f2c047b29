/** Which invitations the popup lists under "Invitations for you", and the badge's share. */
import {describe, expect, test} from 'vitest';
import {invitationViews, messageUrl, waitingCount} from '../../../lib/invitations/views.ts';
import {invitationCopy as copy, receivedInvitation as received} from '../../helpers/invitation-records.ts';

const me = ['bob@example.org'];

describe('invitationViews', () => {
	test('a listed invitation shows the REQUEST\'s facts and the user\'s webmail link to the mail', async () => {
		const views = invitationViews({copies: {}, received: {a: await received('a', {listed: true, wasInJunk: true, mail: {folder: 'Junk', uid: 7, messageId: null}})}, me, webmailUrl: 'https://mail.example/roundcube/'});
		expect(views).toEqual([expect.objectContaining({
			uid: 'a', summary: 'Imip Testing', start: '2025-02-20T18:00:00Z', listed: true, wasInJunk: true, partstat: 'NEEDS-ACTION', cancelled: false,
			organizer: {email: 'alice@example.org', name: 'alice@example.org'},
			webmailUrl: 'https://mail.example/roundcube/?_task=mail&_mbox=Junk&_uid=7&_action=show',
		})]);
		expect(waitingCount(views)).toBe(1);
	});

	test.each([
		['answered', copy('x', {partstat: 'ACCEPTED'}), {}, 0],
		['answered by a REPLY sent for this version', copy('x', {reply: {answer: 'DECLINED', sequence: 0, to: 'alice@example.org', state: 'sent', at: ''}}), {}, 0],
		['asked again after the time moved', copy('x', {sequence: 1, reply: {answer: 'ACCEPTED', sequence: 0, to: 'alice@example.org', state: 'sent', at: ''}}), {}, 1],
		['cancelled, not shown yet', copy('x', {cancelled: true}), {}, 1],
		['cancelled and shown once', copy('x', {cancelled: true}), {cancelShown: true}, 0],
	] as const)('%s', async (_name, stored, extra, listed) => {
		const views = invitationViews({copies: {x: stored}, received: {x: await received('x', extra)}, me, webmailUrl: 'https://inbox.purelymail.com/'});
		expect(views).toHaveLength(listed);
		expect(waitingCount(views)).toBe(views.filter(view => !view.cancelled).length);
	});

	test('messageUrl encodes the folder', () => {
		expect(messageUrl('https://inbox.purelymail.com/', 'Folder with space', 3)).toBe('https://inbox.purelymail.com/?_task=mail&_mbox=Folder%20with%20space&_uid=3&_action=show');
	});
});
