/**
 * The attendee's side of calendar-app scheduling (RFC 6638 §3.2.2 done by us): the user answered an invitation in
 * another app (their PARTSTAT changed) → a REPLY to the organizer, for the whole event or for the one occurrence
 * answered. The REPLY itself is buildReply's, as when the user answers from the webmail.
 */
import type ICAL from 'ical.js';
import {readState} from './attendee-state.ts';
import {componentKey, myAttendee} from './attendee-copy.ts';
import {buildReply} from './build-reply.ts';
import {eventsOf, withMethod} from './calendar.ts';
import {isoOfKey, keyOfProperty} from './instants.ts';
import {schedulesItself, type ScheduledChange, type ScheduleMessage} from './schedule-types.ts';
import {serialize} from './serialize.ts';
import type {Answer} from './types.ts';

type Result = Pick<ScheduledChange, 'messages' | 'skipped'>;

const answers: ReadonlySet<string> = new Set<Answer>(['ACCEPTED', 'TENTATIVE', 'DECLINED']);

/** The user's PARTSTAT per component key (`master` or the occurrence's instant). */
function answersOf(calendar: ICAL.Component | undefined, me: ReadonlySet<string>, calendars: readonly ICAL.Component[]): Map<string, {partstat: string; property: ICAL.Property; component: ICAL.Component}> {
	const found = new Map<string, {partstat: string; property: ICAL.Property; component: ICAL.Component}>();
	for (const component of calendar ? eventsOf(calendar) : []) {
		const property = myAttendee(component, me);
		if (property) {
			found.set(componentKey(component, calendars), {partstat: readState(property).partstat, property, component});
		}
	}

	return found;
}

/**
 * @param old The event as last seen, when the user was invited to it then (undefined: new to us; a new invitation
 * is answered when its PARTSTAT changes, not when it appears).
 * @param now The event now (undefined: deleted; nothing is sent, see the README).
 */
export function scheduleAsAttendee(old: ICAL.Component | undefined, now: ICAL.Component | undefined, me: ReadonlySet<string>, at: Date): Result {
	if (!old || !now) {
		return {messages: []};
	}

	const calendars = [old, now];
	const before = answersOf(old, me, calendars);
	const after = answersOf(now, me, calendars);
	const masterBefore = before.get('master')?.partstat;
	const masterAfter = after.get('master');
	const messages: ScheduleMessage[] = [];
	const text = serialize(withMethod(now, undefined));
	const reply = (answer: Answer, occurrence: string | undefined): void => {
		const built = buildReply(text, {me: [...me], answer, now: at, ...(occurrence === undefined ? {} : {occurrence})});
		messages.push({
			method: 'REPLY', reason: 'answer', calendar: built.reply, recipients: [built.organizer.email], answer,
			...(built.recurrenceId === undefined ? {} : {recurrenceId: built.recurrenceId}),
		});
	};

	try {
		const masterChanged = masterAfter !== undefined && masterAfter.partstat !== masterBefore && answers.has(masterAfter.partstat);
		if (masterChanged && !schedulesItself(masterAfter.property)) {
			reply(masterAfter.partstat as Answer, undefined);
		}

		for (const [key, entry] of after) {
			if (key === 'master' || !answers.has(entry.partstat) || schedulesItself(entry.property)) {
				continue;
			}

			// An occurrence answered on its own: its PARTSTAT differs from what it was (or, for a new override, from the
			// series'), and is not simply the series' new answer.
			const was = before.get(key)?.partstat ?? masterBefore;
			if (entry.partstat === was || (masterChanged && entry.partstat === masterAfter.partstat)) {
				continue;
			}

			const recurrence = entry.component.getFirstProperty('recurrence-id');
			const instant = recurrence ? keyOfProperty(recurrence, [now]) : undefined;
			if (instant) {
				reply(entry.partstat as Answer, isoOfKey(instant));
			}
		}
	} catch (error) {
		return {messages, skipped: `No answer was sent: ${error instanceof Error ? error.message : String(error)}`};
	}

	return {messages};
}
