// @vitest-environment happy-dom
import {cleanup, fireEvent, render, screen} from '@testing-library/preact';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {InviteComposer, type InviteComposerProps} from '../../../../components/invite-composer.tsx';
import {initialComposerForm} from '../../../../lib/ui/composer-form.ts';
import {userClick, userKeyDown} from '../../../helpers/user-events.ts';

const zones = ['America/New_York', 'Asia/Tokyo', 'Europe/Berlin', 'Europe/London', 'UTC'];

function setup(overrides: Partial<InviteComposerProps> = {}): InviteComposerProps {
	const props: InviteComposerProps = {
		initial: initialComposerForm({
			now: new Date('2025-06-10T08:40:00Z'),
			timeZone: 'Europe/Berlin',
			subject: 'Planning',
			recipients: [{email: 'alex@example.org', name: 'Alex'}],
		}),
		bodyText: 'From the e-mail',
		organizer: {email: 'me@example.org', name: 'Me'},
		configured: true,
		zones,
		browserZone: 'Europe/Berlin',
		now: new Date('2025-06-10T08:40:00Z'),
		send: {phase: 'idle'},
		theme: 'light',
		canDiscardDraft: true,
		onSend: vi.fn(),
		onClose: vi.fn(),
		onDiscardDraft: vi.fn(),
		onOpenOptions: vi.fn(),
		...overrides,
	};
	render(<InviteComposer {...props} />);
	return props;
}

afterEach(() => {
	cleanup();
});

