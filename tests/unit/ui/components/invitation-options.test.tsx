// @vitest-environment happy-dom
/** The options page's "Invitations you receive" (issue 14): policy, calendar, updates, cancellations, filing. */
import {cleanup, fireEvent, render, screen} from '@testing-library/preact';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {OptionsApp, type OptionsAppProps} from '../../../../components/options-app.tsx';
import {defaultFilingFolder, filingFolderProblem} from '../../../../lib/invitations/settings.ts';
import {defaultInvitationSettings} from '../../../../lib/invitations/types.ts';
import type {OptionsState} from '../../../../lib/messaging.ts';
import {defaultSettings} from '../../../../lib/storage.ts';

const work = 'https://dav.example/me/work/';
const home = 'https://dav.example/me/home/';

const ready: OptionsState = {
	settings: {...defaultSettings, calendarUrl: home, calendarName: 'Home'},
	account: {email: 'me@example.org', name: 'Me', password: 'secret', aliases: []},
};

function setup(overrides: Partial<OptionsAppProps> = {}): OptionsAppProps {
	const props: OptionsAppProps = {
		initial: ready, saving: false, testing: false, discovering: false, onSave: vi.fn(), onTest: vi.fn(), onDiscover: vi.fn(), ...overrides,
	};
	render(<OptionsApp {...props} />);
	return props;
}

function choose(label: string, value: string): void {
	fireEvent.change(screen.getByLabelText(label), {target: {value}});
}

function save(): void {
	fireEvent.click(screen.getByRole('button', {name: 'Save settings'}));
}

afterEach(() => {
	cleanup();
});

describe('Invitations you receive', () => {
	test('shows the defaults: contacts, the calendar above, apply, mark cancelled, no filing', () => {
		setup();
		expect((screen.getByLabelText('Whose invitations are added to your calendar by themselves') as HTMLSelectElement).value).toBe('contacts');
		expect((screen.getByLabelText('The calendar new invitations go to') as HTMLSelectElement).value).toBe('');
		expect((screen.getByLabelText('Updates') as HTMLSelectElement).value).toBe('apply');
		expect((screen.getByLabelText('Cancellations') as HTMLSelectElement).value).toBe('apply');
		expect((screen.getByRole('switch', {name: /Remove cancelled events/}) as HTMLInputElement).checked).toBe(false);
		expect((screen.getByRole('switch', {name: 'Move processed invitation mails to a folder'}) as HTMLInputElement).checked).toBe(false);
		expect(screen.queryByLabelText('Folder for processed invitation mails')).toBeNull();
	});

	test('saves each choice under settings.invitations', () => {
		const props = setup({calendars: [{url: home, name: 'Home'}, {url: work, name: 'Work'}]});
		choose('Whose invitations are added to your calendar by themselves', 'anyone');
		choose('The calendar new invitations go to', work);
		choose('Updates', 'ask');
		choose('Cancellations', 'ask');
		fireEvent.click(screen.getByRole('switch', {name: /Remove cancelled events/}));
		fireEvent.click(screen.getByRole('switch', {name: 'Move processed invitation mails to a folder'}));
		expect((screen.getByLabelText('Folder for processed invitation mails') as HTMLInputElement).value).toBe(defaultFilingFolder);
		fireEvent.input(screen.getByLabelText('Folder for processed invitation mails'), {target: {value: '  Calendar mail  '}});
		save();
		expect(props.onSave).toHaveBeenCalledWith({
			settings: {
				...ready.settings,
				invitations: {policy: 'anyone', calendarUrl: work, updates: 'ask', cancellations: 'ask', removeCancelled: true, filingFolder: 'Calendar mail'},
			},
			account: ready.account,
		});
	});

	test('a calendar picked earlier stays listed before "Find calendars"; filing turned off saves null', () => {
		const props = setup({initial: {...ready, settings: {...ready.settings, invitations: {...defaultInvitationSettings, calendarUrl: work, filingFolder: 'Old'}}}});
		expect((screen.getByLabelText('The calendar new invitations go to') as HTMLSelectElement).value).toBe(work);
		fireEvent.click(screen.getByRole('switch', {name: 'Move processed invitation mails to a folder'}));
		save();
		expect(props.onSave).toHaveBeenCalledWith(expect.objectContaining({settings: expect.objectContaining({invitations: {...defaultInvitationSettings, calendarUrl: work, filingFolder: null}})}));
	});

	test('filing into INBOX is refused with the reason, and nothing is saved', () => {
		const props = setup();
		fireEvent.click(screen.getByRole('switch', {name: 'Move processed invitation mails to a folder'}));
		fireEvent.input(screen.getByLabelText('Folder for processed invitation mails'), {target: {value: 'inbox'}});
		save();
		expect(props.onSave).not.toHaveBeenCalled();
		expect(screen.getByText(/cannot be filed into inbox/)).toBeTruthy();
	});
});

describe('filingFolderProblem', () => {
	test.each([
		['Invitations', undefined],
		['Archive/Calendar', undefined],
		['', /Name the folder/],
		['   ', /Name the folder/],
		['INBOX', /read for new invitations/],
		['Junk', /read for new invitations/],
		['Spam', /read for new invitations/],
		['Two\nlines', /without line breaks/],
		['x'.repeat(201), /at most 200/],
	])('%j', (name, expected) => {
		const problem = filingFolderProblem(name);
		if (expected === undefined) {
			expect(problem).toBeUndefined();
		} else {
			expect(problem).toMatch(expected);
		}
	});
});
