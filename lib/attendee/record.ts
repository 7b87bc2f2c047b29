/** The extension's record of an invitation the user keeps, read from the copy just written (no second source of truth). */
import {addressSet, myAttendee, organizerOf} from '../itip/attendee-copy.ts';
import {addressOf, readState} from '../itip/attendee-state.ts';
import {eventsOf, masterOf, parseCalendar, sequenceOf} from '../itip/calendar.ts';
import type {PartStat} from '../itip/index.ts';
import {eventTimes} from '../itip/describe.ts';
import type {InvitationRecord} from './types.ts';

/** The user's PARTSTAT on the series (the master, else the first component listing them), NEEDS-ACTION when unknown. */
export function myPartstat(ics: string, me: readonly string[]): PartStat {
	const parsed = parseCalendar(ics);
	if (!parsed.ok) {
		return 'NEEDS-ACTION';
	}

	const mine = addressSet(me);
	const components = [masterOf(parsed.calendar), ...eventsOf(parsed.calendar)].filter(component => component !== undefined);
	const attendee = components.map(component => myAttendee(component, mine)).find(Boolean);
	return attendee ? readState(attendee).partstat : 'NEEDS-ACTION';
}

export function invitationRecord(fields: {uid: string; href: string; etag: string; calendarUrl: string; ics: string}, me: readonly string[], previous: InvitationRecord | undefined, now: Date): InvitationRecord {
	const parsed = parseCalendar(fields.ics);
	const master = parsed.ok ? masterOf(parsed.calendar) ?? eventsOf(parsed.calendar)[0] : undefined;
	const organizer = parsed.ok ? organizerOf(parsed.calendar) : undefined;
	const times = eventTimes(fields.ics);
	return {
		...previous,
		uid: fields.uid,
		href: fields.href,
		etag: fields.etag,
		calendarUrl: fields.calendarUrl,
		summary: String(master?.getFirstPropertyValue('summary') ?? ''),
		organizer: organizer ? addressOf(organizer) : '',
		start: times.start,
		end: times.end,
		sequence: master ? sequenceOf(master) : 0,
		partstat: myPartstat(fields.ics, me),
		cancelled: String(master?.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED',
		updatedAt: now.toISOString(),
	};
}
