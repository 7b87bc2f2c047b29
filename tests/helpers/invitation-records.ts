/** Records of received invitations for unit tests (lib/invitations): Google's REQUEST from the shared fixtures, and a calendar copy. */
import {readFile} from 'node:fs/promises';
import {createStorageInvitations} from '../../lib/attendee/index.ts';
import type {AttendeeDeps, InvitationRecord} from '../../lib/attendee/types.ts';
import type {ReceivedInvitation} from '../../lib/invitations/types.ts';
import {defaultSettings} from '../../lib/storage.ts';

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

/**
 * Bob's answer flow (lib/attendee) on the extension's real storage, with a calendar server that creates the copy and a
 * relay that does what `send` says: a unit test fakes only the servers it does not test.
 */
export function attendeeDeps(send: AttendeeDeps['relay']['send']): AttendeeDeps {
	return {
		caldav: {
			findEventByUid: async () => undefined,
			createEvent: async (url, uid) => ({href: `${url}${uid}.ics`, etag: '"1"'}),
			readEvent: async () => {
				throw new Error('not read in this test');
			},
			updateWithRetry: async () => {
				throw new Error('not updated in this test');
			},
			deleteEvent: async () => undefined,
		},
		relay: {send},
		account: {email: 'bob@example.org', name: 'Bob', password: 'pw', aliases: []},
		settings: {...defaultSettings, calendarUrl: 'https://dav.example/cal/'},
		invitations: createStorageInvitations(),
		now: () => new Date('2025-02-07T09:00:00Z'),
	};
}
