/**
 * Reading Roundcube's compose form, for prefilling the invite composer. DOM reads only: nothing is changed.
 */
import {parseRecipientList, type Recipient} from './recipients.ts';

/**
 * The compose form's fields, first match wins. Elastic keeps `#_to`/`#_cc` as hidden textareas behind
 * `ul.recipient-input` and writes every chip into them, so the textareas are the one place to read.
 */
export const composeFieldSelectors = {
	to: [
		'#_to', // Elastic and Larry, ?_task=mail&_action=compose
	],
	cc: [
		'#_cc', // Elastic and Larry; present (empty) even while the Cc row is hidden
	],
	subject: [
		'#compose-subject', // Elastic and Larry
	],
	body: [
		'#composebody', // Elastic and Larry, the plain-text editor's textarea
	],
	htmlBody: [
		'#composebody_ifr', // TinyMCE's iframe when the HTML editor is on; the textarea is stale then
	],
} as const;

/**
 * The control that leaves the compose screen through Roundcube's own code (`rcmail.command('list')`), which asks
 * "discard the unsent message?" itself and clears its local copy when the user agrees.
 */
export const leaveComposeSelectors = [
	'#taskmenu a.mail', // Elastic, the "Mail" entry of the left task menu
	'#taskbar a.button-mail', // Larry, the "Mail" entry of the top task bar
] as const;

/** What the invite composer takes from the compose form. */
export type ComposePrefill = {
	recipients: Recipient[];
	subject: string;
	/** The message text without its signature, for the description when the user wants it. */
	body: string;
};

function first<T extends Element>(document_: Document, selectors: readonly string[]): T | undefined {
	for (const selector of selectors) {
		const element = document_.querySelector<T>(selector);
		if (element) {
			return element;
		}
	}

	return undefined;
}

/** The text of the HTML editor's iframe; undefined when it is absent or not readable. */
function htmlEditorText(document_: Document): string | undefined {
	const frame = first<HTMLIFrameElement>(document_, composeFieldSelectors.htmlBody);
	try {
		// The iframe is same-origin (TinyMCE writes it), so its body is readable; a missing one is simply skipped.
		const body = frame?.contentDocument?.body;
		return body ? body.innerText : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The message text without the signature (from the `-- ` line, RFC 3676 §4.3) and without trailing whitespace
 * on lines or at the end.
 */
export function descriptionFromBody(body: string): string {
	const lines = body.replaceAll('\r\n', '\n').split('\n');
	const signature = lines.findIndex(line => line === '-- ' || line === '--');
	const kept = signature === -1 ? lines : lines.slice(0, signature);
	return kept.map(line => line.trimEnd()).join('\n').trim();
}

/** To and Cc (in that order, without duplicates), Subject and body text of the compose form. */
export function readComposeForm(document_: Document): ComposePrefill {
	const to = first<HTMLTextAreaElement>(document_, composeFieldSelectors.to)?.value ?? '';
	const cc = first<HTMLTextAreaElement>(document_, composeFieldSelectors.cc)?.value ?? '';
	const subject = first<HTMLInputElement>(document_, composeFieldSelectors.subject)?.value ?? '';
	const plain = first<HTMLTextAreaElement>(document_, composeFieldSelectors.body);
	const frameText = htmlEditorText(document_);
	// TinyMCE's iframe exists only while the HTML editor is on, and then it has the current text, not the textarea.
	const bodyText = frameText ?? plain?.value ?? '';
	return {
		recipients: parseRecipientList(`${to},${cc}`),
		subject: subject.trim(),
		body: descriptionFromBody(bodyText),
	};
}

/** Roundcube's own "leave compose" control, if the page has one. */
export function findLeaveComposeControl(document_: Document): HTMLElement | undefined {
	return first<HTMLElement>(document_, leaveComposeSelectors);
}
