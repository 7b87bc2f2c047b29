/** The UID an iTIP message is about (RFC 5546 §3.2: every component of one message shares it), or '' when unreadable. */
import {eventsOf, parseCalendar} from '../itip/calendar.ts';

export function uidOfMessage(calendar: string): string {
	const parsed = parseCalendar(calendar);
	return parsed.ok ? String(eventsOf(parsed.calendar)[0]?.getFirstPropertyValue('uid') ?? '').trim() : '';
}
