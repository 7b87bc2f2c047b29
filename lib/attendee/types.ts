/**
 * The attendee's side in the extension: invitations the user received, their calendar copy and the answer they sent.
 * Plain data, stored in storage.local (lib/storage.ts `invitationsItem`).
 */
import type {CaldavClient} from '../caldav/index.ts';
import type {Answer, PartStat} from '../itip/index.ts';
import type {SendStep} from '../messaging.ts';
import type {Account, Settings} from '../model.ts';
import type {RelayClient} from '../relay-client/index.ts';

/**
 * An iTIP message as it reached the user: its calendar and what the mail around it says about the sender. The
 * content script reads it from Roundcube (lib/imip `readCalendarMail`); the reply loop from the relay.
 */
export type InvitationMessage = {
	/** The iTIP iCalendar text, with METHOD. */
	calendar: string;
	/** The mail's From addresses (never its Sender). */
	from: readonly string[];
	/** The mail's Authentication-Results header values, as received. */
	authenticationResults: readonly string[];
};

/** What the user answers: one of the three, a note, and for a repeating event one occurrence (its RECURRENCE-ID, ISO). */
export type AnswerChoice = {
	answer: Answer;
	comment?: string;
	occurrence?: string;
};

/** The last answer the user gave from the extension, and whether its REPLY went out. */
export type SentReply = AnswerChoice & {
	/** The SEQUENCE answered: a new version of the event may be answered again. */
	sequence: number;
	/** Who it went (or goes) to: the ORGANIZER. */
	to: string;
	state: 'sent' | 'not-sent';
	/** Why it was not sent, for the card. */
	error?: string;
	at: string;
};

/** An event the user was invited to and keeps in their calendar, with where it lives (never found again by searching). */
export type InvitationRecord = {
	uid: string;
	href: string;
	etag: string;
	calendarUrl: string;
	summary: string;
	organizer: string;
	/** ISO instant (or date) of the first start, for sorting. */
	start: string;
	end: string;
	sequence: number;
	/** The user's answer on the series as stored; NEEDS-ACTION after "Add to calendar". */
	partstat: PartStat;
	cancelled: boolean;
	reply?: SentReply;
	updatedAt: string;
};

/** Makes the next record from the stored one (`undefined`: none yet); returning `undefined` leaves it as it is. */
export type InvitationChange = (current: InvitationRecord | undefined) => InvitationRecord | undefined;

export type InvitationsStore = {
	get(uid: string): Promise<InvitationRecord | undefined>;
	/** Changes one record under the storage lock and returns it as stored afterwards. */
	update(uid: string, change: InvitationChange): Promise<InvitationRecord | undefined>;
	remove(uid: string): Promise<void>;
};

/** What the answer flow needs: the user's calendar, mail through the relay, and where we keep invitations. */
export type AttendeeDeps = {
	caldav: Pick<CaldavClient, 'createEvent' | 'readEvent' | 'updateWithRetry' | 'findEventByUid' | 'deleteEvent'>;
	relay: Pick<RelayClient, 'send'>;
	account: Account;
	settings: Settings;
	invitations: InvitationsStore;
	/** Told as each step starts, succeeds or fails (the card shows them as the composer does). */
	onProgress?: (step: SendStep) => void;
	now?: () => Date;
};
