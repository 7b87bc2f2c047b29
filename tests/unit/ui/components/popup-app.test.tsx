// @vitest-environment happy-dom
import {cleanup, fireEvent, render, screen, within} from '@testing-library/preact';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {PopupApp, type BusyKey, type PopupAppProps} from '../../../../components/popup-app.tsx';
import type {EventView, PopupState} from '../../../../lib/messaging.ts';

const now = new Date('2025-06-10T08:40:00Z');

function event(uid: string, summary: string, start: string, extra: Partial<EventView> = {}): EventView {
	return {
		uid,
		summary,
		start,
		end: new Date(Date.parse(start) + 3_600_000).toISOString(),
		timeZone: 'UTC',
		allDay: false,
		attendees: [],
		delivery: {state: 'sent', at: '2025-06-01T00:00:00Z', rejected: []},
		cancelled: false,
		...extra,
	};
}

const state: PopupState = {
	configured: true,
	status: {lastCheck: '2025-06-10T08:35:00Z', lastError: null, unseenAnswers: 2},
	review: [{
		key: 'INBOX/1/9',
		messageId: null,
		from: 'mallory@elsewhere.test',
		subject: 'Declined: Planning',
		eventUid: 'plan',
		outcome: 'review',
		reason: 'Sent from an address that is not the attendee\'s.',
		changes: [{attendee: 'sam@example.org', partstat: 'DECLINED'}],
		recordedAt: '2025-06-10T08:00:00Z',
		calendar: 'BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n',
		check: 'sender',
	}],
	events: [
		event('later', 'Later meeting', '2025-06-20T09:00:00Z'),
		event('plan', 'Planning', '2025-06-12T09:00:00Z', {
			webmailUrl: 'https://inbox.purelymail.com/?_task=mail',
			attendees: [
				{email: 'alex@example.org', name: 'Alex', optional: false, partstat: 'ACCEPTED', comment: 'See you there', answeredAt: '2025-06-10T06:40:00Z'},
				{email: 'sam@example.org', optional: false, partstat: 'NEEDS-ACTION'},
				{email: 'kim@example.org', optional: true, partstat: 'DECLINED'},
			],
		}),
		event('old', 'Old meeting', '2025-05-01T09:00:00Z'),
	],
};

function setup(overrides: Partial<PopupAppProps> = {}): PopupAppProps {
	const props: PopupAppProps = {
		state,
		checking: false,
		busy: new Set<BusyKey>(),
		feedback: {},
		now,
		format: {locale: 'en-GB', timeZone: 'UTC'},
		onCheckNow: vi.fn(),
		onApplyAnyway: vi.fn(),
		onDismiss: vi.fn(),
		onResend: vi.fn(),
		onCancelEvent: vi.fn(),
		onOpenOptions: vi.fn(),
		...overrides,
	};
	render(<PopupApp {...props} />);
	return props;
}

afterEach(() => {
	cleanup();
});

