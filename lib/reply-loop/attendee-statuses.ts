/** Each attendee's answer as the stored event says it (the master VEVENT's ATTENDEEs, organizer left out). */
import {addressOf, readState} from '../itip/attendee-state.ts';
import {masterOf, parseCalendar} from '../itip/calendar.ts';
import type {AttendeeStatus} from '../model.ts';

/** `20261201T150000Z` → ISO 8601, or undefined for anything else. */
function isoOfStamp(stamp: string | undefined): string | undefined {
	const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp ?? '');
	return match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z` : undefined;
}

export function attendeeStatuses(ics: string): AttendeeStatus[] {
	const parsed = parseCalendar(ics);
	if (!parsed.ok) {
		return [];
	}

	const master = masterOf(parsed.calendar);
	if (!master) {
		return [];
	}

	const organizerProperty = master.getFirstProperty('organizer');
	const organizer = organizerProperty ? addressOf(organizerProperty) : '';
	return master.getAllProperties('attendee')
		.filter(property => addressOf(property) !== organizer)
		.map(property => {
			const state = readState(property);
			const name = property.getParameter('cn');
			const status: AttendeeStatus = {
				email: addressOf(property),
				optional: String(property.getParameter('role') ?? '').toUpperCase() === 'OPT-PARTICIPANT',
				partstat: state.partstat,
			};
			if (typeof name === 'string' && name !== '') {
				status.name = name;
			}

			if (state.comment) {
				status.comment = state.comment;
			}

			const answeredAt = isoOfStamp(state.replyDtstamp);
			if (answeredAt) {
				status.answeredAt = answeredAt;
			}

			return status;
		});
}
