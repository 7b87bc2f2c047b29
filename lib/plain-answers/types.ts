/** Answers to our invitations that came as plain mail, not iTIP: what is kept and shown. Plain data. */
import type {PartStat} from '../itip/index.ts';

/** The mails we sent for one event that attendees may answer: their Message-IDs and subjects (REQUESTs only). */
export type SentInvitation = {messageIds: string[]; subjects: string[]};

/** "Sam answered by e-mail: Yes, I'll be there", under the event, until the user records it or puts it away. */
export type PlainAnswer = {
	/** `<folder>/<uidValidity>/<uid>`, as for iTIP replies. */
	key: string;
	eventUid: string;
	/** The attendee as the event lists them. */
	attendee: {email: string; name?: string};
	/** The first lines of what they wrote, quoted text removed, cleaned and capped. */
	excerpt: string;
	subject: string;
	/** The mail's Date, ISO, when it had one. */
	date: string | null;
	messageId: string | null;
	/** Set once the user recorded an answer from it on the event (the organizer's entry: no mail is sent). */
	recorded?: {partstat: PartStat; at: string};
	/** Put away without recording. */
	dismissed?: boolean;
};
