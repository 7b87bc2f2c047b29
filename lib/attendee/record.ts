/** The extension's record of an invitation the user keeps, read from the copy just written (no second source of truth). */
import {invitationFacts} from '../itip/index.ts';
import type {InvitationRecord} from './types.ts';

export function invitationRecord(fields: {uid: string; href: string; etag: string; calendarUrl: string; ics: string}, me: readonly string[], previous: InvitationRecord | undefined, now: Date): InvitationRecord {
	const facts = invitationFacts(fields.ics, me);
	return {
		...previous,
		uid: fields.uid,
		href: fields.href,
		etag: fields.etag,
		calendarUrl: fields.calendarUrl,
		summary: facts?.summary ?? '',
		organizer: facts?.organizer.email ?? '',
		start: facts?.start ?? '',
		end: facts?.end ?? '',
		sequence: facts?.sequence ?? 0,
		partstat: facts?.partstat ?? 'NEEDS-ACTION',
		cancelled: facts?.cancelled ?? false,
		updatedAt: now.toISOString(),
	};
}
