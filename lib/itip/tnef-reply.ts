/**
 * The iTIP REPLY (RFC 5546 §3.2.3) an Outlook answer sent only as TNEF stands for, built from what the relay read
 * from its winmail.dat (relay/tnef.ts), so that it is applied by applyReply like any other REPLY.
 */
import ICAL from 'ical.js';
import type {TnefReading} from '../relay-client/types.ts';
import {newCalendar, utcStamp} from './calendar.ts';
import {serialize} from './serialize.ts';

export type TnefMeetingResponse = Extract<TnefReading, {kind: 'meeting-response'}>;

/**
 * One VEVENT with the event's UID, one ATTENDEE (who answered, with the answer) and DTSTAMP (when Outlook sent it).
 * TNEF as node-tnef decodes it gives no SEQUENCE and no ORGANIZER: the REPLY has neither, so it counts as an answer to
 * the event's first version (RFC 5545 §3.8.7.4's default), and the UID alone ties it to our event.
 * @param now DTSTAMP when Outlook's send time is missing
 */
export function replyFromTnef(response: TnefMeetingResponse, now: Date = new Date()): string {
	const calendar = newCalendar('REPLY');
	const event = new ICAL.Component('vevent');
	event.addPropertyWithValue('uid', response.uid);
	const sent = response.sentAt === null ? Number.NaN : Date.parse(response.sentAt);
	event.addPropertyWithValue('dtstamp', utcStamp(Number.isNaN(sent) ? now : new Date(sent)));
	const attendee = event.addPropertyWithValue('attendee', `mailto:${response.attendee.address}`);
	attendee.setParameter('partstat', response.partstat);
	if (response.attendee.name !== '') {
		attendee.setParameter('cn', response.attendee.name);
	}

	calendar.addSubcomponent(event);
	return serialize(calendar);
}
