/** The first start and end of a stored event as ISO text (UTC instants, or dates for all-day events), for sorting and display. */
import {masterOf, parseCalendar} from '../itip/calendar.ts';
import {isoOfKey, keyOfProperty} from '../itip/instants.ts';

export function eventTimes(ics: string): {start: string; end: string} {
	const parsed = parseCalendar(ics);
	const master = parsed.ok ? masterOf(parsed.calendar) : undefined;
	const start = master?.getFirstProperty('dtstart');
	const end = master?.getFirstProperty('dtend') ?? start;
	const calendars = parsed.ok ? [parsed.calendar] : [];
	const startKey = start ? keyOfProperty(start, calendars) : undefined;
	const endKey = end ? keyOfProperty(end, calendars) : undefined;
	return {start: startKey ? isoOfKey(startKey) : '', end: endKey ? isoOfKey(endKey) : ''};
}
