// @vitest-environment happy-dom
import {cleanup, fireEvent, render, screen} from '@testing-library/preact';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {InvitationCard, type InvitationCardProps} from '../../../../components/invitation-card.tsx';
import type {CardView} from '../../../../lib/ui/invitation-card.ts';
import type {CardEvent} from '../../../../lib/ui/invitation-event.ts';
import {userClick} from '../../../helpers/user-events.ts';

const event: CardEvent = {
	uid: 'plan-1',
	title: 'Planning',
	when: 'Tue 1 Dec, 16:00 – 17:00',
	organizerWhen: 'Tue 1 Dec, 10:00 – 11:00 New York (America)',
	repeat: 'every week, 4 times',
	location: {text: 'Room 4, https://meet.example.org/plan', href: 'https://meet.example.org/plan'},
	organizer: {email: 'olivia@example.com', name: 'Olivia'},
	attendees: [
		{email: 'alex@example.org', name: 'Alex', partstat: 'NEEDS-ACTION', label: 'Waiting', optional: false},
		{email: 'sam@example.net', partstat: 'ACCEPTED', label: 'Accepted', optional: true},
	],
	description: 'Bring numbers.',
	occurrences: [{id: '2026-12-01T15:00:00Z', label: 'Tue 1 Dec, 16:00'}, {id: '2026-12-08T15:00:00Z', label: 'Tue 8 Dec, 16:00'}],
};

function show(view: CardView, extra: Partial<InvitationCardProps> = {}): InvitationCardProps {
	const props: InvitationCardProps = {
		view, action: {phase: 'idle'}, theme: 'light',
		onAnswer: vi.fn(), onAdd: vi.fn(), onRemove: vi.fn(), onEdit: vi.fn(),
		...extra,
	};
	render(<InvitationCard {...props} />);
	return props;
}

afterEach(() => {
	cleanup();
});

