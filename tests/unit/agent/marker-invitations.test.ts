/**
 * The invitations the agent lists in its marker (lib/agent marker-invitations.ts): one answered elsewhere (the
 * Roundcube card answers in the extension, which writes the calendar copy) stops being listed once the agent reads
 * the copy's new PARTSTAT. The records and the calendar are in memory; the integration test runs the real agent.
 */
import {describe, expect, test} from 'vitest';
import {markerInvitationListings} from '../../../lib/agent/marker-invitations.ts';
import {invitationRecord} from '../../../lib/attendee/record.ts';
import type {InvitationRecord} from '../../../lib/attendee/types.ts';
import type {CalendarEvent} from '../../../lib/caldav/index.ts';
import type {ReceivedInvitation} from '../../../lib/invitations/types.ts';
import {buildInvite} from '../../../lib/itip/index.ts';

const me = 'kim@example.org';
const calendarUrl = 'https://dav.example.org/kim/cal/';
const built = buildInvite({
	organizer: {email: 'sam@example.org', name: 'Sam'}, attendees: [{email: me, name: 'Kim'}],
	summary: 'Sales pitch', start: '2027-02-01T10:00', end: '2027-02-01T11:00', timeZone: 'Europe/Berlin', now: new Date('2026-11-01T09:00:00Z'),
});
const href = `${calendarUrl}${built.uid}.ics`;
const received: ReceivedInvitation = {
	uid: built.uid, message: {calendar: built.request, from: ['sam@example.org'], authenticationResults: []}, mail: {folder: 'INBOX', uid: 4, messageId: null},
	listed: false, wasInJunk: false, updatedAt: '2026-12-02T09:00:00.000Z',
};

function state(copy: InvitationRecord): {saved: InvitationRecord[][]; load: () => Promise<{copies: Record<string, InvitationRecord>; received: Record<string, ReceivedInvitation>}>; save: (changes: {copies: InvitationRecord[]}) => Promise<void>} {
	const copies: Record<string, InvitationRecord> = {[copy.uid]: copy};
	const saved: InvitationRecord[][] = [];
	return {
		saved,
		async load() {
			return {copies: {...copies}, received: {[received.uid]: received}};
		},
		async save(changes) {
			saved.push(changes.copies);
			for (const changed of changes.copies) {
				copies[changed.uid] = changed;
			}
		},
	};
}

const calendar = (events: CalendarEvent[]): {reads: number; readEvents: () => Promise<CalendarEvent[]>} => {
	const port = {
		reads: 0,
		async readEvents() {
			port.reads++;
			return events;
		},
	};
	return port;
};

describe('the invitations the agent lists', () => {
	const copy = invitationRecord({uid: built.uid, href, etag: '"1"', calendarUrl, ics: built.caldav}, [me], undefined, new Date('2026-12-02T09:00:00Z'));

	test('a copy unchanged in the calendar: listed as waiting, nothing written', async () => {
		const records = state(copy);
		const listed = await markerInvitationListings(records, calendar([{href, etag: '"1"', ics: built.caldav}]), [me]);
		expect(listed.map(listing => [listing.uid, listing.partstat])).toEqual([[built.uid, 'NEEDS-ACTION']]);
		expect(records.saved).toEqual([]);
	});

	test('a copy answered elsewhere (its ETag moved, PARTSTAT=ACCEPTED): its record is brought up to date and it is no longer listed', async () => {
		const records = state(copy);
		const answered = built.caldav.replaceAll(/\r\n[ \t]/g, '').replace(/ATTENDEE;([^\r\n]*?)PARTSTAT=NEEDS-ACTION([^\r\n]*kim@example\.org)/, 'ATTENDEE;$1PARTSTAT=ACCEPTED$2');
		expect(answered).not.toBe(built.caldav);
		const port = calendar([{href, etag: '"2"', ics: answered}]);
		expect(await markerInvitationListings(records, port, [me])).toEqual([]);
		expect(port.reads).toBe(1);
		expect(records.saved).toEqual([[expect.objectContaining({uid: built.uid, etag: '"2"', partstat: 'ACCEPTED'})]]);
	});
});
