import {describe, expect, test} from 'vitest';
import {contentScriptFile, extraWebmailScriptId, originPatterns, syncWebmailScripts, type ScriptingApi} from '../../../lib/background/webmail-scripts.ts';

describe('originPatterns', () => {
	test.each([
		[['https://mail.example.org'], ['https://mail.example.org/*']],
		[['https://mail.example.org/roundcube/?_task=mail', 'https://mail.example.org/'], ['https://mail.example.org/*']],
		[['http://127.0.0.1:8080'], ['http://127.0.0.1/*']],
		[['ftp://example.org', 'not a url', ''], []],
	])('%o → %o', (origins, patterns) => {
		expect(originPatterns(origins)).toEqual(patterns);
	});
});

function fakeScripting(): ScriptingApi & {scripts: Array<{id: string; matches: string[]; js: string[]}>} {
	const api = {
		scripts: [] as Array<{id: string; matches: string[]; js: string[]}>,
		async getRegisteredContentScripts(filter?: {ids?: string[]}) {
			return api.scripts.filter(script => !filter?.ids || filter.ids.includes(script.id));
		},
		async unregisterContentScripts(filter?: {ids?: string[]}) {
			api.scripts = api.scripts.filter(script => filter?.ids && !filter.ids.includes(script.id));
		},
		async registerContentScripts(scripts: Array<{id: string; matches: string[]; js: string[]}>) {
			if (scripts.some(script => api.scripts.some(existing => existing.id === script.id))) {
				throw new Error('Duplicate script ID');
			}

			api.scripts.push(...scripts);
		},
	};
	return api;
}

describe('syncWebmailScripts', () => {
	test('registers our content script for granted origins only, and replaces an earlier registration', async () => {
		const scripting = fakeScripting();
		const granted = new Set(['https://mail.example.org/*', 'https://webmail.example.com/*']);
		const permissions = {contains: async ({origins}: {origins?: string[]}) => (origins ?? []).every(origin => granted.has(origin))};
		expect(await syncWebmailScripts(['https://mail.example.org', 'https://not-granted.example.net'], {scripting, permissions})).toEqual(['https://mail.example.org/*']);
		expect(await syncWebmailScripts(['https://mail.example.org', 'https://webmail.example.com'], {scripting, permissions})).toEqual(['https://mail.example.org/*', 'https://webmail.example.com/*']);
		expect(scripting.scripts).toEqual([expect.objectContaining({id: extraWebmailScriptId, js: [contentScriptFile], matches: ['https://mail.example.org/*', 'https://webmail.example.com/*']})]);
		await syncWebmailScripts([], {scripting, permissions});
		expect(scripting.scripts).toEqual([]);
	});

	test('does nothing while the scripting permission is not granted', async () => {
		expect(await syncWebmailScripts(['https://mail.example.org'], {scripting: undefined, permissions: {contains: async () => true}})).toEqual([]);
	});
});
