/**
 * Another Roundcube webmail in the options page (issue 12, item 13): the browser is asked for its origin and the
 * optional `scripting` permission together, in the Save click itself (browsers grant permissions only during a
 * user gesture), and after the save the page says what came of it: a refusal or a failed registration is never a
 * silent "Saved".
 */
import {originPatterns, type WebmailScriptsReport} from '../background/webmail-scripts.ts';
import type {ActionFeedback} from './action-feedback.ts';

/** What registering our content script at run time needs besides the origin. */
export const scriptingPermission = 'scripting';

export type PermissionRequest = {origins: string[]; permissions: Array<typeof scriptingPermission>};

/**
 * Asks for every listed origin and `scripting` in one prompt (none when they are all granted already); false when
 * the browser refused or could not ask. An empty list asks for nothing.
 */
export async function requestWebmailAccess(origins: readonly string[], request: (permissions: PermissionRequest) => Promise<boolean>): Promise<boolean> {
	const patterns = originPatterns(origins);
	if (patterns.length === 0) {
		return true;
	}

	try {
		return await request({origins: patterns, permissions: [scriptingPermission]});
	} catch {
		// E.g. an origin the manifest does not list among its optional host permissions.
		return false;
	}
}

/** After a save with other webmails: undefined when the Add invite button is set up on every one of them. */
export function webmailFeedback(report: WebmailScriptsReport): ActionFeedback | undefined {
	if (report.failed !== undefined) {
		return {
			kind: 'error',
			text: `Saved, but the browser would not add the Add invite button to the other webmail: ${report.failed}`,
			action: 'Remove the address, save, add it again and save.',
		};
	}

	if (report.noScripting || report.notGranted.length > 0) {
		const where = report.notGranted.length > 0 ? report.notGranted.join(', ') : 'the other webmail';
		return {
			kind: 'error',
			text: `Saved, but the browser did not allow access to ${where}, so the Add invite button will not appear there.`,
			action: 'Save again and allow access when the browser asks.',
		};
	}

	return undefined;
}
