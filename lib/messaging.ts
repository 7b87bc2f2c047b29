/**
 * The one protocol map of the extension: every message between its contexts, with its payload and answer.
 * Content script and popup/options ask; the background acts (it alone holds the account).
 * Each message names the contexts that may send it (`allowedSenders`); the background registers its handlers through
 * `onMessageFrom`, which refuses every other sender (lib/sender-check.ts says who is who).
 */
import {defineExtensionMessaging} from '@webext-core/messaging';
import {senderKind, type MessageSender, type OwnExtension, type SenderKind} from './sender-check.ts';
import type {Answer, CounterProposal, EventChanges, InviteSpec, OccurrenceChanges, ReplyChange} from './itip/index.ts';
import type {InvitationInspection} from './attendee/inspect.ts';
import type {AnswerChoice, InvitationMessage} from './attendee/types.ts';
import type {UserFacingError} from './user-errors.ts';
import type {InvitationView} from './invitations/views.ts';
import type {SentRecord} from './scheduling/types.ts';
import type {Account, AttendeeStatus, DeliveryState, LoopStatus, MessageOutcome, OccurrenceAnswer, Settings} from './model.ts';
import type {PlainAnswer} from './plain-answers/types.ts';
import type {WebmailScriptsReport} from './background/webmail-scripts.ts';

/** What the invite composer sends: the organizer comes from the account, UID and clock from the background. */
export type InviteDraft = Omit<InviteSpec, 'organizer' | 'uid' | 'now'>;

export type {UserFacingError} from './user-errors.ts';

/** One step of sending an invitation, as the composer shows it. */
export type SendStep = {
	step: 'calendar' | 'mail';
	state: 'working' | 'done' | 'failed';
	/** E.g. "Saved to Calendar", "Sent to 2 attendees", "sam@example.org refused: mailbox unavailable". */
	detail: string;
};

/** `handedOver`: nothing was sent here; the always-on agent does it (lib/background agent-requests.ts), in these words. */
export type SendInviteResult =
	| {ok: true; uid: string; steps: SendStep[]; accepted: string[]; rejected: Array<{address: string; reason: string}>; handedOver?: string}
	| {ok: false; uid?: string; steps: SendStep[]; error: UserFacingError};

/** An event as the popup lists it. */
export type EventView = {
	uid: string;
	summary: string;
	start: string;
	end: string;
	timeZone: string;
	allDay: boolean;
	attendees: AttendeeStatus[];
	delivery: DeliveryState;
	cancelled: boolean;
	/** A link that opens the webmail, when one is known. */
	webmailUrl?: string;
	/** How it repeats, in words ("every week on Tuesday, 6 times"); absent for a one-off event. */
	repeat?: string;
	/** The next start of a repeating event from now on, ISO; absent when none is left or it does not repeat. */
	nextOccurrence?: string;
	/** Answers given for single occurrences of a repeating event, where they differ from the series'. */
	occurrenceAnswers?: OccurrenceAnswer[];
	/** Attendees' answers by plain mail, not yet recorded or put away ("Sam answered by e-mail: …"). */
	plainAnswers?: PlainAnswer[];
};

/** A reply set aside for review; a COUNTER carries its proposal. */
export type ReviewView = MessageOutcome & {proposal?: CounterProposal};

/** What the edit page needs: the event as sent and as stored now (for the "who will be told what" preview). */
export type EditContext =
	| {ok: true; uid: string; spec: InviteSpec; stored: string; organizer: {email: string; name: string}}
	| {ok: false; error: UserFacingError};

export type PopupState = {
	/** False until an account, relay token and calendar are set: the popup shows the setup card. */
	configured: boolean;
	events: EventView[];
	/** Replies that were not applied and are not dismissed ("Needs your eye"). */
	review: ReviewView[];
	/** "Invitations for you" (lib/invitations): waiting for an answer, listed, or cancelled (shown once). */
	invitations?: InvitationView[];
	/** What calendar-app scheduling sent for changes made in other apps (lib/scheduling), newest first. */
	sentForOtherApps?: SentRecord[];
	status: LoopStatus;
	/** An always-on agent serves this mailbox (issue 17): the popup shows its state; the extension runs no loop. */
	agent?: AgentView;
};

/** The always-on agent as the popup shows it, from its marker on the calendar. */
export type AgentView = {
	host: string;
	/** When it last checked (ISO). */
	checkedAt: string;
	/** IMAP IDLE on INBOX: answers arrive within seconds (`idle`), or it is reconnecting (`down`). */
	watch: 'idle' | 'down';
	/** Why its last check failed. */
	error?: string;
	/** Its last applied answers, newest first: "Alex accepted Project sync". */
	answers: Array<{sentence: string; at: string}>;
};

/** What one run of the reply loop did. */
export type TickSummary = {
	ran: boolean;
	messages: number;
	applied: number;
	review: number;
	error?: UserFacingError;
	/** Set when the run was left to the always-on agent on this machine (its host name). */
	agentHost?: string;
};

export type ConnectionCheck = {ok: true; detail?: string} | {ok: false; error: UserFacingError};

