/**
 * The attendee's REPLY ends by the same delivery rule as the organizer's flows (lib/invites' `mailOutcome`, RFC 5321
 * §3.3): the organizer's address refused is a failed mail step, and the answer stays to be sent again with that
 * reason; accepted is a sent answer.
 */
import {fakeBrowser} from 'wxt/testing/fake-browser';
import {beforeEach, expect, test} from 'vitest';
import {answerInvitation} from '../../../lib/attendee/index.ts';
import {mailOutcome} from '../../../lib/invites/index.ts';
import {invitationsItem} from '../../../lib/storage.ts';
import {attendeeDeps, googleRequest} from '../../helpers/invitation-records.ts';

beforeEach(() => {
	fakeBrowser.reset();
});

test('the organizer refused: the mail step fails with mailOutcome\'s error, the answer is kept not sent', async () => {
	const refused = [{address: 'alice@example.org', reason: '550 5.1.1 mailbox unavailable'}];
	const deps = attendeeDeps(async () => ({messageId: '<reply@example.org>', accepted: [], rejected: refused}));
	const result = await answerInvitation({calendar: await googleRequest(), from: ['alice@example.org'], authenticationResults: []}, {answer: 'DECLINED'}, deps);
	const expected = mailOutcome([], refused);
	if (result.ok || expected.ok) {
		throw new Error(`expected a failed send: ${JSON.stringify(result)}`);
	}

	expect(result.error).toEqual(expected.error);
	expect(result.steps.map(step => [step.step, step.state])).toEqual([['calendar', 'done'], ['mail', 'failed']]);
	expect(result.steps.at(-1)!.detail).toBe(expected.error.message);
	const [record] = Object.values(await invitationsItem.getValue());
	expect(record?.reply).toMatchObject({answer: 'DECLINED', state: 'not-sent', to: 'alice@example.org', error: expected.error.message});
});

test('the organizer accepted: the answer is recorded sent, as mailOutcome says', async () => {
	const deps = attendeeDeps(async request => ({messageId: '<reply@example.org>', accepted: [...request.envelope.to], rejected: []}));
	const result = await answerInvitation({calendar: await googleRequest(), from: ['alice@example.org'], authenticationResults: []}, {answer: 'ACCEPTED'}, deps);
	expect(mailOutcome(['alice@example.org'], [])).toEqual({ok: true});
	expect(result).toMatchObject({ok: true, accepted: ['alice@example.org'], rejected: []});
	const [record] = Object.values(await invitationsItem.getValue());
	expect(record?.reply).toMatchObject({answer: 'ACCEPTED', state: 'sent'});
	expect(record?.reply).not.toHaveProperty('error');
});
