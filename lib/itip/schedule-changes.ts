/**
 * changesToMessages: what an RFC 6638 scheduling server would send when a calendar object changes (issue 18).
 * Purelymail's CalDAV server does no scheduling, so a meeting made or answered in Apple Calendar, Thunderbird or
 * DAVx5 would otherwise tell nobody. In the shape of sabre/vobject's Broker::parseEvent: one entry point, one helper
 * per role (scheduleAsOrganizer, scheduleAsAttendee). Pure: iCalendar text in, messages and the copy to write back out.
 */
import type ICAL from 'ical.js';
import {normalizeAddress} from '../address.ts';
import {addressOf} from './attendee-state.ts';
import {addressSet, myAttendee, organizerOf} from './attendee-copy.ts';
import {eventsOf, parseCalendar} from './calendar.ts';
import {scheduleAsAttendee} from './schedule-attendee.ts';
import {scheduleAsOrganizer} from './schedule-organizer.ts';
import {type SchedulingRole, type ScheduledChange} from './schedule-types.ts';

export {schedulesItself, type ScheduledChange, type ScheduleMessage, type ScheduleReason, type SchedulingRole} from './schedule-types.ts';

/** The user's role in a parsed calendar object: ORGANIZER is the user and someone else attends, or the user attends. */
export function roleIn(calendar: ICAL.Component, me: ReadonlySet<string>): SchedulingRole {
	const organizer = organizerOf(calendar);
	const organizerAddress = organizer ? addressOf(organizer) : '';
	if (!organizerAddress) {
		return 'none';
	}

	const events = eventsOf(calendar);
	if (me.has(organizerAddress)) {
		const others = events.some(event => event.getAllProperties('attendee').some(property => {
			const address = addressOf(property);
			return address !== '' && !me.has(address);
		}));
		return others ? 'organizer' : 'none';
	}

	return events.some(event => myAttendee(event, me)) ? 'attendee' : 'none';
}

/** `roleIn` on text; `none` for text that is not iCalendar. */
export function schedulingRole(ics: string, me: readonly string[]): SchedulingRole {
	const parsed = parseCalendar(ics);
	return parsed.ok ? roleIn(parsed.calendar, addressSet(me)) : 'none';
}

function summaryOf(calendar: ICAL.Component | undefined): string {
	const events = calendar ? eventsOf(calendar) : [];
	const master = events.find(event => !event.hasProperty('recurrence-id')) ?? events[0];
	return String(master?.getFirstPropertyValue('summary') ?? '').trim();
}

function uidOf(calendar: ICAL.Component | undefined): string {
	return String(calendar ? eventsOf(calendar)[0]?.getFirstPropertyValue('uid') ?? '' : '');
}

/**
 * The messages a change to one calendar object calls for.
 * @param before The object as last seen (undefined when it is new to us).
 * @param after The object now (undefined when it was deleted).
 * @param me The user's addresses.
 */
export function changesToMessages(before: string | undefined, after: string | undefined, me: readonly string[], options: {now: Date}): ScheduledChange {
	const mine = addressSet(me.map(address => normalizeAddress(address)));
	const parsedBefore = before === undefined ? undefined : parseCalendar(before);
	const parsedAfter = after === undefined ? undefined : parseCalendar(after);
	const old = parsedBefore?.ok ? parsedBefore.calendar : undefined;
	const now = parsedAfter?.ok ? parsedAfter.calendar : undefined;
	const base = {uid: uidOf(now ?? old), summary: summaryOf(now ?? old), messages: []};
	if (parsedAfter && !parsedAfter.ok) {
		return {...base, role: 'none', skipped: `The calendar object could not be read: ${parsedAfter.reason}`};
	}

	const roleNow = now ? roleIn(now, mine) : 'none';
	const roleBefore = old ? roleIn(old, mine) : 'none';
	const role = roleNow === 'none' ? roleBefore : roleNow;
	if (role === 'organizer') {
		return {...base, role, ...scheduleAsOrganizer(roleBefore === 'organizer' ? old : undefined, roleNow === 'organizer' ? now : undefined, mine, options.now)};
	}

	if (role === 'attendee') {
		return {...base, role, ...scheduleAsAttendee(roleBefore === 'attendee' ? old : undefined, roleNow === 'attendee' ? now : undefined, mine, options.now)};
	}

	return {...base, role: 'none'};
}
