/**
 * An event made in another calendar app, described the way the invite flow describes what the user typed
 * (`InviteSpec`): for the mail's text ("Invitation: Team sync @ …") and for the popup's record of the event.
 * Only what the mail shows is read; an RRULE beyond FREQ/INTERVAL/COUNT/UNTIL/BYDAY is left out of the text.
 */
import ICAL from 'ical.js';
import {addressOf, parameterValues} from './attendee-state.ts';
import {eventsOf, masterOf, parseCalendar} from './calendar.ts';
import {repeatRuleOf} from './repeat-rule.ts';
import {isKnownTimeZone} from './timezones.ts';
import type {InviteSpec} from './types.ts';

function wallClock(time: ICAL.Time): string {
	return time.isDate ? time.toString().slice(0, 10) : time.toString().slice(0, 16);
}

function nameOf(property: ICAL.Property): string | undefined {
	const name = parameterValues(property, 'cn')[0]?.trim();
	return name && name !== addressOf(property) ? name : undefined;
}

export function inviteSpecOf(ics: string, fallbackOrganizer: {email: string; name: string}): InviteSpec {
	const parsed = parseCalendar(ics);
	const master = parsed.ok ? masterOf(parsed.calendar) ?? eventsOf(parsed.calendar)[0] : undefined;
	const organizer = master?.getFirstProperty('organizer');
	const start = master?.getFirstProperty('dtstart');
	const startTime = start?.getFirstValue() as ICAL.Time | undefined;
	const endTime = (master?.getFirstProperty('dtend')?.getFirstValue() as ICAL.Time | undefined) ?? (() => {
		const duration: unknown = master?.getFirstPropertyValue('duration');
		if (!startTime || !(duration instanceof ICAL.Duration)) {
			return startTime;
		}

		const end = startTime.clone();
		end.addDuration(duration);
		return end;
	})();
	const tzid = start?.getParameter('tzid');
	const timeZone = typeof tzid === 'string' && isKnownTimeZone(tzid) ? tzid : 'UTC';
	const inZone = (time: ICAL.Time | undefined): string => {
		if (!time) {
			return '';
		}

		// A UTC or unknown-zone time is shown in UTC; a floating one as written.
		return wallClock(timeZone === 'UTC' && !time.isDate && time.zone !== ICAL.Timezone.localTimezone ? time.convertToZone(ICAL.Timezone.utcTimezone) : time);
	};

	const attendees = (master?.getAllProperties('attendee') ?? []).map(property => {
		const name = nameOf(property);
		return {
			email: addressOf(property),
			...(name ? {name} : {}),
			...(parameterValues(property, 'role')[0]?.toUpperCase() === 'OPT-PARTICIPANT' ? {optional: true} : {}),
		};
	}).filter(attendee => attendee.email !== '' && attendee.email !== (organizer ? addressOf(organizer) : fallbackOrganizer.email));
	const location = String(master?.getFirstPropertyValue('location') ?? '').trim();
	const description = String(master?.getFirstPropertyValue('description') ?? '').trim();
	const repeat = master ? repeatRuleOf(master)?.spec : undefined;
	return {
		organizer: organizer ? {email: addressOf(organizer), name: nameOf(organizer) ?? ''} : fallbackOrganizer,
		attendees,
		summary: String(master?.getFirstPropertyValue('summary') ?? '').trim() || '(no title)',
		start: inZone(startTime),
		end: inZone(endTime),
		timeZone,
		...(startTime?.isDate ? {allDay: true} : {}),
		...(location ? {location} : {}),
		...(description ? {description} : {}),
		...(repeat ? {repeat} : {}),
		uid: String(master?.getFirstPropertyValue('uid') ?? ''),
	};
}
