/**
 * "Invitations for you" as the agent lists them in its marker (./marker.ts): lib/invitations' own listing of the
 * invitations waiting for the user, from the agent's records. A copy in the calendar is read again first (one
 * calendar-multiget per calendar, RFC 4791 §7.9) and its record brought up to date when its ETag moved: the invitation
 * card in Roundcube answers in the extension directly (and any calendar app may answer too), and the copy's PARTSTAT
 * is the one truth they all write, so an invitation answered elsewhere stops being listed as waiting.
 * Cancelled invitations are left out: the popup shows one once and then marks it shown, which it cannot do in the
 * agent's records; the cancellation itself is news, not work, and the agent applies it as the settings say.
 */
import {invitationRecord} from '../attendee/record.ts';
import type {InvitationRecord} from '../attendee/types.ts';
import type {CaldavClient, CallOptions} from '../caldav/index.ts';
import {invitationListings, type InvitationListing} from '../invitations/views.ts';
import type {AgentInvitationState} from './invitation-deps.ts';
import {markerInvitations} from './marker.ts';

export async function markerInvitationListings(state: Pick<AgentInvitationState, 'load' | 'save'>, caldav: Pick<CaldavClient, 'readEvents'>, me: readonly string[], options: CallOptions & {now?: Date} = {}): Promise<InvitationListing[]> {
	const {copies, received} = await state.load();
	const waiting = (records: typeof copies): InvitationListing[] => invitationListings({copies: records, received, me}).filter(listing => !listing.cancelled).slice(0, markerInvitations);
	const listed = waiting(copies);
	const kept = listed.flatMap(listing => copies[listing.uid] ?? []);
	const byCalendar = new Map<string, InvitationRecord[]>();
	for (const copy of kept) {
		byCalendar.set(copy.calendarUrl, [...byCalendar.get(copy.calendarUrl) ?? [], copy]);
	}

	const changed: InvitationRecord[] = [];
	for (const [calendarUrl, records] of byCalendar) {
		const read = await caldav.readEvents(calendarUrl, records.map(record => record.href), options.signal ? {signal: options.signal} : {});
		for (const record of records) {
			const current = read.find(event => new URL(event.href, calendarUrl).href === new URL(record.href, calendarUrl).href);
			if (current && current.etag !== record.etag) {
				changed.push(invitationRecord({uid: record.uid, href: record.href, etag: current.etag, calendarUrl, ics: current.ics}, me, record, options.now ?? new Date()));
			}
		}
	}

	if (changed.length === 0) {
		return listed;
	}

	await state.save({copies: changed, removedCopies: [], received: []});
	const after = {...copies, ...Object.fromEntries(changed.map(copy => [copy.uid, copy]))};
	return waiting(after);
}
