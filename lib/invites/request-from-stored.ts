/**
 * The REQUEST to send again for an event as it is stored (RFC 5546 §3.2.2: a re-sent REQUEST with the same
 * SEQUENCE is a resend, not an update). The stored copy has no METHOD (RFC 4791 §4.1); the mail copy needs one.
 */
import {parseCalendar, withMethod} from '../itip/calendar.ts';
import {serialize} from '../itip/serialize.ts';

export function requestFromStored(stored: string): string {
	const parsed = parseCalendar(stored);
	if (!parsed.ok) {
		throw new Error(`The stored event cannot be read: ${parsed.reason}`);
	}

	return serialize(withMethod(parsed.calendar, 'REQUEST'));
}
