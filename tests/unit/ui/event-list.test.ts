import {describe, expect, test} from 'vitest';
import type {EventView} from '../../../lib/messaging.ts';
import type {AttendeeStatus} from '../../../lib/model.ts';
import {countAnswers, groupEvents, partstatLabel, resendLabel, summariseCounts} from '../../../lib/ui/event-list.ts';

function attendee(email: string, partstat: AttendeeStatus['partstat']): AttendeeStatus {
	return {email, optional: false, partstat};
}

function event(uid: string, start: string, end: string, overrides: Partial<EventView> = {}): EventView {
	return {
		uid,
		summary: uid,
		start,
		end,
		timeZone: 'UTC',
		allDay: false,
		attendees: [],
		delivery: {state: 'sent', at: '2025-01-01T00:00:00Z', rejected: []},
		cancelled: false,
		...overrides,
	};
}

describe('answer counts', () => {
	const attendees = [
		attendee('a@x.org', 'ACCEPTED'), attendee('b@x.org', 'ACCEPTED'), attendee('c@x.org', 'ACCEPTED'),
		attendee('d@x.org', 'DECLINED'), attendee('e@x.org', 'NEEDS-ACTION'), attendee('f@x.org', 'NEEDS-ACTION'),
	];

	test('counts each answer', () => {
		expect(countAnswers(attendees)).toEqual({accepted: 3, declined: 1, tentative: 0, delegated: 0, waiting: 2});
	});

	test.each([
		[attendees, '3 accepted · 1 declined · 2 waiting'],
		[[attendee('a@x.org', 'TENTATIVE'), attendee('b@x.org', 'DELEGATED')], '1 maybe · 1 delegated'],
		[[attendee('a@x.org', 'NEEDS-ACTION')], '1 waiting'],
		[[], 'No attendees'],
	])('summary %#', (list, expected) => {
		expect(summariseCounts(countAnswers(list))).toBe(expected);
	});

	test.each([
		['ACCEPTED', 'Accepted'],
		['DECLINED', 'Declined'],
		['TENTATIVE', 'Maybe'],
		['DELEGATED', 'Delegated'],
		['NEEDS-ACTION', 'Waiting'],
	] as const)('%s is shown as %s', (partstat, label) => {
		expect(partstatLabel(partstat)).toBe(label);
	});
});

describe('upcoming and past', () => {
	const now = new Date('2025-06-10T12:00:00Z');

	test('upcoming soonest first (running ones included), past most recent first', () => {
		const events = [
			event('later', '2025-06-20T09:00:00Z', '2025-06-20T10:00:00Z'),
			event('old', '2025-05-01T09:00:00Z', '2025-05-01T10:00:00Z'),
			event('running', '2025-06-10T11:30:00Z', '2025-06-10T12:30:00Z'),
			event('soon', '2025-06-11T09:00:00Z', '2025-06-11T10:00:00Z'),
			event('yesterday', '2025-06-09T09:00:00Z', '2025-06-09T10:00:00Z'),
			event('just-ended', '2025-06-10T11:00:00Z', '2025-06-10T12:00:00Z'),
		];
		const {upcoming, past} = groupEvents(events, now);
		expect(upcoming.map(item => item.uid)).toEqual(['running', 'soon', 'later']);
		expect(past.map(item => item.uid)).toEqual(['just-ended', 'yesterday', 'old']);
	});

	test('an all-day event is upcoming until its day is over (local midnight)', () => {
		const today = new Date(2025, 5, 10, 15, 0);
		const {upcoming, past} = groupEvents([
			event('today', '2025-06-10', '2025-06-11', {allDay: true}),
			event('yesterday', '2025-06-09', '2025-06-10', {allDay: true}),
		], today);
		expect(upcoming.map(item => item.uid)).toEqual(['today']);
		expect(past.map(item => item.uid)).toEqual(['yesterday']);
	});

	test('unreadable dates stay visible as upcoming', () => {
		expect(groupEvents([event('odd', 'soon', 'later')], now).upcoming).toHaveLength(1);
	});
});

describe('resend', () => {
	test.each<[string, Partial<EventView>, string | undefined]>([
		['two waiting', {attendees: [attendee('a@x.org', 'NEEDS-ACTION'), attendee('b@x.org', 'NEEDS-ACTION'), attendee('c@x.org', 'ACCEPTED')]}, 'Resend to 2 who haven\'t answered'],
		['one waiting', {attendees: [attendee('a@x.org', 'NEEDS-ACTION')]}, 'Resend to 1 who hasn\'t answered'],
		['everyone answered', {attendees: [attendee('a@x.org', 'DECLINED')]}, undefined],
		['never sent', {delivery: {state: 'not-sent', error: 'relay down', at: ''}, attendees: [attendee('a@x.org', 'NEEDS-ACTION')]}, 'Send invitation again'],
		['cancelled', {cancelled: true, attendees: [attendee('a@x.org', 'NEEDS-ACTION')]}, undefined],
	])('%s', (_name, overrides, expected) => {
		expect(resendLabel(event('e', '2025-06-20T09:00:00Z', '2025-06-20T10:00:00Z', overrides))).toBe(expected);
	});
});
