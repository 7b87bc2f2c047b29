/**
 * The values of calendar-app scheduling (changesToMessages), and RFC 6638 §7.1's SCHEDULE-AGENT rule, shared by the
 * organizer's and the attendee's helpers.
 */
import type ICAL from 'ical.js';
import {parameterValues} from './attendee-state.ts';
import type {ChangedField} from './types.ts';

/** Whose side of the meeting the user is on in a calendar object; `none` for everything scheduling ignores. */
export type SchedulingRole = 'organizer' | 'attendee' | 'none';

/** Why a message goes out, for the popup's sentence. */
export type ScheduleReason = 'new' | 'changed' | 'details' | 'added' | 'removed' | 'deleted' | 'occurrence-deleted' | 'answer';

/** One iTIP message to send. */
export type ScheduleMessage = {
	method: 'REQUEST' | 'CANCEL' | 'REPLY';
	reason: ScheduleReason;
	/** The iTIP iCalendar text, with METHOD, DTSTAMP of this change. */
	calendar: string;
	/** Lower-case addresses. */
	recipients: string[];
	/** For REQUEST after a change: what changed. */
	changed?: ChangedField[];
	/** For REPLY: the answer and, when only one occurrence was answered, which (ISO). */
	answer?: 'ACCEPTED' | 'TENTATIVE' | 'DECLINED';
	recurrenceId?: string;
};

export type ScheduledChange = {
	role: SchedulingRole;
	uid: string;
	summary: string;
	messages: ScheduleMessage[];
	/**
	 * The calendar object to write back before sending (If-Match on the app's ETag): SEQUENCE+1 when the app did not
	 * bump it for a significant change, and answers reset after a new time (RFC 5546 §2.1.4).
	 */
	writeBack?: string;
	/** Why nothing is sent although the event is a meeting (SCHEDULE-AGENT, not readable…). */
	skipped?: string;
};

/**
 * RFC 6638 §7.1: SCHEDULE-AGENT=CLIENT says the calendar app sends the messages itself, NONE that nobody does;
 * only SERVER (the default) asks us to.
 */
export function schedulesItself(property: ICAL.Property | undefined): boolean {
	const agent = property ? parameterValues(property, 'schedule-agent')[0]?.toUpperCase() : undefined;
	return agent === 'CLIENT' || agent === 'NONE';
}
