/**
 * The one rule for remembering the invitations we mail, whoever mails them (the invite flows in lib/invites,
 * calendar-app scheduling in lib/scheduling): a REQUEST the mail server accepted for at least one attendee is kept
 * by its Message-ID and subject, so that a plain-mail answer to it ("Re: Invitation: …", In-Reply-To naming it) is
 * recognised (match.ts). CANCELs, REPLYs and mails nobody received are not: nobody answers them.
 */
import {calendarHead} from '../itip/index.ts';
import {pickCalendarPart, readCalendarMail} from '../imip/index.ts';
import type {SendResponse} from '../relay-client/types.ts';

/** Keeps one sent REQUEST of the event `uid` (lib/stored-events' `rememberSent`, the extension's storage). */
export type RememberSent = (uid: string, messageId: string, subject: string) => Promise<void>;

/** What was mailed: the iTIP method, the calendar text (for its UID) and the Subject. */
export type MailedItip = {method: string | null; calendar: string; subject: string};

export async function rememberRequest(remember: RememberSent | undefined, mail: MailedItip, sent: Pick<SendResponse, 'messageId' | 'accepted'>): Promise<void> {
	if (!remember || mail.method !== 'REQUEST' || !sent.messageId || sent.accepted.length === 0) {
		return;
	}

	const head = calendarHead(mail.calendar);
	if (head.ok) {
		await remember(head.uid, sent.messageId, mail.subject);
	}
}

/**
 * The same for a mail that was composed earlier and kept as bytes (calendar-app scheduling's outbox): its method,
 * calendar and subject are read back from the mail itself, with the same reader the reply loop uses.
 * Never throws: the mail is out either way, so a failure here costs only the matching of a plain-mail answer to it,
 * and must not make the sender treat the mail as unsent (and send it again).
 */
export async function rememberRequestMail(remember: RememberSent | undefined, raw: string, sent: Pick<SendResponse, 'messageId' | 'accepted'>): Promise<void> {
	if (!remember || !sent.messageId || sent.accepted.length === 0) {
		return;
	}

	try {
		const mail = await readCalendarMail(raw);
		const part = pickCalendarPart(mail.parts, ['REQUEST']);
		if (part && mail.subject !== null) {
			await rememberRequest(remember, {method: part.method, calendar: part.text, subject: mail.subject}, sent);
		}
	} catch {
		// See above: nothing to undo.
	}
}
