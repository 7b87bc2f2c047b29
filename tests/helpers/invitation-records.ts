/** Records of received invitations for unit tests (lib/invitations): Google's REQUEST from the shared fixtures, and a calendar copy. */
import {readFile} from 'node:fs/promises';
import type {InvitationRecord} from '../../lib/attendee/types.ts';
import type {ReceivedInvitation} from '../../lib/invitations/types.ts';

/** The calendar of google-REQUEST-nextcloudmail-fixture.eml (alice@example.org invites bob@example.org). */
export async function googleRequest(): Promise<string> {
	const raw = await readFile('/work/shared/fixtures/itip/samples/google-REQUEST-nextcloudmail-fixture.eml', 'utf8');
	return raw.slice(raw.indexOf('BEGIN:VCALENDAR'), raw.indexOf('END:VCALENDAR') + 'END:VCALENDAR'.length);
}

export async function receivedInvitation(uid: string, extra: Partial<ReceivedInvitation> = {}): Promise<ReceivedInvitation> {
	return {
		uid, message: {calendar: await googleRequest(), from: ['alice@example.org'], authenticationResults: []},
		mail: {folder: 'INBOX', uid: 42, messageId: null}, listed: false, wasInJunk: false, updatedAt: '2025-02-06T16:30:00Z', ...extra,
	};
}

export function invitationCopy(uid: string, extra: Partial<InvitationRecord> = {}): InvitationRecord {
	return {
		uid, href: `https://dav.example/cal/${uid}.ics`, etag: '"1"', calendarUrl: 'https://dav.example/cal/', summary: 'Imip Testing', organizer: 'alice@example.org',
		start: '2025-02-20T18:00:00Z', end: '2025-02-20T19:00:00Z', sequence: 0, partstat: 'NEEDS-ACTION', cancelled: false, updatedAt: '2025-02-06T16:30:00Z', ...extra,
	};
}
