import type {ExtensionMessage} from '@webext-core/messaging';

/** Who sent a runtime message, as the browser reports it (`runtime.MessageSender`; the browser fills it, a page cannot). */
export type MessageSender = ExtensionMessage['sender'];

/**
 * The contexts of this extension that message the background: its three pages and its content script.
 * Anything else (a web page, another extension, an extension page we do not know) has no kind and is refused.
 */
export type SenderKind = 'popup' | 'options' | 'edit' | 'content';

/** This extension as the background sees it: its id and the base URL of its pages (`runtime.getURL('/')`). */
export type OwnExtension = {id: string; baseUrl: string};

/** The extension page each page kind is served from. */
const pagePaths: Record<Exclude<SenderKind, 'content'>, string> = {popup: '/popup.html', options: '/options.html', edit: '/edit.html'};

/**
 * What kind of our own contexts sent a message, or undefined when it is not one of ours.
 * The id says the message comes from this extension; the URL (set by the browser, not the sender) says which context:
 * one of our pages (by its path, whatever its query), or a content script (a web page's URL, in a tab).
 */
export function senderKind(sender: MessageSender, own: OwnExtension): SenderKind | undefined {
	if (sender.id !== own.id || sender.url === undefined) {
		return undefined;
	}

	const url = parseUrl(sender.url);
	if (!url) {
		return undefined;
	}

	const base = parseUrl(own.baseUrl);
	// Scheme and host, not `origin`: for chrome-extension: and moz-extension: URLs `origin` can be the opaque "null".
	if (base && url.protocol === base.protocol && url.host === base.host) {
		return (Object.keys(pagePaths) as Array<keyof typeof pagePaths>).find(kind => pagePaths[kind] === url.pathname);
	}

	// A content script runs in a tab on a web page; our own origin never reaches this line.
	return sender.tab === undefined ? undefined : 'content';
}

/** `URL.parse` is not in Node 20, where the tests run. */
function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}