/**
 * The relay the browser starts, as the options page guides its set-up: not allowed yet (the permission button,
 * and the install commands in case), allowed but not installed (the commands), connected, or failed otherwise.
 */
export type NativeRelaySetup =
	| {state: 'not-allowed'}
	| {state: 'not-installed'}
	| {state: 'connected'; version: string; watching: boolean}
	| {state: 'failed'; message: string};

export type ConnectionReport = {caldav: ConnectionCheck; imap: ConnectionCheck; smtp: ConnectionCheck; relay: ConnectionCheck};

export type CalendarChoice = {url: string; name: string; color?: string};

/** The options page edits these; the password travels only between the options page and the background. */
export type OptionsState = {settings: Settings; account: Account | null};

export type ProtocolMap = {
	/** Liveness check: the background answers with its version. */
	ping(): {ok: true; version: string};

	/** Composer (content script): who the organizer is, or that setup is missing. */
	getComposerContext(): {configured: boolean; organizer: {email: string; name: string} | null};
	/** Composer: write the event to CalDAV, then mail the REQUEST to each attendee. Progress arrives as `inviteProgress`. */
	sendInvite(draft: InviteDraft): SendInviteResult;
	/** Background → the composer's tab, as each step happens. */
	inviteProgress(step: SendStep): void;
	/** Composer (content script): open the options page, which a content script cannot do itself (`runtime.openOptionsPage`). */
	openOptions(): void;

	/** Popup: everything it shows. Opening the popup also clears the badge. */
	getPopupState(): PopupState;
	/** Popup: run the reply loop now (one tick at a time; a second call waits for the running one). */
	checkNow(): TickSummary;
	/** Popup: apply a reply that went to review, after the user looked at it. */
	applyAnyway(data: {key: string}): {ok: boolean; reason: string; changes: ReplyChange[]};
	dismissOutcome(data: {key: string}): void;
	/** Popup: record an attendee's plain-mail answer on the CalDAV event as the organizer's entry (no mail is sent). */
	recordPlainAnswer(data: {key: string; partstat: Answer}): {ok: boolean; reason: string; changes: ReplyChange[]};
	dismissPlainAnswer(data: {key: string}): void;
	/** Popup: send the REQUEST again to attendees who have not answered (or to everyone when it was never sent). */
	resendInvite(data: {uid: string}): SendInviteResult;
	/** Popup: cancel the whole event (METHOD:CANCEL to everyone, STATUS:CANCELLED on CalDAV). */
	cancelEvent(data: {uid: string}): SendInviteResult;
	/** Popup: cancel one occurrence (EXDATE on CalDAV, CANCEL with RECURRENCE-ID to its attendees). */
	cancelOccurrence(data: {uid: string; recurrenceId: string}): SendInviteResult;
	/**
	 * Popup, or the invitation card of the user's own event (only for an event Edit can open, `payloadRules`): open the
	 * edit page for an event (an extension page, so no webmail tab is needed).
	 */
	openEditor(data: {uid: string; occurrence?: string}): void;
	/** Popup: accept a COUNTER's proposal (an update to everyone) or decline it (DECLINECOUNTER to the proposer). */
	answerCounter(data: {key: string; answer: 'accept' | 'decline'}): SendInviteResult;

	/**
	 * Invitation card (content script): what lib/itip's `process` makes of a message the user opened, against their
	 * stored copy (or, for a reply, the event they organized); `messageId` finds the reply loop's outcome for a reply.
	 */
	inspectInvitation(data: {message: InvitationMessage; messageId: string | null}): {ok: true; inspection: InvitationInspection} | {ok: false; error: UserFacingError};
	/**
	 * Invitation card (content script) or popup: answer an invitation the user received (lib/attendee): their copy with
	 * the answer to CalDAV first, then the REPLY to the organizer. Progress arrives as `inviteProgress`.
	 */
	answerInvitation(data: {message: InvitationMessage; choice: AnswerChoice} | {uid: string; choice: Pick<AnswerChoice, 'answer'>}): SendInviteResult;
	/** Invitation card: put the invitation (or update) in the user's calendar without answering. */
	addInvitation(data: {message: InvitationMessage}): SendInviteResult;
	/** Invitation card: for a cancellation from the organizer, take the event (or the occurrence) out of the calendar. */
	removeInvitation(data: {message: InvitationMessage}): SendInviteResult;

	/** Edit page: the event as sent and as stored now. */
	getEditContext(data: {uid: string}): EditContext;
	/** Edit page: apply the changes (CalDAV first), then tell who needs to know. Progress arrives as `inviteProgress`. */
	updateEvent(data: {uid: string; changes: EventChanges}): SendInviteResult;
	/** Edit page, for one occurrence: its override on CalDAV first, then a REQUEST for it alone to its attendees. */
	updateOccurrence(data: {uid: string; changes: OccurrenceChanges}): SendInviteResult;

	/** Options page. */
	getOptions(): OptionsState;
	saveOptions(data: OptionsState): {ok: true};
	/** Options page: where the set-up of the relay the browser starts stands (and the INBOX watch started when it can). */
	getRelaySetup(): NativeRelaySetup;
	/** Options page, after a save: the content script registered for the other webmails, or why not. */
	registerWebmails(): WebmailScriptsReport;
	/** Options page: check CalDAV, IMAP and SMTP (the latter two through the relay) separately. */
	testConnection(data: OptionsState): ConnectionReport;
	discoverCalendars(data: OptionsState): {ok: true; calendars: CalendarChoice[]} | {ok: false; error: UserFacingError};
};

