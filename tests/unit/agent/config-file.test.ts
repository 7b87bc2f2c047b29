import {describe, expect, test} from 'vitest';
import {agentConfigFile, agentConfigText, maskedPassword, parseAgentAccount} from '../../../lib/agent/index.ts';
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
			account, servers: settings.servers, calendarUrl: settings.calendarUrl,
		});
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
