/** What a content script can tell about the Roundcube page it runs in, read from the DOM only. */

/**
 * The compose toolbar, first match wins.
 * The issue names `#messagetoolbar`; Debian's Roundcube 1.6.5 Elastic builds the toolbar as `ul#toolbar-menu`
 * instead, so both are listed.
 */
export const composeToolbarSelectors = [
	'#messagetoolbar', // Larry skin, and skins derived from it
	'#toolbar-menu', // Elastic skin (Roundcube 1.5, 1.6), e.g. ?_task=mail&_action=compose
] as const;

/** The compose toolbar element, if the page has one. */
export function findComposeToolbar(document_: Document): Element | undefined {
	for (const selector of composeToolbarSelectors) {
		const toolbar = document_.querySelector(selector);
		if (toolbar) {
			return toolbar;
		}
	}

	return undefined;
}

/** True when the document is a Roundcube compose screen (it has the subject field and a compose toolbar). */
export function isComposeScreen(document_: Document): boolean {
	return document_.querySelector('#compose-subject') !== null && findComposeToolbar(document_) !== undefined;
}
