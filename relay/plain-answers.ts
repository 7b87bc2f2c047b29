/**
 * Mail without a calendar that answers one of the user's invitations ("Yes, I'll be there" from a client that is not
 * iTIP-aware): which of a folder's new messages they are, and their first text part, bounded. Only mail that names
 * one of the invitations the extension asks about is ever read (lib/plain-answers/threading.ts).
 */
import type {MessageStructureObject} from 'imapflow';
import EmailReplyParser from 'email-reply-parser';
import PostalMime from 'postal-mime';
import {isReplySubject, referencedIds, referencesOneOf} from '../lib/plain-answers/threading.ts';
import type {AnswersTo} from '../lib/relay-client/types.ts';

/** The most of a text part fetched, as stored: the first lines of an answer are all that is shown. */
export const maxPlainAnswerBytes = 16 * 1024;

/** Headers fetched for every new message when answers are looked for, to decide without reading any body. */
export const threadingHeaders = ['in-reply-to', 'references', 'subject'];

/** Where the first text/plain part is and how it is encoded. */
export type TextPartRef = {part: string; transferEncoding: string; charset: string | null; size: number};

/** The first text/plain part that is not an attachment, outside attached messages; undefined when there is none. */
export function findFirstTextPart(structure: MessageStructureObject): TextPartRef | undefined {
	const visit = (node: MessageStructureObject, isRoot: boolean): TextPartRef | undefined => {
		const type = node.type.toLowerCase();
		if (type.startsWith('multipart/')) {
			for (const child of node.childNodes ?? []) {
				const found = visit(child, false);
				if (found) {
					return found;
				}
			}

			return undefined;
		}

		if ((type === 'message/rfc822' && !isRoot) || type !== 'text/plain' || node.disposition?.toLowerCase() === 'attachment') {
			return undefined;
		}

		return {
			// A single-part message has no part number in imapflow's tree; its body is part 1 (RFC 3501 §6.4.5).
			part: node.part ?? '1',
			transferEncoding: (node.encoding ?? '7bit').toLowerCase(),
			charset: node.parameters?.charset?.toLowerCase() ?? null,
			size: node.size ?? 0,
		};
	};

	return visit(structure, true);
}

/** The asked-about invitations, ready for matching. */
export type AnswerFilter = {messageIds: ReadonlySet<string>; subjects: readonly string[]};

export function answerFilter(answersTo: AnswersTo): AnswerFilter {
	return {messageIds: new Set(answersTo.messageIds), subjects: answersTo.subjects ?? []};
}

/** Whether a message's threading headers (fetched as a raw header block) say it answers one of the invitations. */
export async function answersOneOf(headerBlock: Buffer | undefined, filter: AnswerFilter): Promise<boolean> {
	if (!headerBlock || headerBlock.length === 0) {
		return false;
	}

	const email = await PostalMime.parse(headerBlock);
	if (referencesOneOf(referencedIds(email.inReplyTo, email.references), filter.messageIds)) {
		return true;
	}

	const subject = email.subject ?? '';
	return filter.subjects.some(original => isReplySubject(subject, original));
}

/**
 * What the person wrote, without the quoted invitation and signature: email-reply-parser (Crisp's maintained port
 * of GitHub's parser) knows Gmail's "On … wrote:", Outlook's "-----Original Message-----" and "From: … Sent: …",
 * Apple Mail's "> " quoting and "Sent from my iPhone", in many languages. It is Node-only, hence here.
 */
export function visibleAnswer(text: string): string {
	try {
		return new EmailReplyParser().read(text.replaceAll('\r\n', '\n')).getVisibleText().trim();
	} catch {
		return text.trim();
	}
}
