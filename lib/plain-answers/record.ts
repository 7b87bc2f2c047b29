/**
 * One click on "Accepted / Maybe / Declined" under a plain-mail answer: the answer goes on the CalDAV event as the
 * organizer's entry for that attendee. No mail is sent. It is written through applyReply, as the REPLY the attendee
 * would have sent (RFC 5546 §3.2.3), so the one rule for writing an answer on the stored event applies, with its
 * ordering: a later real REPLY from the attendee still wins, an older one does not undo this.
 */
import {applyReply, buildReply, type Answer, type ApplyReplyResult} from '../itip/index.ts';
import type {CalendarPort} from '../reply-loop/ports.ts';
import type {PlainAnswer} from './types.ts';

/** The words the popup's buttons say, by answer. */
export const answerLabels: Record<Answer, string> = {ACCEPTED: 'Accepted', TENTATIVE: 'Maybe', DECLINED: 'Declined'};

/**
 * The REPLY standing for the attendee's mail, built by lib/itip's buildReply as if the attendee had answered (same
 * UID, SEQUENCE and ORGANIZER, DTSTAMP now, one ATTENDEE with the answer) with a COMMENT saying where it came from.
 * Undefined when the stored event is unreadable or does not list the attendee.
 */
export function replyOnBehalf(stored: string, answer: PlainAnswer, partstat: Answer, now: Date): string | undefined {
	try {
		return buildReply(stored, {me: [answer.attendee.email], answer: partstat, comment: `By e-mail: ${answer.excerpt}`, now}).reply;
	} catch {
		return undefined;
	}
}

export type RecordedAnswer = {result: ApplyReplyResult; etag: string; ics: string};

/**
 * Writes the answer on the event at `href` (read, decide, write with If-Match; again after a 412).
 * @param me the user's own addresses (the event must be organized by one of them)
 * @throws {CalendarPortError} when the calendar server fails
 */
export async function recordPlainAnswer(
	calendar: CalendarPort,
	href: string,
	answer: PlainAnswer,
	partstat: Answer,
	me: readonly string[],
	now: () => Date = () => new Date(),
): Promise<RecordedAnswer> {
	let result: ApplyReplyResult | undefined;
	const written = await calendar.update(href, ics => {
		const reply = replyOnBehalf(ics, answer, partstat, now());
		result = reply === undefined
			? {outcome: 'ignored', reason: 'The stored event could not be read, or does not list this attendee.', changes: [], event: ics}
			: applyReply(ics, reply, {senders: [answer.attendee.email], me, now: now()});
		return result.outcome === 'applied' ? {ics: result.event} : {unchanged: true};
	});
	return {result: result!, etag: written.etag, ics: written.ics};
}
