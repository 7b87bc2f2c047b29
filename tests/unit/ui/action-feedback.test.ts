import {describe, expect, test} from 'vitest';
import {answerFeedback, applyFeedback, cancelFeedback, describeChanges, resendFeedback, thrownFeedback, tickFeedback} from '../../../lib/ui/action-feedback.ts';

const relayDown = {code: 'relay-down' as const, message: 'The relay is not running.', action: 'Start it with `npm run relay`.'};

describe('action feedback', () => {
	test.each([
		['sent', {ok: true as const, uid: 'u', steps: [], accepted: ['a@x.org', 'b@x.org'], rejected: []}, {kind: 'ok', text: 'Sent again to 2 attendees.'}],
		['nobody left', {ok: true as const, uid: 'u', steps: [], accepted: [], rejected: []}, {kind: 'ok', text: 'Everyone has answered: nothing to resend.'}],
		['refused', {ok: true as const, uid: 'u', steps: [], accepted: ['a@x.org'], rejected: [{address: 'c@rejected.test', reason: '550 no such user'}]}, {
			kind: 'error', text: 'Sent again to 1 attendee; refused by c@rejected.test (550 no such user).',
		}],
		['failed', {ok: false as const, steps: [], error: relayDown}, {kind: 'error', text: 'The relay is not running.', action: 'Start it with `npm run relay`.'}],
	])('resend: %s', (_name, result, expected) => {
		expect(resendFeedback(result)).toEqual(expected);
	});

	test('cancel', () => {
		expect(cancelFeedback({ok: true, uid: 'u', steps: [], accepted: ['a@x.org'], rejected: []})).toEqual({kind: 'ok', text: 'Cancelled; 1 attendee was told.'});
		expect(cancelFeedback({ok: false, steps: [], error: relayDown}).kind).toBe('error');
	});

	test.each([
		['ACCEPTED', 'Accepted; the organizer was told.'],
		['TENTATIVE', 'Answered "maybe"; the organizer was told.'],
		['DECLINED', 'Declined; the organizer was told.'],
	] as const)('answering an invitation from the popup: %s', (answer, text) => {
		expect(answerFeedback({ok: true, uid: 'u', steps: [], accepted: ['ann@x.org'], rejected: []}, answer)).toEqual({kind: 'ok', text});
		expect(answerFeedback({ok: false, steps: [], error: relayDown}, answer)).toEqual({kind: 'error', text: relayDown.message, action: relayDown.action});
	});

	test('apply anyway', () => {
		const changes = [{attendee: 'sam@x.org', partstat: 'DECLINED' as const}];
		expect(describeChanges(changes)).toBe('sam@x.org: Declined');
		expect(applyFeedback({ok: true, reason: 'Applied.', changes})).toEqual({kind: 'ok', text: 'Applied: sam@x.org: Declined.'});
		expect(applyFeedback({ok: false, reason: 'The event is gone.', changes: []})).toEqual({kind: 'error', text: 'The event is gone.'});
	});

	test.each([
		[{ran: true, messages: 0, applied: 0, review: 0}, 'No new answers.'],
		[{ran: true, messages: 3, applied: 2, review: 1}, '2 answers applied, 1 reply needs your eye.'],
		[{ran: true, messages: 2, applied: 0, review: 0}, '2 messages read, nothing new.'],
		[{ran: false, messages: 0, applied: 0, review: 0}, 'A check was already running; this is its result.'],
		[{ran: true, messages: 0, applied: 0, review: 0, error: relayDown}, 'The relay is not running.'],
	])('tick %#', (summary, text) => {
		expect(tickFeedback(summary).text).toBe(text);
	});

	test('no answer from the background', () => {
		expect(thrownFeedback(new Error('Receiving end does not exist.'))).toMatchObject({kind: 'error', text: /Receiving end/, action: /reload the extension/});
	});
});