describe('the popup', () => {
	test('without settings: the setup card opens the options page', () => {
		const props = setup({state: {...state, configured: false}});
		expect(screen.queryByText('Upcoming')).toBeNull();
		fireEvent.click(screen.getByRole('button', {name: 'Open settings'}));
		expect(props.onOpenOptions).toHaveBeenCalledTimes(1);
	});

	test('lists upcoming events soonest first with their counts; past ones are folded', () => {
		setup();
		const upcoming = screen.getByRole('region', {name: /Upcoming/});
		const titles = [...upcoming.querySelectorAll('.pmi-event-summary')].map(item => item.textContent);
		expect(titles).toEqual(['Planning', 'Later meeting']);
		expect(within(upcoming).getByText('1 accepted · 1 declined · 1 waiting')).toBeTruthy();
		const past = document.querySelector('details.pmi-past')!;
		expect(past.hasAttribute('open')).toBe(false);
		expect(within(past as HTMLElement).getByText('Old meeting')).toBeTruthy();
		expect(screen.getByText('Checked 5 min ago')).toBeTruthy();
	});

	test('expanding an event shows each attendee, their answer, comment and time', () => {
		setup();
		const toggle = screen.getByRole('button', {name: /^Planning,.*Show attendees/});
		expect(toggle.getAttribute('aria-expanded')).toBe('false');
		fireEvent.click(toggle);
		expect(toggle.getAttribute('aria-expanded')).toBe('true');
		const list = screen.getByRole('list', {name: 'Attendees of Planning'});
		expect(within(list).getByLabelText('Answer: Accepted')).toBeTruthy();
		expect(within(list).getByText('See you there')).toBeTruthy();
		expect(within(list).getByText('answered 2 h ago')).toBeTruthy();
		expect(within(list).getByLabelText('Answer: Waiting')).toBeTruthy();
	});

	test('resend, cancel after confirming, open in webmail', () => {
		const props = setup();
		fireEvent.click(screen.getByRole('button', {name: /^Planning,.*Show attendees/}));
		fireEvent.click(screen.getByRole('button', {name: 'Resend to 1 who hasn\'t answered: Planning'}));
		expect(props.onResend).toHaveBeenCalledWith('plan');
		fireEvent.click(screen.getByRole('button', {name: 'Cancel event Planning'}));
		expect(props.onCancelEvent).not.toHaveBeenCalled();
		fireEvent.click(screen.getByRole('button', {name: 'Yes, cancel Planning'}));
		expect(props.onCancelEvent).toHaveBeenCalledWith('plan');
		expect(screen.getByRole('link', {name: 'Open Planning in the webmail'}).getAttribute('href')).toBe('https://inbox.purelymail.com/?_task=mail');
	});

	test('needs your eye: the reason, what it asks, apply anyway (naming the one check it overrides) and dismiss', () => {
		const props = setup();
		const review = screen.getByRole('region', {name: /Needs your eye/});
		expect(within(review).getByText('Sent from an address that is not the attendee\'s.')).toBeTruthy();
		expect(within(review).getByText('Asks for: sam@example.org: Declined')).toBeTruthy();
		fireEvent.click(within(review).getByRole('button', {name: 'Apply though not sent by them: Declined: Planning'}));
		expect(props.onApplyAnyway).toHaveBeenCalledWith('INBOX/1/9');
		fireEvent.click(within(review).getByRole('button', {name: 'Dismiss: Declined: Planning'}));
		expect(props.onDismiss).toHaveBeenCalledWith('INBOX/1/9');
	});

	test('a parked answer says it is not written yet and will be retried, and offers no apply', () => {
		setup({state: {...state, review: [{...state.review[0]!, key: 'INBOX/1/10', outcome: 'parked', reason: 'Not written to "Planning" yet: the calendar server is failing (503); it will be retried.', retryAt: '2025-06-10T09:05:00Z'}]}});
		const review = screen.getByRole('region', {name: /Needs your eye/});
		expect(within(review).getByText(/^Not written yet, will retry/)).toBeTruthy();
		expect(within(review).queryByRole('button', {name: /^Apply/})).toBeNull();
	});

	test('check now, its spinner and its error with what to do', () => {
		const props = setup();
		fireEvent.click(screen.getByRole('button', {name: 'Check now for answers'}));
		expect(props.onCheckNow).toHaveBeenCalledTimes(1);
		cleanup();
		setup({checking: true, checkFeedback: {kind: 'error', text: 'The relay did not answer.', action: 'Start it with `npm run relay`.'}});
		expect(screen.getByRole('button', {name: 'Checking for answers'})).toHaveProperty('disabled', true);
		expect(screen.getByText('The relay did not answer.')).toBeTruthy();
		expect(screen.getByText('npm run relay').tagName).toBe('CODE');
	});
});

