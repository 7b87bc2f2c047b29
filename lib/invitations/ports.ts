/** What the invitation part of the reply loop needs from the outside world, as narrow interfaces (see lib/reply-loop/ports.ts). */
import type {InvitationRecord} from '../attendee/types.ts';
import type {FiledMail} from '../reply-loop/file-messages.ts';
import type {InvitationCalendarPort} from './calendar-port.ts';
import type {InvitationSettings, ReceivedInvitation} from './types.ts';

export type ContactsPort = {
	/**
	 * True when `address` is one of the user's contacts: in a CardDAV address book, or someone the user invited or
	 * answered before. Throws when the address books cannot be read (the invitation then waits for the next tick).
	 */
	isContact(address: string, signal?: AbortSignal): Promise<boolean>;
};

export type InvitationStore = {
	load(): Promise<{copies: Record<string, InvitationRecord>; received: Record<string, ReceivedInvitation>}>;
	/** Stores these records (replacing any with the same UID), before the tick stores its outcomes. */
	save(changes: {copies: InvitationRecord[]; removedCopies: string[]; received: ReceivedInvitation[]}): Promise<void>;
	/** After filing: the mails now in another folder, so that "Open the mail" finds them there. */
	relocate(moved: readonly FiledMail[]): Promise<void>;
};

export type InvitationDeps = {
	calendar: InvitationCalendarPort;
	store: InvitationStore;
	contacts: ContactsPort;
	settings: InvitationSettings;
};
