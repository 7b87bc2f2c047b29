/**
 * Sends one iTIP message (RFC 5546) as iMIP mail (RFC 6047) through the relay, from the user's own address,
 * with a copy in Sent. One mail to all recipients: each sees who else is invited, as with Google Calendar.
 */
import {relayAccountOf} from '../account.ts';
import {smtpAddress} from '../address.ts';
import {composeInviteMail, inviteHtml, inviteSubject, inviteText, type InviteMailKind, type ItipMethod, type MailEvent} from '../imip/index.ts';
import {rememberRequest} from '../plain-answers/remember-request.ts';
import type {SendResponse} from '../relay-client/types.ts';
import type {InviteDeps} from './ports.ts';

export type ItipMail = {
	kind: InviteMailKind;
	method: ItipMethod;
	event: MailEvent;
	/** The iTIP iCalendar text (with METHOD). */
	calendar: string;
	/** Lower-case addresses. */
	recipients: readonly string[];
};

/** The whole iMIP mail for one iTIP message, from the user's address (raw RFC 5322, CRLF). */
export function composeItipMail(from: {email: string; name: string}, mail: ItipMail, date: Date): string {
	const names = new Map(mail.event.attendees.map(attendee => [attendee.email.toLowerCase(), attendee.name]));
	return composeInviteMail({
		from: {email: from.email, name: from.name},
		to: mail.recipients.map(email => ({email, ...(names.get(email) ? {name: names.get(email)} : {})})),
		subject: inviteSubject(mail.kind, mail.event),
		text: inviteText(mail.kind, mail.event),
		html: inviteHtml(mail.kind, mail.event),
		calendar: mail.calendar,
		method: mail.method,
		date,
	});
}

export async function sendItipMail(deps: Pick<InviteDeps, 'relay' | 'account' | 'settings' | 'now'> & {events?: Pick<InviteDeps['events'], 'rememberSent'>}, mail: ItipMail): Promise<SendResponse> {
	const raw = composeItipMail(deps.account, mail, deps.now?.() ?? new Date());
	const sent = await deps.relay.send({
		account: relayAccountOf(deps.account, deps.settings),
		envelope: {from: smtpAddress(deps.account.email), to: mail.recipients.map(address => smtpAddress(address))},
		raw,
		copyToSent: true,
	});
	// Attendees answer REQUESTs; a plain "Yes" by mail names this Message-ID or subject.
	await rememberRequest(deps.events?.rememberSent?.bind(deps.events), {method: mail.method, calendar: mail.calendar, subject: inviteSubject(mail.kind, mail.event)}, sent);

	return sent;
}
