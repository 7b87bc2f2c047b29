/**
 * What the popup lists: events split into upcoming and past, and each event's answers counted.
 */
import type {PartStat} from '../itip/index.ts';
import type {EventView} from '../messaging.ts';
import type {AttendeeStatus} from '../model.ts';

export type AnswerCounts = {accepted: number; declined: number; tentative: number; delegated: number; waiting: number};

/** How many attendees gave each answer; NEEDS-ACTION counts as waiting. */
export function countAnswers(attendees: readonly AttendeeStatus[]): AnswerCounts {
	const counts: AnswerCounts = {accepted: 0, declined: 0, tentative: 0, delegated: 0, waiting: 0};
	for (const attendee of attendees) {
		switch (attendee.partstat) {
			case 'ACCEPTED': {
				counts.accepted++;
				break;
			}

			case 'DECLINED': {
				counts.declined++;
				break;
			}

			case 'TENTATIVE': {
				counts.tentative++;
				break;
			}

			case 'DELEGATED': {
				counts.delegated++;
				break;
			}

			default: {
				counts.waiting++;
			}
		}
	}

	return counts;
}

/** `3 accepted · 1 declined · 2 waiting`: the non-zero counts in that order; `No attendees` when there are none. */
export function summariseCounts(counts: AnswerCounts): string {
	const parts = [
		counts.accepted > 0 ? `${counts.accepted} accepted` : '',
		counts.tentative > 0 ? `${counts.tentative} maybe` : '',
		counts.declined > 0 ? `${counts.declined} declined` : '',
		counts.delegated > 0 ? `${counts.delegated} delegated` : '',
		counts.waiting > 0 ? `${counts.waiting} waiting` : '',
	].filter(Boolean);
	return parts.length === 0 ? 'No attendees' : parts.join(' · ');
}

/** The answer in one word, as the status chip shows it. */
export function partstatLabel(partstat: PartStat): string {
	switch (partstat) {
		case 'ACCEPTED': {
			return 'Accepted';
		}

		case 'DECLINED': {
			return 'Declined';
		}

		case 'TENTATIVE': {
			return 'Maybe';
		}

		case 'DELEGATED': {
			return 'Delegated';
		}

		default: {
			return 'Waiting';
		}
	}
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The instant an event's start or end stands for. All-day values (`YYYY-MM-DD`) are read as local midnight,
 * since "today's all-day event" is today wherever the viewer is.
 */
export function eventInstant(value: string): number {
	if (dateOnly.test(value)) {
		const [year, month, day] = value.split('-').map(Number) as [number, number, number];
		return new Date(year, month - 1, day).getTime();
	}

	return Date.parse(value);
}

/**
 * Upcoming events (not yet over, the running ones included) soonest first, and past ones most recent first.
 * Events whose dates cannot be read count as upcoming, so that nothing disappears.
 */
export function groupEvents(events: readonly EventView[], now: Date): {upcoming: EventView[]; past: EventView[]} {
	const upcoming: EventView[] = [];
	const past: EventView[] = [];
	for (const event of events) {
		const end = eventInstant(event.end);
		(Number.isFinite(end) && end <= now.getTime() ? past : upcoming).push(event);
	}

	const byStart = (a: EventView, b: EventView): number => (eventInstant(a.start) || 0) - (eventInstant(b.start) || 0);
	upcoming.sort(byStart);
	past.sort((a, b) => byStart(b, a));
	return {upcoming, past};
}

/** The attendees who have not answered: the ones a resend goes to. */
export function waitingAttendees(event: EventView): AttendeeStatus[] {
	return event.attendees.filter(attendee => attendee.partstat === 'NEEDS-ACTION');
}

/** The label of the resend action, or undefined when there is nobody to resend to. */
export function resendLabel(event: EventView): string | undefined {
	if (event.cancelled) {
		return undefined;
	}

	if (event.delivery.state === 'not-sent') {
		return 'Send invitation again';
	}

	const waiting = waitingAttendees(event).length;
	return waiting === 0 ? undefined : `Resend to ${waiting} who ${waiting === 1 ? 'hasn\'t' : 'haven\'t'} answered`;
}
