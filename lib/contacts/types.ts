/** The ETag-synced copy of the user's CardDAV address books: only what the invitation policy reads, the addresses. */
export type ContactCard = {etag: string; emails: string[]};

export type ContactsCopy = {
	/** By address book URL, then by vCard href. */
	books: Record<string, {cards: Record<string, ContactCard>}>;
	/** ISO time of the last sync, null before the first. */
	syncedAt: string | null;
};

/** The copy before the first sync. */
export const noContacts: ContactsCopy = {books: {}, syncedAt: null};
