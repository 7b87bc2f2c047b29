/** What a content script can tell about the Roundcube page it runs in, read from the DOM only. */

/** The compose toolbar of Roundcube 1.6's Elastic skin. */
export const composeToolbarSelector = '#messagetoolbar';

/** True when the document is a Roundcube compose screen (it has the subject field and the compose toolbar). */
export function isComposeScreen(document_: Document): boolean {
	return document_.querySelector('#compose-subject') !== null
		&& document_.querySelector(composeToolbarSelector) !== null;
}
