/**
 * "Is this organizer one of my contacts?" for the invitation policy (issue 14): the CardDAV address books (an
 * ETag-synced copy in storage) plus every address the user has invited or answered before. The address books are
 * read only when an invitation needs the answer, and at most once a tick, so a tick with no new invitation costs
 * the CardDAV server nothing.
 */
import {normalizeAddress} from '../address.ts';
import type {InvitationRecord} from '../attendee/types.ts';
import type {ContactsPort} from '../invitations/ports.ts';
import type {TrackedEvent} from '../model.ts';
import {contactAddresses, syncAddressBooks} from './address-books.ts';
import type {ContactsCopy} from './types.ts';

/** Everyone the user invited to an event (as organizer), or answered an invitation from. */
export function knownAddresses(events: Record<string, TrackedEvent>, invitations: Record<string, InvitationRecord>): Set<string> {
	const invited = Object.values(events).flatMap(event => event.attendees.map(attendee => attendee.email));
	const answered = Object.values(invitations).filter(invitation => invitation.partstat !== 'NEEDS-ACTION' || invitation.reply?.state === 'sent').map(invitation => invitation.organizer);
	return new Set([...invited, ...answered].map(address => normalizeAddress(address)));
}

export type ContactsSource = {
	/** Reads the address books, bringing `copy` up to date. */
	sync(copy: ContactsCopy, signal?: AbortSignal): Promise<ContactsCopy>;
	load(): Promise<{copy: ContactsCopy; known: Set<string>}>;
	save(copy: ContactsCopy): Promise<void>;
};

/** One per tick: the address books are synced at most once through it. */
export function contactsPort(source: ContactsSource): ContactsPort {
	let synced: Promise<Set<string>> | undefined;
	return {
		async isContact(address, signal) {
			const wanted = normalizeAddress(address);
			const {copy, known} = await source.load();
			if (known.has(wanted) || contactAddresses(copy).has(wanted)) {
				return true;
			}

			// A miss may be a contact added since the last sync: sync (once a tick) and look again.
			synced ??= (async () => {
				const next = await source.sync(copy, signal);
				await source.save(next);
				return contactAddresses(next);
			})();
			synced.catch(() => {
				synced = undefined;
			});
			return (await synced).has(wanted);
		},
	};
}

/** Where a ContactsSource keeps its copy of the address books, and whom the user invited or answered before. */
export type StoredContacts = Pick<ContactsSource, 'load' | 'save'>;

/** The source on the account's DAV server, with the copy kept in `stored` (the extension's storage, the agent's database). */
export function davContactsSource(account: {username: string; password: string; serverUrl: string; fetch?: typeof fetch}, stored: StoredContacts): ContactsSource {
	return {
		async sync(copy, signal) {
			return syncAddressBooks({...account, copy, ...(signal ? {signal} : {})});
		},
		load: async () => stored.load(),
		save: async copy => stored.save(copy),
	};
}
