import {describe, expect, test} from 'vitest';
import {agentConfigFile, agentConfigText, maskedPassword, parseAgentAccount} from '../../../lib/agent/index.ts';
import {defaultInvitationSettings} from '../../../lib/invitations/types.ts';
import type {Account} from '../../../lib/model.ts';
import {defaultSettings} from '../../../lib/storage.ts';

const account: Account = {email: 'olivia@example.org', name: 'Olivia', password: 'app-pass-123', aliases: ['events@example.org']};
const settings = {
	...defaultSettings,
	servers: {caldavUrl: 'https://dav.example.org/', imap: {host: 'imap.example.org', port: 143, secure: false}, smtp: {host: 'smtp.example.org', port: 587, secure: false}},
	calendarUrl: 'https://dav.example.org/olivia/work/',
};

describe('the options page\'s agent config file', () => {
	test('is read by the agent as this very account, servers and calendar', () => {
		expect(parseAgentAccount(JSON.parse(agentConfigText(agentConfigFile(account, settings), true)))).toEqual({
			account, servers: settings.servers, calendarUrl: settings.calendarUrl, invitations: defaultInvitationSettings, scheduleOtherApps: false,
		});
	});

	test('carries the options page\'s invitation settings, which the agent reads as they are', () => {
		const invitations = {policy: 'anyone', updates: 'ask', cancellations: 'ask', removeCancelled: true, filingFolder: 'Invitations', calendarUrl: 'https://dav.example.org/olivia/invites/'} as const;
		const config = JSON.parse(agentConfigText(agentConfigFile(account, {...settings, invitations}), true)) as Record<string, unknown>;
		expect(config.invitations).toEqual(invitations);
		expect(parseAgentAccount(config).invitations).toEqual(invitations);
	});

	test('an invitation setting that is wrong is refused with the field named; absent ones take the defaults', () => {
		const config = agentConfigFile(account, settings);
		expect(() => parseAgentAccount({...config, invitations: {policy: 'everyone'}})).toThrow('invitations.policy must be one of "contacts", "anyone", "never"');
		expect(() => parseAgentAccount({...config, invitations: {filingFolder: 'INBOX'}})).toThrow(/^invitations.filingFolder must be a folder name or null: Processed mails cannot be filed into INBOX/);
		expect(() => parseAgentAccount({...config, invitations: {removeCancelled: 'yes'}})).toThrow('invitations.removeCancelled must be true or false');
		expect(() => parseAgentAccount({...config, invitations: {calendarUrl: 'ftp://x/'}})).toThrow('invitations.calendarUrl must be an http(s) URL');
		expect(parseAgentAccount({...config, invitations: {updates: 'ask'}}).invitations).toEqual({...defaultInvitationSettings, updates: 'ask'});
		const {invitations: _omitted, ...without} = config;
		expect(parseAgentAccount(without).invitations).toEqual(defaultInvitationSettings);
	});

	test('carries "Send invitations and answers for changes made in other calendar apps" (off unless turned on)', () => {
		for (const scheduleOtherApps of [true, false]) {
			const config = JSON.parse(agentConfigText(agentConfigFile(account, {...settings, scheduleOtherApps}), true)) as Record<string, unknown>;
			expect(config.scheduleOtherApps).toBe(scheduleOtherApps);
			expect(parseAgentAccount(config).scheduleOtherApps).toBe(scheduleOtherApps);
		}

		const {scheduleOtherApps: _omitted, ...older} = agentConfigFile(account, settings);
		expect(parseAgentAccount(older).scheduleOtherApps).toBe(false);
		expect(() => parseAgentAccount({...older, scheduleOtherApps: 'yes'})).toThrow('scheduleOtherApps must be true or false');
	});

	test('without a calendar picked, the agent finds the first one itself', () => {
		const config = agentConfigFile(account, {...settings, calendarUrl: null});
		expect(config).not.toHaveProperty('calendarUrl');
		expect(parseAgentAccount(config).calendarUrl).toBeUndefined();
	});

	test('shows the password only when asked', () => {
		const config = agentConfigFile(account, settings);
		const masked = agentConfigText(config, false);
		expect(masked).not.toContain(account.password);
		expect(JSON.parse(masked)).toMatchObject({account: {password: maskedPassword}});
		expect(agentConfigText(config, true)).toContain(`"password": "${account.password}"`);
	});
});
