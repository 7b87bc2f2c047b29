import type {JSX} from 'preact';
import type {AttendeeStatus} from '@/lib/model';
import {partstatLabel} from '@/lib/ui/event-list';
import {formatRelative, type FormatOptions} from '@/lib/ui/format';

type AttendeeStatusRowProps = {
	attendee: AttendeeStatus;
	now: Date;
	format: FormatOptions;
};

/** One attendee of an event: name or address, a status chip, their comment and when they answered. */
export function AttendeeStatusRow({attendee, now, format}: AttendeeStatusRowProps): JSX.Element {
	const status = partstatLabel(attendee.partstat);
	return (
		<li class="pmi-attendee">
			<div class="pmi-attendee-line">
				<span class="pmi-attendee-name" title={attendee.email}>
					{attendee.name ?? attendee.email}
					{attendee.optional ? <span class="pmi-attendee-optional"> (optional)</span> : null}
				</span>
				<span class={`pmi-status pmi-status-${attendee.partstat.toLowerCase()}`} aria-label={`Answer: ${status}`}>{status}</span>
			</div>
			{attendee.name ? <div class="pmi-attendee-email">{attendee.email}</div> : null}
			{attendee.comment ? <blockquote class="pmi-attendee-comment">{attendee.comment}</blockquote> : null}
			{attendee.answeredAt ? <div class="pmi-attendee-when">answered {formatRelative(attendee.answeredAt, now, format)}</div> : null}
		</li>
	);
}
