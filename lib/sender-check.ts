/** The parts of a message sender we need to trust it. */
export type MessageSenderLike = {id?: string; url?: string};

/**
 * True when a runtime message comes from one of this extension's own contexts
 * (background, popup, options or our content script), never from a web page or another extension.
 */
export function isOwnExtensionSender(sender: MessageSenderLike, ownId: string): boolean {
	return sender.id === ownId;
}
