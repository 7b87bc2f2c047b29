/**
 * The attendee's answer as iMIP mail (RFC 6047 §2.4): From the attendee, To the organizer, the REPLY as
 * `text/calendar; method=REPLY`, in the same tree as our REQUEST (composeInviteMail).
 */
import {composeInviteMail, type MailAddress} from './compose-invite-mail.ts';

/** The answers a REPLY carries (RFC 5545 §3.2.12), as `buildReply` takes them. */
export type ReplyAnswer = 'ACCEPTED' | 'TENTATIVE' | 'DECLINED';

/** What the mail needs from `buildReply`'s result (lib/itip BuiltReply fits as it is). */
export type ReplyMailInput = {
	reply: string;
	organizer: MailAddress;
	attendee: MailAddress;
	summary: string;
	answer: ReplyAnswer;
	/** The occurrence answered (ISO), when only one was. */
	recurrenceId?: string;
};

const subjectWords: Record<ReplyAnswer, string> = {
	ACCEPTED: 'Accepted',
	TENTATIVE: 'Tentatively accepted',
	DECLINED: 'Declined',
};

const sentenceWords: Record<ReplyAnswer, string> = {
	ACCEPTED: 'has accepted',
	TENTATIVE: 'has tentatively accepted (maybe)',
	DECLINED: 'has declined',
};

/** `Accepted: Project sync`, `Tentatively accepted: …`, `Declined: …`, as Google and Outlook word them. */
export function replySubject(answer: ReplyAnswer, summary: string): string {
	// Header text: a title spread over lines must not break the header (composeInviteMail refuses CR/LF).
	return `${subjectWords[answer]}: ${summary.replaceAll(/\s+/g, ' ').trim() || '(no title)'}`;
}

/** The text/plain body: who answered what, for which occurrence, and their comment. */
export function replyText(input: ReplyMailInput, comment?: string): string {
	const who = input.attendee.name ? `${input.attendee.name} <${input.attendee.email}>` : input.attendee.email;
	const occurrence = input.recurrenceId ? ` for the occurrence of ${input.recurrenceId}` : '';
	const lines = [`${who} ${sentenceWords[input.answer]} the invitation${occurrence}: ${input.summary}`];
	if (comment !== undefined && comment.trim() !== '') {
		lines.push('', `Comment: ${comment.trim()}`);
	}

	lines.push('', 'Your calendar app records this answer when it reads the attached reply.', '');
	return lines.join('\r\n');
}

/**
 * Builds the whole REPLY mail (raw RFC 5322, CRLF).
 * @throws {InvalidMailFieldError} when an address cannot go in a header.
 * @example
 * const raw = composeReplyMail(buildReply(copy, {me: ['alex@example.com'], answer: 'ACCEPTED'}), {comment});
 */
export function composeReplyMail(input: ReplyMailInput, options: {comment?: string; date?: Date; from?: MailAddress} = {}): string {
	return composeInviteMail({
		from: options.from ?? input.attendee,
		to: [input.organizer],
		subject: replySubject(input.answer, input.summary),
		text: replyText(input, options.comment),
		calendar: input.reply,
		method: 'REPLY',
		...(options.date === undefined ? {} : {date: options.date}),
	});
}
