/**
 * What a mail's headers say about who sent a reply, as lib/itip needs it: the From address (the originator), the
 * Sender header only to mention it, and the user's provider's Authentication-Results verdict. One function, used by
 * the reply loop and by `pmi apply-reply`, so both decide alike.
 */
import {authenticationFailure, defaultAuthservId} from '../imip/authentication-results.ts';
import type {ReplyContext} from '../itip/index.ts';

export type MailOrigin = {
	from: string | null | undefined;
	sender: string | null | undefined;
	authenticationResults: readonly string[];
};

export type ReplyContextOptions = {
	me: readonly string[];
	/** The user's provider's authserv-id; Purelymail's by default. */
	authservId?: string;
	now?: Date;
};

export function replyContextOf(origin: MailOrigin, options: ReplyContextOptions): ReplyContext {
	const from = origin.from ?? undefined;
	const authentication = authenticationFailure(origin.authenticationResults, from, options.authservId ?? defaultAuthservId);
	return {
		senders: from ? [from] : [],
		me: options.me,
		...(origin.sender && origin.sender !== from ? {senderHeader: origin.sender} : {}),
		...(authentication ? {authentication} : {}),
		...(options.now ? {now: options.now} : {}),
	};
}
