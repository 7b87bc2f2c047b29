/**
 * Whether a mail without a calendar is an attendee's answer to one of our invitations, and what to show of it.
 * Pure: the relay already returned only mail that names one of our invitations (threading.ts); this decides which
 * event and whether its sender is invited to it. A stranger's mail, or one about no event of ours, is no answer.
 */
import {sameAddress} from '../address.ts';
import {cleanLine} from '../itip/index.ts';
import type {TrackedEvent} from '../model.ts';
import type {PlainAnswerMessage} from '../relay-client/types.ts';
import {isReplySubject, referencesOneOf} from './threading.ts';
import type {PlainAnswer, SentInvitation} from './types.ts';

/** How many lines of the answer are kept, and how long the excerpt may be. */
export const excerptLines = 3;
export const maxExcerptLength = 300;

/** The first non-blank lines of what the person wrote, one line, cleaned of control characters and capped. */
export function excerptOf(answer: string): string {
	const lines = answer.split(/\r?\n/).map(line => line.trim()).filter(line => line !== '').slice(0, excerptLines);
	return cleanLine(lines.join(' '), maxExcerptLength);
}

/**
 * The event a mail answers: by In-Reply-To/References first (exact Message-IDs), else by a reply subject
 * ("Re: " + the invitation's subject). The newest event wins a tie on subject (the same title sent twice).
 */
function eventAnswered(mail: PlainAnswerMessage, events: readonly TrackedEvent[], sent: Readonly<Record<string, SentInvitation>>): TrackedEvent | undefined {
	const referenced = [...(mail.headers.inReplyTo ? [mail.headers.inReplyTo] : []), ...mail.headers.references];
	const byId = events.find(event => referencesOneOf(referenced, new Set(sent[event.uid]?.messageIds ?? [])));
	if (byId) {
		return byId;
	}

	return events
		.filter(event => (sent[event.uid]?.subjects ?? []).some(subject => isReplySubject(mail.headers.subject, subject)))
		.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/**
 * The plain answer a mail is, or undefined: not about one of our (uncancelled) events, or from someone the event
 * does not list. Only the From address counts as the sender (RFC 5322 §3.6.2), as for iTIP replies.
 * @param key the message's key (messageKey)
 */
export function matchPlainAnswer(
	mail: PlainAnswerMessage,
	key: string,
	events: readonly TrackedEvent[],
	sent: Readonly<Record<string, SentInvitation>>,
): PlainAnswer | undefined {
	const from = mail.headers.from?.address;
	if (!from) {
		return undefined;
	}

	const event = eventAnswered(mail, events.filter(candidate => !candidate.cancelled), sent);
	const attendee = event?.attendees.find(candidate => sameAddress(candidate.email, from));
	if (!event || !attendee) {
		return undefined;
	}

	return {
		key,
		eventUid: event.uid,
		attendee: {email: attendee.email, ...(attendee.name ? {name: attendee.name} : {})},
		excerpt: excerptOf(mail.answer === '' ? mail.text : mail.answer),
		subject: cleanLine(mail.headers.subject),
		date: mail.headers.date,
		messageId: mail.headers.messageId,
	};
}
