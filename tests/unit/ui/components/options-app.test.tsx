// @vitest-environment happy-dom
import {cleanup, fireEvent, render, screen} from '@testing-library/preact';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {OptionsApp, type OptionsAppProps} from '../../../../components/options-app.tsx';
import type {OptionsState} from '../../../../lib/messaging.ts';
import {defaultRelayUrl, purelymailServers, type ServerSettings} from '../../../../lib/model.ts';

const empty: OptionsState = {
	settings: {
		servers: structuredClone(purelymailServers) as ServerSettings,
		calendarUrl: null,
		relayMode: 'http',
		relayUrl: defaultRelayUrl,
		relayToken: '',
		pollMinutes: 1,
		notifications: true,
		webmailOrigins: [],
	},
	account: null,
};

function setup(overrides: Partial<OptionsAppProps> = {}): OptionsAppProps {
	const props: OptionsAppProps = {
		initial: empty,
		saving: false,
		testing: false,
		discovering: false,
		onSave: vi.fn(),
		onTest: vi.fn(),
		onDiscover: vi.fn(),
		...overrides,
	};
	render(<OptionsApp {...props} />);
	return props;
}

afterEach(() => {
	cleanup();
});

function type(label: string, value: string): void {
	fireEvent.input(screen.getByLabelText(label), {target: {value}});
}

describe('the options page', () => {
	test('saves nothing incomplete and says what is missing', () => {
		const props = setup();
		fireEvent.click(screen.getByRole('button', {name: 'Save settings'}));
		expect(props.onSave).not.toHaveBeenCalled();
		expect(screen.getByText('Type your Purelymail address.')).toBeTruthy();
		expect(screen.getByText(/Paste an app password/)).toBeTruthy();
		expect(screen.getByText(/token the relay printed/)).toBeTruthy();
	});

	test('saves account, relay, calendar, interval and origins', () => {
		const props = setup({calendars: [{url: 'https://purelymail.com/webdav/me/caldav/a/', name: 'Calendar'}]});
		type('Purelymail address', 'me@example.org');
		type('Your name', 'Me');
		type('App password', 'secret');
		type('Relay token', 'tok');
		type('Check for answers every how many minutes', '10');
		type('Add a webmail address', 'mail.example.org');
		fireEvent.click(screen.getByRole('button', {name: 'Add this webmail address'}));
		fireEvent.click(screen.getByRole('switch', {name: 'Show a notification for each answer'}));
		fireEvent.click(screen.getByRole('button', {name: 'Save settings'}));
		expect(props.onSave).toHaveBeenCalledWith({
			settings: {
				...empty.settings,
				calendarUrl: 'https://purelymail.com/webdav/me/caldav/a/',
				calendarName: 'Calendar',
				relayToken: 'tok',
				pollMinutes: 10,
				notifications: false,
				webmailOrigins: ['https://mail.example.org'],
			},
			account: {email: 'me@example.org', name: 'Me', password: 'secret', aliases: []},
		});
	});

	test('a saved calendar shows its saved name before discovery, and picking another stores that one\'s name', () => {
		const saved = 'https://purelymail.com/webdav/me/caldav/work/';
		const props = setup({initial: {...empty, settings: {...empty.settings, calendarUrl: saved, calendarName: 'Work'}}});
		const picker = screen.getByLabelText('Calendar') as HTMLSelectElement;
		expect(picker.value).toBe(saved);
		expect(picker.selectedOptions[0]?.textContent).toBe('Work');
		cleanup();
		const other = 'https://purelymail.com/webdav/me/caldav/home/';
		const next = setup({initial: {...empty, settings: {...empty.settings, calendarUrl: saved, calendarName: 'Work'}}, calendars: [{url: other, name: 'Home'}]});
		fireEvent.change(screen.getByLabelText('Calendar'), {target: {value: other}});
		type('Purelymail address', 'me@example.org');
		type('App password', 'secret');
		type('Relay token', 'tok');
		fireEvent.click(screen.getByRole('button', {name: 'Save settings'}));
		expect(vi.mocked(next.onSave).mock.calls[0]?.[0].settings).toMatchObject({calendarUrl: other, calendarName: 'Home'});
		expect(props.onSave).not.toHaveBeenCalled();
	});

	test('the app password links to Purelymail and can be shown', () => {
		setup();
		expect(screen.getByRole('link', {name: /Make an app password/}).getAttribute('href')).toBe('https://purelymail.com/manage');
		type('App password', 'secret');
		expect(screen.getByLabelText('App password').getAttribute('type')).toBe('password');
		fireEvent.click(screen.getByRole('button', {name: 'Show app password'}));
		expect(screen.getByLabelText('App password').getAttribute('type')).toBe('text');
	});

	test('servers are Purelymail\'s under Advanced', () => {
		setup();
		expect(screen.getByLabelText('CalDAV address')).toHaveProperty('value', 'https://purelymail.com/webdav/');
		expect(screen.getByLabelText('IMAP server')).toHaveProperty('value', 'imap.purelymail.com');
		expect(screen.getByLabelText('IMAP port')).toHaveProperty('value', '993');
		expect(screen.getByLabelText('SMTP port')).toHaveProperty('value', '465');
		expect(screen.getByLabelText('SMTP security')).toHaveProperty('value', 'tls');
	});

	test('test connection and find calendars pass the current form; results show one by one', () => {
		const props = setup({
			report: {
				caldav: {ok: true, detail: 'Found 2 calendars.'},
				relay: {ok: true},
				imap: {ok: false, error: {code: 'mailbox-auth', message: 'Wrong password.', action: 'Make a new app password.'}},
				smtp: {ok: true},
			},
		});
		type('Purelymail address', 'me@example.org');
		fireEvent.click(screen.getByRole('button', {name: 'Test connection to CalDAV, IMAP and SMTP'}));
		expect(props.onTest).toHaveBeenCalledWith(expect.objectContaining({account: expect.objectContaining({email: 'me@example.org'}) as unknown}));
		fireEvent.click(screen.getByRole('button', {name: 'Find calendars on the CalDAV server'}));
		expect(props.onDiscover).toHaveBeenCalledTimes(1);
		const rows = [...document.querySelectorAll('.pmi-report-row')].map(row => row.textContent);
		expect(rows).toEqual([
			'CalDAV (calendar)worksFound 2 calendars.',
			'Relayworks',
			'IMAP (reading replies)failedWrong password.Make a new app password.',
			'SMTP (sending invitations)works',
		]);
	});

	test('loading and a load error', () => {
		setup({initial: null});
		expect(screen.getByText('Loading…')).toBeTruthy();
		cleanup();
		setup({initial: null, loadError: {code: 'unknown', message: 'The extension did not answer.'}});
		expect(screen.getByText('The extension did not answer.')).toBeTruthy();
	});
});
