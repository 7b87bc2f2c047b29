/**
 * Roundcube's message view (Elastic: skins/elastic/templates/message.html), in the preview pane's iframe
 * (`_action=preview`) or on its own page (`_action=show`): which message it shows, where its raw source is, and where
 * the invitation card goes.
 */

export type ShownMessage = {uid: string; mbox: string};

/** The message a page shows, from its URL; undefined for any other page. */
export function shownMessage(href: string): ShownMessage | undefined {
	const url = new URL(href);
	const parameters = url.searchParams;
	const action = parameters.get('_action');
	const uid = parameters.get('_uid');
	if (parameters.get('_task') !== 'mail' || (action !== 'show' && action !== 'preview') || !uid || !/^\d+$/.test(uid)) {
		return undefined;
	}

	return {uid, mbox: parameters.get('_mbox') ?? 'INBOX'};
}

/**
 * The message's raw source, as Roundcube's "More → View source" serves it (program/actions/mail/viewsource.php),
 * read with the page's own session: no relay round trip. Relative to the page, so a webmail under a path
 * (`https://purelymail.com/webmail/`) works as well.
 */
export function messageSourceUrl(href: string, message: ShownMessage): string {
	const url = new URL(href);
	url.search = new URLSearchParams({_task: 'mail', _action: 'viewsource', _uid: message.uid, _mbox: message.mbox}).toString();
	url.hash = '';
	return url.href;
}

/** Where the card goes, first match wins: the card is put before it. */
export const cardAnchorSelectors = [
	'#message-objects', // Elastic and Larry: the container plugins fill above the body, e.g. ?_task=mail&_action=show&_uid=1&_mbox=INBOX
	'#messagebody', // any skin: the body itself
] as const;

export function findCardAnchor(document_: Document): Element | undefined {
	for (const selector of cardAnchorSelectors) {
		const anchor = document_.querySelector(selector);
		if (anchor) {
			return anchor;
		}
	}

	return undefined;
}
