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
	getRegisteredContentScripts(filter?: {ids?: string[]}): Promise<Array<{id: string}>>;
	unregisterContentScripts(filter?: {ids?: string[]}): Promise<void>;
	registerContentScripts(scripts: Array<{id: string; matches: string[]; js: string[]; runAt?: 'document_idle'; allFrames?: boolean; persistAcrossSessions?: boolean}>): Promise<void>;
};

export type PermissionsApi = {contains(permissions: {origins?: string[]; permissions?: string[]}): Promise<boolean>};

/** Registers the content script for every granted extra origin, replacing what was registered before. */
export async function syncWebmailScripts(origins: readonly string[], api: {scripting: ScriptingApi | undefined; permissions: PermissionsApi}): Promise<string[]> {
	if (!api.scripting) {
		return [];
	}

	const patterns = originPatterns(origins);
	const granted: string[] = [];
	for (const pattern of patterns) {
		 
		if (await api.permissions.contains({origins: [pattern]})) {
			granted.push(pattern);
		}
	}

	const registered = await api.scripting.getRegisteredContentScripts({ids: [extraWebmailScriptId]});
	if (registered.length > 0) {
		await api.scripting.unregisterContentScripts({ids: [extraWebmailScriptId]});
	}

	if (granted.length > 0) {
		await api.scripting.registerContentScripts([{id: extraWebmailScriptId, matches: granted, js: [contentScriptFile], runAt: 'document_idle', allFrames: true, persistAcrossSessions: true}]);
	}

	return granted;
}
