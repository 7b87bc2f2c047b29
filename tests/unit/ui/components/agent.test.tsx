// @vitest-environment happy-dom
import {cleanup, fireEvent, render, screen} from '@testing-library/preact';
import {afterEach, describe, expect, test} from 'vitest';
import {AgentSetup} from '../../../../components/agent-setup.tsx';
import {PopupApp} from '../../../../components/popup-app.tsx';
import {parseAgentAccount} from '../../../../lib/agent/index.ts';
import {agentView, popupState} from '../../../../lib/background/popup-state.ts';
import type {AgentMarker} from '../../../../lib/agent/index.ts';
import type {OptionsState} from '../../../../lib/messaging.ts';
import {defaultSettings} from '../../../../lib/storage.ts';
import {tickFeedback} from '../../../../lib/ui/action-feedback.ts';
import {agentRunCommand} from '../../../../lib/ui/agent-setup.ts';

const now = new Date('2026-12-02T09:03:00.000Z');
const marker: AgentMarker = {
	version: 1, state: 'running', host: 'home-server', seenAt: '2026-12-02T09:00:00.000Z', tickSeconds: 300,
	lastTick: {at: '2026-12-02T09:00:00.000Z'}, watch: 'idle',
	answers: [{attendee: 'sam@example.org', name: 'Sam', partstat: 'DECLINED', summary: 'Planning', at: '2026-12-02T08:58:00.000Z'}],
	review: [], handled: [], invitations: [],
};
const options: OptionsState = {
	settings: {...defaultSettings, calendarUrl: 'https://purelymail.com/webdav/1/caldav/work/'},
	account: {email: 'olivia@example.org', name: 'Olivia', password: 'app-pass-123', aliases: []},
};

afterEach(() => {
	cleanup();
});

describe('Run on an always-on machine (options page)', () => {
	test('shows the config with the password masked until asked, then the working file to copy, and the command', () => {
		render(<AgentSetup state={options} />);
		const file = (): string => screen.getByLabelText(/^Contents of /).textContent ?? '';
		expect(file()).not.toContain('app-pass-123');
		expect(screen.getByRole('button', {name: 'Copy the file'}).hasAttribute('disabled')).toBe(true);
		fireEvent.click(screen.getByRole('button', {name: 'Show the password'}));
		expect(screen.getByRole('button', {name: 'Copy the file'}).hasAttribute('disabled')).toBe(false);
		// The file shown is one the agent reads as this account.
		expect(parseAgentAccount(JSON.parse(file()))).toMatchObject({account: options.account, calendarUrl: options.settings.calendarUrl});
		expect(screen.getByText(agentRunCommand)).toBeTruthy();
		fireEvent.click(screen.getByRole('button', {name: 'Hide the password'}));
		expect(file()).not.toContain('app-pass-123');
	});

	test('without an account there is no file yet, and it says what is missing', () => {
		render(<AgentSetup state={{...options, account: null}} />);
		expect(screen.queryByLabelText(/^Contents of /)).toBeNull();
		expect(screen.getByText(/Enter your address and app password/)).toBeTruthy();
	});
});

describe('the popup while an agent serves the mailbox', () => {
	const state = (agent: AgentMarker, at: Date): ReturnType<typeof popupState> => popupState({
		configured: true, events: {}, outcomes: [], status: {lastCheck: '2026-12-01T10:00:00.000Z', lastError: null, unseenAnswers: 0}, now: at, agent,
	});

	test('a serving agent is shown with its machine and last answers; a gone or stopped one is not', () => {
		expect(state(marker, now).agent).toEqual(agentView(marker));
		expect(state(marker, new Date('2026-12-02T10:00:00.000Z')).agent).toBeUndefined();
		expect(state({...marker, state: 'stopped'}, now).agent).toBeUndefined();
	});

	test('its status replaces the extension\'s own, with what it applied', () => {
		render(<PopupApp
			state={state({...marker, lastTick: {at: marker.seenAt, error: 'caldav: 503'}}, now)} checking={false} busy={new Set()} feedback={{}} now={now}
			format={{locale: 'en-GB', timeZone: 'UTC'}} onCheckNow={() => undefined} onApplyAnyway={() => undefined} onDismiss={() => undefined}
			onResend={() => undefined} onCancelEvent={() => undefined} onOpenOptions={() => undefined}
		/>);
		const agent = screen.getByRole('region', {name: 'Always-on agent'});
		expect(agent.textContent).toContain('The agent on home-server checked');
		expect(screen.queryByText(/^Checked /)).toBeNull();
		expect(screen.getByRole('list', {name: 'Answers the agent applied'}).textContent).toContain('Sam declined Planning');
		expect(screen.getByRole('alert').textContent).toContain('caldav: 503');
	});

	test('"Check now" says the agent has it', () => {
		expect(tickFeedback({ran: false, messages: 0, applied: 0, review: 0, agentHost: 'home-server'}).text).toMatch(/agent on home-server checks this mailbox/);
	});
});