describe('InvitationCard', () => {
	test('an invitation: details, then Maybe with a comment for one occurrence sends exactly that choice', () => {
		const props = show({kind: 'invitation', event, changed: [], inCalendar: false});
		expect(screen.getByRole('heading', {name: 'Planning'})).toBeTruthy();
		expect(screen.getByText('every week, 4 times')).toBeTruthy();
		expect(screen.getByRole('link', {name: 'Room 4, https://meet.example.org/plan'}).getAttribute('href')).toBe('https://meet.example.org/plan');
		expect(screen.getByText(/Organizer's time: Tue 1 Dec, 10:00/)).toBeTruthy();
		expect(screen.getByText('sam@example.net (optional)')).toBeTruthy();
		fireEvent.input(screen.getByLabelText('Comment to the organizer (optional)'), {target: {value: '  Late by 10 minutes '}});
		fireEvent.click(screen.getByLabelText('This one:'));
		fireEvent.change(screen.getByLabelText('Occurrence'), {target: {value: '2026-12-08T15:00:00Z'}});
		userClick(screen.getByRole('button', {name: 'Maybe'}));
		expect(props.onAnswer).toHaveBeenCalledWith({answer: 'TENTATIVE', comment: 'Late by 10 minutes', occurrence: '2026-12-08T15:00:00Z'});
		fireEvent.click(screen.getByLabelText('All occurrences'));
		userClick(screen.getByRole('button', {name: 'Decline'}));
		expect(props.onAnswer).toHaveBeenLastCalledWith({answer: 'DECLINED', comment: 'Late by 10 minutes'});
		userClick(screen.getByRole('button', {name: 'Add to calendar'}));
		expect(props.onAdd).toHaveBeenCalledTimes(1);
	});

	test('after answering: the answer is pressed, what was sent is said, and a failed send can be sent again', () => {
		const choice = {answer: 'ACCEPTED' as const};
		const props = show({kind: 'invitation', event, changed: [], inCalendar: true, myAnswer: 'ACCEPTED', lastReply: {text: 'Your answer Accept is saved in your calendar but was not sent.', failed: true, choice}});
		expect(screen.getByRole('button', {name: 'Accept'}).getAttribute('aria-pressed')).toBe('true');
		expect(screen.getByRole('button', {name: 'Maybe'}).getAttribute('aria-pressed')).toBe('false');
		expect(screen.queryByRole('button', {name: 'Add to calendar'})).toBeNull();
		userClick(screen.getByRole('button', {name: 'Send it again'}));
		expect(props.onAnswer).toHaveBeenCalledWith(choice);
	});

	test('while a button works, the answer buttons wait, and the steps show', () => {
		show({kind: 'invitation', event, changed: [], inCalendar: false}, {action: {phase: 'sending', steps: [{step: 'calendar', state: 'done', detail: 'Saved to your calendar as accepted'}, {step: 'mail', state: 'working', detail: 'Sending your answer…'}]}});
		expect((screen.getByRole('button', {name: 'Accept'}) as HTMLButtonElement).disabled).toBe(true);
		expect(screen.getByText('Saved to your calendar as accepted')).toBeTruthy();
	});

	test('a failure shows what to do', () => {
		show({kind: 'invitation', event, changed: [], inCalendar: false}, {action: {phase: 'failed', steps: [], error: {code: 'relay-down', message: 'The companion relay does not answer.', action: 'Start it.'}}});
		expect(screen.getByRole('alert').textContent).toContain('The companion relay does not answer.');
	});

	test('an update names what changed', () => {
		show({kind: 'update', event, changed: ['the time', 'the place'], inCalendar: true});
		expect(screen.getByText('Changed:').parentElement!.textContent).toBe('Changed: the time, the place.');
		expect(screen.getByRole('button', {name: 'Update my calendar without answering'})).toBeTruthy();
	});

	test('a cancellation: Cancelled by the organizer, and Remove from my calendar', () => {
		const props = show({kind: 'cancellation', event, occurrences: [], inCalendar: true});
		expect(screen.getByRole('heading', {name: 'Cancelled by the organizer'})).toBeTruthy();
		userClick(screen.getByRole('button', {name: 'Remove from my calendar'}));
		expect(props.onRemove).toHaveBeenCalledTimes(1);
		expect(screen.queryByRole('button', {name: 'Accept'})).toBeNull();
	});

	test('a warning: what is wrong, no button at all, and the stranger\'s link is plain text', () => {
		show({kind: 'warning', event, problem: 'Sent by mallory@evil.example, not by the organizer olivia@example.com.'});
		expect(screen.getByRole('alert').textContent).toContain('Sent by mallory@evil.example, not by the organizer');
		expect(screen.queryAllByRole('button')).toEqual([]);
		expect(screen.queryAllByRole('link')).toEqual([]);
	});

	test('a reply in review: why, and where to apply (named after the check) or dismiss it; no button in the page', () => {
		show({kind: 'reply', text: 'Sam accepted, but it went to review: sent from another address.', recorded: false, review: {key: 'INBOX/1/4', check: 'sender'}});
		expect(screen.getByText(/went to review: sent from another address/)).toBeTruthy();
		expect(screen.getByText(/"Apply though not sent by them".*Needs your eye/)).toBeTruthy();
		expect(screen.queryAllByRole('button')).toEqual([]);
	});

	test('a recorded reply says so', () => {
		show({kind: 'reply', text: 'Sam accepted — recorded in your calendar', recorded: true});
		expect(screen.getByText('Sam accepted — recorded in your calendar')).toBeTruthy();
	});

	test('the user\'s own invitation that the extension can edit: Your invitation, Edit sends the event\'s UID, and no answer buttons', () => {
		const props = show({kind: 'own', event, text: 'You organize this event. Edit changes it for everyone: before sending, it says who will be told what.', editable: true});
		expect(screen.getByRole('heading', {name: 'Your invitation'})).toBeTruthy();
		expect(screen.getByText(/You organize this event/)).toBeTruthy();
		userClick(screen.getByRole('button', {name: `Edit ${event.title}`}));
		expect(props.onEdit).toHaveBeenCalledExactlyOnceWith(event.uid);
		expect(screen.getAllByRole('button').map(button => button.textContent)).toEqual(['Edit']);
		expect(props.onAnswer).not.toHaveBeenCalled();
	});

	test('the user\'s own event that the extension cannot edit (not sent with it, cancelled): why, and no button', () => {
		show({kind: 'own', event, text: 'You organize this event. It is not one Purelymail Invites sent (or it is cancelled), so change it where it was made.', editable: false});
		expect(screen.getByRole('heading', {name: 'Your invitation'})).toBeTruthy();
		expect(screen.getByText(/change it where it was made/)).toBeTruthy();
		expect(screen.queryAllByRole('button')).toEqual([]);
	});

	const others: CardView[] = [
		{kind: 'invitation', event, changed: [], inCalendar: true},
		{kind: 'update', event, changed: ['the time'], inCalendar: true},
		{kind: 'cancellation', event, occurrences: [], inCalendar: true},
		{kind: 'reply', event, text: 'Sam accepted — recorded in your calendar', recorded: true},
		{kind: 'warning', event, problem: 'Sent by mallory@evil.example, not by the organizer.'},
		{kind: 'notice', event, text: 'A PUBLISH is not handled.'},
	];
	test.each(others)('no Edit on a card of kind $kind: only the user\'s own event has it', view => {
		const props = show(view);
		expect(screen.queryByRole('button', {name: /^Edit/})).toBeNull();
		for (const button of screen.queryAllByRole('button')) {
			userClick(button);
		}

		expect(props.onEdit).not.toHaveBeenCalled();
	});

	/** Every button the card can show, each on a card that has it, with the callback it must call. */
	const buttons: Array<{name: string | RegExp; view: CardView; callback: 'onAnswer' | 'onAdd' | 'onRemove' | 'onEdit'}> = [
		...['Accept', 'Maybe', 'Decline'].map(name => ({name, view: {kind: 'invitation', event, changed: [], inCalendar: false} as CardView, callback: 'onAnswer' as const})),
		{name: 'Add to calendar', view: {kind: 'invitation', event, changed: [], inCalendar: false}, callback: 'onAdd'},
		{name: 'Update my calendar without answering', view: {kind: 'update', event, changed: ['the time'], inCalendar: true}, callback: 'onAdd'},
		{name: 'Send it again', view: {kind: 'invitation', event, changed: [], inCalendar: true, lastReply: {text: 'Not sent.', failed: true, choice: {answer: 'DECLINED'}}}, callback: 'onAnswer'},
		{name: 'Remove from my calendar', view: {kind: 'cancellation', event, occurrences: [], inCalendar: true}, callback: 'onRemove'},
		{name: /^Edit/, view: {kind: 'own', event, text: 'You organize this event.', editable: true}, callback: 'onEdit'},
	];
	test.each(buttons)('a page script\'s synthetic click on "$name" does nothing; the user\'s click does', ({name, view, callback}) => {
		const props = show(view);
		const button = screen.getByRole('button', {name}) as HTMLButtonElement;
		// What a script in the webmail page can do to a button it reaches: each click comes out untrusted.
		fireEvent.click(button);
		button.click();
		button.dispatchEvent(new MouseEvent('click', {bubbles: true, composed: true}));
		expect(props[callback]).not.toHaveBeenCalled();
		userClick(button);
		expect(props[callback]).toHaveBeenCalledTimes(1);
	});

	test('the page\'s dark mode is the card\'s', () => {
		const {container} = render(<InvitationCard view={{kind: 'notice', text: 'A PUBLISH is not handled.'}} action={{phase: 'idle'}} theme="dark" onAnswer={vi.fn()} onAdd={vi.fn()} onRemove={vi.fn()} onEdit={vi.fn()} />);
		expect(container.querySelector('.pmi-card')!.classList.contains('pmi-theme-dark')).toBe(true);
	});
});
