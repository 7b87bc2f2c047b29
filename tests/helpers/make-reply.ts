/**
 * A minimal METHOD:REPLY as an attendee's client sends it (RFC 5546 §3.2.3): one VEVENT, one ATTENDEE.
 * For tests that need many replies; the real-client shapes come from ../shared/fixtures/itip/samples.
 */
export type ReplySpec = {
	uid: string;
	organizer: string;
	attendee: string;
	partstat: 'ACCEPTED' | 'DECLINED' | 'TENTATIVE' | 'NEEDS-ACTION';
	sequence?: number;
	/** UTC, `YYYYMMDDTHHMMSSZ`. */
	dtstamp?: string;
	comment?: string;
	recurrenceId?: string;
};

export function makeReply(spec: ReplySpec): string {
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Test attendee client//EN',
		'METHOD:REPLY',
		'BEGIN:VEVENT',
		`UID:${spec.uid}`,
		`DTSTAMP:${spec.dtstamp ?? '20261120T100000Z'}`,
		`SEQUENCE:${spec.sequence ?? 0}`,
		...(spec.recurrenceId ? [`RECURRENCE-ID:${spec.recurrenceId}`] : []),
		`ORGANIZER:mailto:${spec.organizer}`,
		`ATTENDEE;PARTSTAT=${spec.partstat}:mailto:${spec.attendee}`,
		...(spec.comment ? [`COMMENT:${spec.comment}`] : []),
		'END:VEVENT',
		'END:VCALENDAR',
		'',
	];
	return lines.join('\r\n');
}