export const {sendMessage, onMessage} = defineExtensionMessaging<ProtocolMap>();

/**
 * Who may send each message to the background. Popup actions refuse a content script (a compromised or confused
 * webmail page must not check, apply, dismiss, resend or cancel); the account and the relay set-up answer only the
 * options page; the webmail's content script may only ping, use the composer and the invitation card, and open the options page.
 * A new message must be listed here, or the build fails.
 */
export const allowedSenders: {readonly [Type in keyof ProtocolMap]: readonly SenderKind[]} = {
	ping: ['popup', 'options', 'edit', 'content'],
	getComposerContext: ['content'],
	sendInvite: ['content'],
	// Background → page only: the background takes it from no one.
	inviteProgress: [],
	openOptions: ['content', 'edit'],
	getPopupState: ['popup'],
	checkNow: ['popup'],
	applyAnyway: ['popup'],
	dismissOutcome: ['popup'],
	recordPlainAnswer: ['popup'],
	dismissPlainAnswer: ['popup'],
	resendInvite: ['popup'],
	cancelEvent: ['popup'],
	cancelOccurrence: ['popup'],
	openEditor: ['popup'],
	answerCounter: ['popup'],
	// The invitation card in Roundcube's message view; the popup lists invitations too.
	inspectInvitation: ['content', 'popup'],
	answerInvitation: ['content', 'popup'],
	addInvitation: ['content', 'popup'],
	removeInvitation: ['content', 'popup'],
	getEditContext: ['edit'],
	updateEvent: ['edit'],
	updateOccurrence: ['edit'],
	getOptions: ['options'],
	saveOptions: ['options'],
	getRelaySetup: ['options'],
	registerWebmails: ['options'],
	testConnection: ['options'],
	discoverCalendars: ['options'],
};

/** What the background knows that a payload rule asks (it holds the storage; this module is shared with the pages). */
export type SenderFacts = {
	/** Whether `uid` is an event Edit can open: one the user organizes, stored by the extension, not cancelled. */
	editable(uid: string): Promise<boolean>;
};

type PayloadRule<Type extends keyof ProtocolMap> = (data: Parameters<ProtocolMap[Type]>[0], facts: SenderFacts) => Promise<boolean>;

/**
 * Senders a message is allowed from only for some payloads, besides the senders `allowedSenders` lists (which are
 * allowed always). The invitation card of the user's own event offers Edit (issue 15), so the webmail page may open
 * the editor, but only for an event the user organizes that the extension stores: a page could otherwise make us
 * open an editor for any UID it likes.
 */
export const payloadRules: {readonly [Type in keyof ProtocolMap]?: Partial<Record<SenderKind, PayloadRule<Type>>>} = {
	openEditor: {content: async ({uid}, facts) => facts.editable(uid)},
};

/** The error every refused message gets; its text names the message and who sent it, never any data. */
export class MessageRefused extends Error {
	constructor(readonly type: keyof ProtocolMap, readonly from: SenderKind | 'outside') {
		super(`Message ${type} refused from ${from === 'outside' ? 'outside this extension' : `the ${from === 'content' ? 'webmail page' : `${from} page`}`}`);
		this.name = 'MessageRefused';
	}
}

/** What a background handler receives: the payload, the browser's sender and the kind of context it is. */
export type AllowedMessage<Type extends keyof ProtocolMap> = {data: Parameters<ProtocolMap[Type]>[0]; sender: MessageSender; from: SenderKind};

/**
 * Registers the background's handler for one message; it runs only for the senders `allowedSenders` lists and, for
 * the payloads they pass, those `payloadRules` lists; every other sender gets a MessageRefused error. Returns the
 * function that removes the handler.
 */
export function onMessageFrom<Type extends keyof ProtocolMap>(
	type: Type,
	own: OwnExtension & {facts: SenderFacts},
	handler: (message: AllowedMessage<Type>) => ReturnType<ProtocolMap[Type]> | Promise<ReturnType<ProtocolMap[Type]>>,
): () => void {
	return onMessage(type, async message => {
		const from = senderKind(message.sender, own);
		const data = message.data as Parameters<ProtocolMap[Type]>[0];
		const rule = from === undefined ? undefined : (payloadRules[type] as Partial<Record<SenderKind, PayloadRule<Type>>> | undefined)?.[from];
		if (from === undefined || !(allowedSenders[type].includes(from) || (rule !== undefined && await rule(data, own.facts)))) {
			throw new MessageRefused(type, from ?? 'outside');
		}

		return handler({data, sender: message.sender, from});
	});
}