describe('the invite composer', () => {
	test('is a labelled modal dialog, prefilled, every control labelled', () => {
		setup();
		const dialog = screen.getByRole('dialog');
		expect(dialog.getAttribute('aria-modal')).toBe('true');
		expect(screen.getByLabelText('Title')).toHaveProperty('value', 'Planning');
		expect(screen.getByText('Alex')).toBeTruthy();
		for (const control of dialog.querySelectorAll('input, select, textarea, button')) {
			const labelled = control.getAttribute('aria-label') ?? control.textContent?.trim();
			expect(labelled, control.outerHTML.slice(0, 80)).toBeTruthy();
		}
	});

	test('sends the draft with attendees typed as chips', () => {
		const props = setup();
		const input = screen.getByLabelText('Add attendee e-mail address');
		fireEvent.input(input, {target: {value: 'Sam <sam@example.org>'}});
		fireEvent.keyDown(input, {key: 'Enter'});
		expect(screen.getByText('Sam')).toBeTruthy();
		fireEvent.click(screen.getByRole('button', {name: 'Sam: required, make optional'}));
		fireEvent.input(screen.getByLabelText('Location'), {target: {value: 'Room 4'}});
		fireEvent.click(screen.getByRole('button', {name: 'Duration 1 h'}));
		userClick(screen.getByRole('button', {name: 'Send invite'}));
		expect(props.onSend).toHaveBeenCalledWith({
			summary: 'Planning',
			attendees: [{email: 'alex@example.org', name: 'Alex'}, {email: 'sam@example.org', name: 'Sam', optional: true}],
			start: '2025-06-10T11:00',
			end: '2025-06-10T12:00',
			timeZone: 'Europe/Berlin',
			location: 'Room 4',
		});
	});

	test('a wrong form shows what is wrong and does not send', () => {
		const props = setup();
		fireEvent.input(screen.getByLabelText('Title'), {target: {value: ' '}});
		fireEvent.click(screen.getByRole('button', {name: 'Remove alex@example.org'}));
		userClick(screen.getByRole('button', {name: 'Send invite'}));
		expect(props.onSend).not.toHaveBeenCalled();
		expect(screen.getByText('Give the event a title.')).toBeTruthy();
		expect(screen.getByText('Add at least one attendee.')).toBeTruthy();
	});

	test('a page script\'s synthetic click, keys or submit do not send; the user\'s click does', () => {
		const props = setup();
		const send = screen.getByRole('button', {name: 'Send invite'});
		const form = screen.getByRole('form', {name: 'Invitation'}) as HTMLFormElement;
		// What a script in the webmail page can do to the composer: each event comes out untrusted.
		fireEvent.click(send);
		send.click();
		fireEvent.keyDown(screen.getByLabelText('Title'), {key: 'Enter', ctrlKey: true});
		fireEvent.keyDown(screen.getByLabelText('Location'), {key: 'Enter'});
		fireEvent.submit(form);
		form.requestSubmit();
		expect(props.onSend).not.toHaveBeenCalled();
		userClick(send);
		expect(props.onSend).toHaveBeenCalledTimes(1);
	});

	test('a typed word that is not an address stays in the field with a message', () => {
		setup();
		const input = screen.getByLabelText('Add attendee e-mail address');
		fireEvent.input(input, {target: {value: 'bob'}});
		fireEvent.keyDown(input, {key: 'Enter'});
		expect(screen.getByRole('alert').textContent).toMatch(/“bob” is not an e-mail address/);
	});

	test('Enter sends from the last field only', () => {
		const props = setup();
		expect(userKeyDown(screen.getByLabelText('Title'), {key: 'Enter'})).toBe(false);
		expect(props.onSend).not.toHaveBeenCalled();
		// Cancelled too: the composer sends itself rather than leave it to the form's implicit submission.
		expect(userKeyDown(screen.getByLabelText('Location'), {key: 'Enter'})).toBe(false);
		expect(props.onSend).toHaveBeenCalledTimes(1);
	});

	test('Escape closes; Ctrl+Enter sends', () => {
		const props = setup();
		userKeyDown(screen.getByLabelText('Title'), {key: 'Enter', ctrlKey: true});
		expect(props.onSend).toHaveBeenCalledTimes(1);
		fireEvent.keyDown(screen.getByLabelText('Title'), {key: 'Escape'});
		expect(props.onClose).toHaveBeenCalledTimes(1);
	});

	test('the time zone list filters as you type; Enter picks, Escape only closes the list', () => {
		const props = setup();
		const zone = screen.getByRole('combobox', {name: 'Time zone'});
		fireEvent.focus(zone);
		fireEvent.input(zone, {target: {value: 'new york'}});
		const list = screen.getByRole('listbox', {name: 'Time zones'});
		expect([...list.querySelectorAll('[role="option"]')].map(option => option.querySelector('.pmi-option-name')?.textContent)).toEqual(['America/New York']);
		fireEvent.keyDown(zone, {key: 'Enter'});
		expect(zone).toHaveProperty('value', 'America/New York');
		fireEvent.focus(zone);
		fireEvent.keyDown(zone, {key: 'Escape'});
		expect(screen.queryByRole('listbox')).toBeNull();
		expect(props.onClose).not.toHaveBeenCalled();
	});

	test('weekly repeat on chosen days', () => {
		const props = setup();
		fireEvent.change(screen.getByLabelText('Repeat'), {target: {value: 'weekly'}});
		fireEvent.click(screen.getByRole('button', {name: 'Thursday'}));
		fireEvent.click(screen.getByLabelText('Ends after a number of times'));
		userClick(screen.getByRole('button', {name: 'Send invite'}));
		expect(props.onSend).toHaveBeenCalledWith(expect.objectContaining({repeat: {freq: 'weekly', byDay: ['TU', 'TH'], count: 10}}));
	});

	test('shows each step while sending and disables the form', () => {
		setup({send: {phase: 'sending', steps: [{step: 'calendar', state: 'done', detail: 'Saved to Calendar'}, {step: 'mail', state: 'working', detail: 'Sending to 1 attendee'}]}});
		expect(screen.getByText('Saved to Calendar')).toBeTruthy();
		expect(screen.getByText('Sending to 1 attendee')).toBeTruthy();
		expect(screen.getByRole('button', {name: 'Send invite'})).toHaveProperty('disabled', true);
	});

	test('a failure says what to do, with the command as code', () => {
		setup({
			send: {
				phase: 'failed',
				steps: [{step: 'mail', state: 'failed', detail: 'Relay down'}],
				error: {code: 'relay-down', message: 'The relay is not running.', action: 'Start it with `npm run relay`.'},
			},
		});
		expect(screen.getByText('The relay is not running.')).toBeTruthy();
		expect(screen.getByText('npm run relay').tagName).toBe('CODE');
		expect(screen.getByRole('button', {name: 'Try sending the invite again'})).toBeTruthy();
	});

	test('after sending, offers to discard the draft', () => {
		const props = setup({send: {phase: 'sent', steps: [], accepted: ['alex@example.org'], rejected: []}});
		expect(screen.getByText('Invitation sent to 1 attendee.')).toBeTruthy();
		fireEvent.click(screen.getByRole('button', {name: 'Discard the e-mail draft'}));
		expect(props.onDiscardDraft).toHaveBeenCalledTimes(1);
		fireEvent.click(screen.getByRole('button', {name: 'Keep the e-mail draft and close'}));
		expect(props.onClose).toHaveBeenCalledTimes(1);
	});

	test('without settings it cannot send and offers the settings', () => {
		const props = setup({configured: false});
		expect(screen.getByRole('button', {name: 'Send invite'})).toHaveProperty('disabled', true);
		fireEvent.click(screen.getByRole('button', {name: 'Open settings'}));
		expect(props.onOpenOptions).toHaveBeenCalledTimes(1);
	});

	test('the e-mail text can become the description', () => {
		setup();
		fireEvent.click(screen.getByRole('button', {name: 'Use the e-mail\'s text as the description'}));
		expect(screen.getByLabelText('Description')).toHaveProperty('value', 'From the e-mail');
	});
});
