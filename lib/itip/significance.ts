/**
 * RFC 5546 §2.1.4: which changes by the organizer are "significant" (SEQUENCE+1, attendees asked again). One rule
 * for the Edit flow (buildUpdate, buildOccurrenceUpdate) and for changes made in other calendar apps
 * (changesToMessages): the time (DTSTART/DTEND/DURATION) or the recurrence (RRULE, RDATE, EXDATE) changed, the
 * place changed (§2.1.4's own example of a change that "will jeopardize the validity of the participation
 * status"), or someone was uninvited (the CANCEL they get MUST carry a higher SEQUENCE).
 */
import type {ChangedField} from './types.ts';

/** The changed fields that are significant on their own. */
export const significantFields: readonly ChangedField[] = ['time', 'repeat', 'location'];

/** The fields whose change makes earlier answers void (RFC 5546 §2.1.4): they are reset to NEEDS-ACTION. */
export const answerResettingFields: readonly ChangedField[] = ['time', 'repeat'];

export function isSignificant(changed: readonly ChangedField[], removedAttendees: number): boolean {
	return removedAttendees > 0 || changed.some(field => significantFields.includes(field));
}

export function resetsAnswers(changed: readonly ChangedField[]): boolean {
	return changed.some(field => answerResettingFields.includes(field));
}
