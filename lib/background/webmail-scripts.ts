/**
 * Other Roundcube webmails the user adds in options: each origin is granted by the user as an optional host
 * permission (with the optional `scripting` permission, asked for together from the options page), and our
 * content script is registered for it at run time, as Purelymail's own webmail has it from the manifest.
 */

/** The content script file WXT builds from entrypoints/purelymail.content/. */
export const contentScriptFile = 'content-scripts/purelymail.js';
export const extraWebmailScriptId = 'extra-webmail';

/** `https://mail.example.org` (any path or trailing slash dropped) → `https://mail.example.org/*`, or undefined when not http(s). */
export function originPattern(origin: string): string | undefined {
	try {
		const url = new URL(origin);
		if (url.protocol !== 'https:' && url.protocol !== 'http:') {
			return undefined;
		}

		// Match patterns take no port: the permission covers every port of the host.
		return `${url.protocol}//${url.hostname}/*`;
	} catch {
		return undefined;
	}
}

/** The match patterns for a list of origins, without duplicates or invalid ones. */
export function originPatterns(origins: readonly string[]): string[] {
	return [...new Set(origins.map(origin => originPattern(origin)).filter((pattern): pattern is string => pattern !== undefined))];
}

/** The part of the browser's API this needs; Chrome MV3's `scripting`, absent until the permission is granted. */
export type ScriptingApi = {
	getRegisteredContentScripts(filter?: {ids?: string[]}): Promise<Array<{id: string; matches?: string[]}>>;
	unregisterContentScripts(filter?: {ids?: string[]}): Promise<void>;
	registerContentScripts(scripts: Array<{id: string; matches: string[]; js: string[]; runAt?: 'document_idle'; allFrames?: boolean; persistAcrossSessions?: boolean}>): Promise<void>;
};

export type PermissionsApi = {contains(permissions: {origins?: string[]; permissions?: string[]}): Promise<boolean>};

/** What registering did, for the options page to say (issue 12, item 13: no silent save). */
export type WebmailScriptsReport = {
	/** The match patterns our content script is registered for now. */
	registered: string[];
	/** Origins in the list whose host permission the browser does not grant (refused, or taken back since). */
	notGranted: string[];
	/** True when there are origins but the browser does not grant the `scripting` permission. */
	noScripting: boolean;
	/** The browser's words when it would not register the content script. */
	failed?: string;
};

function samePatterns(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every(pattern => b.includes(pattern));
}

/**
 * Registers the content script for every granted extra origin, in one registration that persists across browser
 * restarts; replaced when the granted origins change (an origin added, removed or its permission taken back), left
 * alone when they did not (the check at each start of the background).
 */
export async function syncWebmailScripts(origins: readonly string[], api: {scripting: ScriptingApi | undefined; permissions: PermissionsApi}): Promise<WebmailScriptsReport> {
	const granted: string[] = [];
	const notGranted: string[] = [];
	for (const origin of origins) {
		const pattern = originPattern(origin);
		if (pattern === undefined) {
			continue;
		}

		// One at a time: a handful of origins, and `contains` answers from memory.
		if (await api.permissions.contains({origins: [pattern]})) {
			if (!granted.includes(pattern)) {
				granted.push(pattern);
			}
		} else {
			notGranted.push(origin);
		}
	}

	if (!api.scripting) {
		return {registered: [], notGranted, noScripting: origins.length > 0};
	}

	try {
		const [registered] = await api.scripting.getRegisteredContentScripts({ids: [extraWebmailScriptId]});
		const current = registered?.matches ?? [];
		if (registered && samePatterns(current, granted)) {
			return {registered: current, notGranted, noScripting: false};
		}

		if (registered) {
			await api.scripting.unregisterContentScripts({ids: [extraWebmailScriptId]});
		}

		if (granted.length > 0) {
			await api.scripting.registerContentScripts([{id: extraWebmailScriptId, matches: granted, js: [contentScriptFile], runAt: 'document_idle', allFrames: true, persistAcrossSessions: true}]);
		}

		return {registered: granted, notGranted, noScripting: false};
	} catch (error) {
		return {registered: [], notGranted, noScripting: false, failed: error instanceof Error ? error.message : String(error)};
	}
}

/**
 * `sync` run one at a time: the background starts it on start-up, on every settings or permission change and for the
 * options page, and two runs' get/unregister/register steps must not interleave (the second register would fail
 * with a duplicate ID). Each caller gets the report of its own run.
 */
export function oneSyncAtATime(sync: () => Promise<WebmailScriptsReport>): () => Promise<WebmailScriptsReport> {
	let queue: Promise<unknown> = Promise.resolve();
	return async () => {
		const run = queue.then(sync);
		queue = run.catch(() => undefined);
		return run;
	};
}