describe('the organizer\'s changes in the popup (issue 15)', () => {
	const series = event('series', 'Weekly status', '2025-06-10T09:00:00Z', {
		repeat: 'every week on Tuesday, 6 times',
		nextOccurrence: '2025-06-17T09:00:00Z',
		attendees: [{email: 'sam@example.org', name: 'Sam', optional: false, partstat: 'ACCEPTED'}],
		occurrenceAnswers: [{recurrenceId: '2025-06-24T09:00:00Z', email: 'sam@example.org', name: 'Sam', partstat: 'DECLINED'}],
	});
	const counter = {
		key: 'INBOX/1/12',
		messageId: null,
		from: 'alex@example.org',
		subject: 'New time proposed: Planning',
		eventUid: 'plan',
		outcome: 'review' as const,
		reason: 'alex@example.org proposes … (COUNTER)',
		changes: [],
		recordedAt: '2025-06-10T08:30:00Z',
		calendar: 'BEGIN:VCALENDAR…',
		proposal: {attendee: 'alex@example.org', start: '2025-06-13T14:00:00Z', end: '2025-06-13T15:00:00Z', comment: 'Friday afternoon suits everyone'},
	};

	test('a series shows its repeat in words, the next occurrence and answers for single occurrences; Edit and cancelling one occurrence', () => {
		const onEdit = vi.fn();
		const onCancelOccurrence = vi.fn();
		setup({state: {...state, review: [], events: [series]}, onEdit, onCancelOccurrence});
		expect(screen.getByText('Repeats every week on Tuesday, 6 times · next Tue 17 Jun, 09:00')).toBeTruthy();
		fireEvent.click(screen.getByRole('button', {name: /^Weekly status,.*Show attendees/}));
		const answers = screen.getByRole('list', {name: 'Answers for single occurrences of Weekly status'});
		expect(answers.textContent).toBe('Sam Declined Tue 24 Jun, 09:00');
		fireEvent.click(screen.getByRole('button', {name: 'Edit Weekly status'}));
		expect(onEdit).toHaveBeenCalledWith('series');
		fireEvent.click(screen.getByRole('button', {name: 'Cancel Weekly status on Tue 17 Jun, 09:00 only'}));
		expect(onCancelOccurrence).not.toHaveBeenCalled();
		fireEvent.click(screen.getByRole('button', {name: 'Yes, cancel Weekly status on Tue 17 Jun, 09:00'}));
		expect(onCancelOccurrence).toHaveBeenCalledWith('series', '2025-06-17T09:00:00Z');
	});

	test('"Change … only" opens the edit page for the next occurrence alone', () => {
		const onEditOccurrence = vi.fn();
		setup({state: {...state, review: [], events: [series]}, onEditOccurrence});
		fireEvent.click(screen.getByRole('button', {name: /^Weekly status,.*Show attendees/}));
		fireEvent.click(screen.getByRole('button', {name: 'Change Weekly status on Tue 17 Jun, 09:00 only'}));
		expect(onEditOccurrence).toHaveBeenCalledWith('series', '2025-06-17T09:00:00Z');
	});

	test('a plain-mail answer shows under its event without expanding it; one click records it, or puts it away', () => {
		const onRecordPlainAnswer = vi.fn();
		const onDismissPlainAnswer = vi.fn();
		const plainAnswers = [{key: 'INBOX/7/3', eventUid: 'series', attendee: {email: 'sam@example.org', name: 'Sam'}, excerpt: 'Yes, I\'ll be there', subject: 'Re: Weekly status', date: null, messageId: '<m@x>'}];
		setup({state: {...state, review: [], events: [{...series, plainAnswers}]}, onRecordPlainAnswer, onDismissPlainAnswer});
		const list = screen.getByRole('list', {name: 'Answers by e-mail to Weekly status'});
		expect(list.textContent).toContain('Sam answered by e-mail: Yes, I\'ll be there');
		fireEvent.click(within(list).getByRole('button', {name: 'Record Sam as Maybe for Weekly status'}));
		expect(onRecordPlainAnswer).toHaveBeenCalledWith('INBOX/7/3', 'TENTATIVE');
		fireEvent.click(within(list).getByRole('button', {name: 'Put away Sam\'s e-mail'}));
		expect(onDismissPlainAnswer).toHaveBeenCalledWith('INBOX/7/3');
	});

	test('a COUNTER: the proposed time beside the current one and the comment; Accept proposal / Decline proposal', () => {
		const onAcceptProposal = vi.fn();
		const onDeclineProposal = vi.fn();
		setup({state: {...state, review: [counter]}, onAcceptProposal, onDeclineProposal});
		const review = screen.getByRole('region', {name: /Needs your eye/});
		expect(within(review).getByText('Fri 13 Jun, 14:00 – 15:00')).toBeTruthy();
		expect(within(review).getByText('Thu 12 Jun, 09:00 – 10:00')).toBeTruthy();
		expect(within(review).getByText('Friday afternoon suits everyone')).toBeTruthy();
		expect(within(review).queryByRole('button', {name: /Apply anyway/})).toBeNull();
		fireEvent.click(within(review).getByRole('button', {name: 'Accept proposal: New time proposed: Planning'}));
		expect(onAcceptProposal).toHaveBeenCalledWith('INBOX/1/12');
		fireEvent.click(within(review).getByRole('button', {name: 'Decline proposal: New time proposed: Planning'}));
		expect(onDeclineProposal).toHaveBeenCalledWith('INBOX/1/12');
	});

	test('"Invitations for you": time in the viewer\'s zone, organizer, Junk flag, the mail link; Accept / Maybe / Decline answer', () => {
		const invitation = {
			uid: 'inv-1', summary: 'Budget review', start: '2025-06-12T13:00:00Z', end: '2025-06-12T14:00:00Z', allDay: false,
			organizer: {email: 'ann@example.org', name: 'Ann'}, partstat: 'NEEDS-ACTION' as const, cancelled: false, listed: true, wasInJunk: true,
			message: {calendar: 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n', from: ['ann@example.org'], authenticationResults: []},
			webmailUrl: 'https://inbox.purelymail.com/?_task=mail&_mbox=Junk&_uid=7&_action=show',
		};
		const cancelled = {...invitation, uid: 'inv-2', summary: 'Offsite', cancelled: true, listed: false, wasInJunk: false};
		const onAnswerInvitation = vi.fn();
		setup({state: {...state, invitations: [invitation, cancelled]}, format: {locale: 'en-GB', timeZone: 'Europe/Berlin'}, onAnswerInvitation});
		const section = screen.getByRole('region', {name: /Invitations for you/});
		const [first, second] = within(section).getAllByRole('listitem');
		expect(within(first!).getByText('Thu 12 Jun, 15:00 – 16:00')).toBeTruthy();
		expect(within(first!).getByText('From Ann <ann@example.org>')).toBeTruthy();
		expect(within(first!).getByText('was in Junk')).toBeTruthy();
		expect(within(first!).getByRole('link', {name: 'Open the mail'}).getAttribute('href')).toBe(invitation.webmailUrl);
		fireEvent.click(within(first!).getByRole('button', {name: 'Accept: Budget review'}));
		fireEvent.click(within(first!).getByRole('button', {name: 'Maybe: Budget review'}));
		fireEvent.click(within(first!).getByRole('button', {name: 'Decline: Budget review'}));
		expect(onAnswerInvitation.mock.calls).toEqual([['inv-1', 'ACCEPTED'], ['inv-1', 'TENTATIVE'], ['inv-1', 'DECLINED']]);
		expect(within(second!).getByText(/Cancelled by the organizer/)).toBeTruthy();
		expect(within(second!).queryByRole('button')).toBeNull();
	});
});
