/** The iTIP message of a mail as the card and the answer flow take it: its calendar, its From, its Authentication-Results. */
import {pickCalendarPart, type CalendarMail} from '../imip/index.ts';
import type {InvitationMessage} from './types.ts';

/** The METHODs a card is shown for, most wanted first: an invitation beats a reply attached beside it. */
export const cardMethods = ['REQUEST', 'CANCEL', 'REPLY', 'COUNTER'] as const;

/**
 * The message to show a card for, or undefined when the mail has no calendar with a METHOD we handle.
 * From only, never Sender: RFC 6047 §3 compares the originator, and anyone can set a Sender header.
 */
export function invitationMessageOf(mail: CalendarMail): InvitationMessage | undefined {
	const part = pickCalendarPart(mail.parts, cardMethods);
	if (!part || !cardMethods.includes(part.method as typeof cardMethods[number])) {
		return undefined;
	}

	return {calendar: part.text, from: mail.from ? [mail.from.email] : [], authenticationResults: mail.authenticationResults};
}
