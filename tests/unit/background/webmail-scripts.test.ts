import {describe, expect, test} from 'vitest';
import {contentScriptFile, extraWebmailScriptId, oneSyncAtATime, originPatterns, syncWebmailScripts, type ScriptingApi} from '../../../lib/background/webmail-scripts.ts';

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

type FakeScript = {id: string; matches: string[]; js: string[]};

/** Chrome's scripting registry as far as this needs it: one script per ID, a second registration of an ID fails. */
function fakeScripting(): ScriptingApi & {scripts: FakeScript[]; calls: string[]} {
	const api = {
		scripts: [] as FakeScript[],
		calls: [] as string[],
		async getRegisteredContentScripts(filter?: {ids?: string[]}) {
			api.calls.push('get');
			// A turn of the event loop, as the browser's answer takes: runs that are not kept apart interleave here.
			await new Promise(resolve => setTimeout(resolve, 0));
			return api.scripts.filter(script => !filter?.ids || filter.ids.includes(script.id));
		},
		async unregisterContentScripts(filter?: {ids?: string[]}) {
			api.calls.push('unregister');
			api.scripts = api.scripts.filter(script => filter?.ids && !filter.ids.includes(script.id));
		},
		async registerContentScripts(scripts: FakeScript[]) {
			api.calls.push('register');
			if (scripts.some(script => api.scripts.some(existing => existing.id === script.id))) {
				throw new Error(`Duplicate script ID '${scripts[0]!.id}'`);
			}

			api.scripts.push(...scripts);
		},
	};
	return api;
}

function grantedOnly(patterns: string[]): {contains(permissions: {origins?: string[]}): Promise<boolean>} {
	const granted = new Set(patterns);
	return {contains: async ({origins}) => (origins ?? []).every(origin => granted.has(origin))};
}

describe('syncWebmailScripts', () => {
	test('registers our content script for granted origins only, names the others, and replaces an earlier registration', async () => {
		const scripting = fakeScripting();
		const permissions = grantedOnly(['https://mail.example.org/*', 'https://webmail.example.com/*']);
		expect(await syncWebmailScripts(['https://mail.example.org', 'https://not-granted.example.net'], {scripting, permissions}))
			.toEqual({registered: ['https://mail.example.org/*'], notGranted: ['https://not-granted.example.net'], noScripting: false});
		expect(await syncWebmailScripts(['https://mail.example.org', 'https://webmail.example.com'], {scripting, permissions}))
			.toEqual({registered: ['https://mail.example.org/*', 'https://webmail.example.com/*'], notGranted: [], noScripting: false});
		expect(scripting.scripts).toEqual([expect.objectContaining({id: extraWebmailScriptId, js: [contentScriptFile], matches: ['https://mail.example.org/*', 'https://webmail.example.com/*']})]);
		await syncWebmailScripts([], {scripting, permissions});
		expect(scripting.scripts).toEqual([]);
	});

	test('leaves a registration alone when the granted origins did not change (each start of the background)', async () => {
		const scripting = fakeScripting();
		const permissions = grantedOnly(['https://mail.example.org/*']);
		await syncWebmailScripts(['https://mail.example.org'], {scripting, permissions});
		scripting.calls = [];
		expect((await syncWebmailScripts(['https://mail.example.org'], {scripting, permissions})).registered).toEqual(['https://mail.example.org/*']);
		expect(scripting.calls).toEqual(['get']);
	});

	test('says so when the browser will not register', async () => {
		const scripting = fakeScripting();
		scripting.registerContentScripts = async () => {
			throw new Error('Could not load javascript \'content-scripts/purelymail.js\' for script.');
		};

		expect(await syncWebmailScripts(['https://mail.example.org'], {scripting, permissions: grantedOnly(['https://mail.example.org/*'])}))
			.toEqual({registered: [], notGranted: [], noScripting: false, failed: 'Could not load javascript \'content-scripts/purelymail.js\' for script.'});
	});

	test('without the scripting permission nothing is registered, and that is said when there are origins', async () => {
		const permissions = grantedOnly(['https://mail.example.org/*']);
		expect(await syncWebmailScripts(['https://mail.example.org'], {scripting: undefined, permissions})).toEqual({registered: [], notGranted: [], noScripting: true});
		expect(await syncWebmailScripts([], {scripting: undefined, permissions})).toEqual({registered: [], notGranted: [], noScripting: false});
	});
});

describe('oneSyncAtATime', () => {
	test('runs started together do not interleave, and each gets its own report', async () => {
		const scripting = fakeScripting();
		// The settings as each run reads them: an origin was added between the two.
		const lists = [['https://mail.example.org'], ['https://mail.example.org', 'https://webmail.example.com']];
		let runs = 0;
		const permissions = grantedOnly(['https://mail.example.org/*', 'https://webmail.example.com/*']);
		const sync = oneSyncAtATime(async () => syncWebmailScripts(lists[runs++]!, {scripting, permissions}));
		const [one, two] = await Promise.all([sync(), sync()]);
		expect(one.failed).toBeUndefined();
		expect(two).toEqual({registered: ['https://mail.example.org/*', 'https://webmail.example.com/*'], notGranted: [], noScripting: false});
		expect(scripting.scripts.map(script => script.matches)).toEqual([['https://mail.example.org/*', 'https://webmail.example.com/*']]);
	});
});
