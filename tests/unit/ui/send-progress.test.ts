import {describe, expect, test} from 'vitest';
import type {SendStep} from '../../../lib/messaging.ts';
import {mergeStep, sentSummary, stateFromResult, stateFromThrown} from '../../../lib/ui/send-progress.ts';

const calendarWorking: SendStep = {step: 'calendar', state: 'working', detail: 'Saving to Calendar'};
const calendarDone: SendStep = {step: 'calendar', state: 'done', detail: 'Saved to Calendar'};
const mailWorking: SendStep = {step: 'mail', state: 'working', detail: 'Sending to 2 attendees'};
const mailFailed: SendStep = {step: 'mail', state: 'failed', detail: 'The relay is not running'};

describe('send progress', () => {
	test('a later report replaces the earlier one; calendar stays first', () => {
		let steps = mergeStep([], calendarWorking);
		steps = mergeStep(steps, mailWorking);
		steps = mergeStep(steps, calendarDone);
		expect(steps).toEqual([calendarDone, mailWorking]);
	});

	test('the result has the last word', () => {
		expect(stateFromResult([calendarDone, mailWorking], {
			ok: false,
			steps: [mailFailed],
			error: {code: 'relay-down', message: 'The relay is not running.', action: 'npm run relay'},
		})).toEqual({phase: 'failed', steps: [calendarDone, mailFailed], error: {code: 'relay-down', message: 'The relay is not running.', action: 'npm run relay'}});
		expect(stateFromResult([], {ok: true, uid: 'u', steps: [calendarDone], accepted: ['a@x.org'], rejected: []}))
			.toEqual({phase: 'sent', steps: [calendarDone], accepted: ['a@x.org'], rejected: []});
	});

	test('a message that never got an answer is an error with something to do', () => {
		const state = stateFromThrown([calendarWorking], new Error('Could not establish connection'));
		expect(state).toMatchObject({phase: 'failed', steps: [calendarWorking], error: {code: 'unknown', message: /Could not establish connection/, action: /Reload/}});
	});

	test.each([
		[['a@x.org'], [], 'Invitation sent to 1 attendee.'],
		[['a@x.org', 'b@x.org'], [{address: 'c@rejected.test', reason: 'mailbox unavailable'}], 'Invitation sent to 2 attendees. Not delivered to c@rejected.test (mailbox unavailable).'],
	])('summary %#', (accepted, rejected, expected) => {
		expect(sentSummary(accepted, rejected)).toBe(expected);
	});
});
