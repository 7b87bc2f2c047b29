/** The whole mail for one scheduling message, composed once and kept in the outbox (so a re-send is the same mail). */
import {composeReplyMail} from '../imip/index.ts';
import {composeItipMail} from '../invites/send-itip-mail.ts';
import {inviteSpecOf, type ScheduleMessage} from '../itip/index.ts';

export function composeScheduleMail(message: ScheduleMessage, from: {email: string; name: string}, summary: string, date: Date): string {
	if (message.method === 'REPLY') {
		return composeReplyMail({
			reply: message.calendar,
			organizer: {email: message.recipients[0]!},
			attendee: {email: from.email, ...(from.name ? {name: from.name} : {})},
			summary,
			answer: message.answer!,
			...(message.recurrenceId ? {recurrenceId: message.recurrenceId} : {}),
		}, {date, from: {email: from.email, ...(from.name ? {name: from.name} : {})}});
	}

	const kind = message.method === 'CANCEL' ? 'cancellation' : (message.reason === 'new' || message.reason === 'added' ? 'invitation' : 'update');
	return composeItipMail(from, {kind, method: message.method, event: inviteSpecOf(message.calendar, from), calendar: message.calendar, recipients: message.recipients}, date);
}
