/**
 * The one protocol map of the extension: every message between its contexts, with its payload and answer.
 * Content script and popup/options ask; the background acts (it alone holds the account).
 * The background refuses messages that do not come from this extension's own contexts (lib/sender-check.ts).
 */
import {defineExtensionMessaging} from '@webext-core/messaging';
import type {InviteSpec, ReplyChange} from './itip/index.ts';
import type {Account, AttendeeStatus, DeliveryState, LoopStatus, MessageOutcome, Settings} from './model.ts';

/** What the invite composer sends: the organizer comes from the account, UID and clock from the background. */
export type InviteDraft = Omit<InviteSpec, 'organizer' | 'uid' | 'now'>;

/** A problem put so that a person can act on it: what happened, and what to do. */
export type UserFacingError = {
	/** Stable, for code: 'not-configured', 'relay-down', 'mailbox-auth', 'caldav-auth', 'caldav-unavailable', 'rejected', 'invalid', 'unknown'. */
	code: string;
	message: string;
	/** What to do about it, e.g. the command that starts the relay. */
	action?: string;
};

/** One step of sending an invitation, as the composer shows it. */
export type SendStep = {
	step: 'calendar' | 'mail';
	state: 'working' | 'done' | 'failed';
	/** E.g. "Saved to Calendar", "Sent to 2 attendees", "sam@example.org refused: mailbox unavailable". */
	detail: string;
};

export type SendInviteResult =
	| {ok: true; uid: string; steps: SendStep[]; accepted: string[]; rejected: Array<{address: string; reason: string}>}
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
};

export type PopupState = {
	/** False until an account, relay token and calendar are set: the popup shows the setup card. */
	configured: boolean;
	events: EventView[];
	/** Replies that were not applied and are not dismissed ("Needs your eye"). */
	review: MessageOutcome[];
	status: LoopStatus;
};

/** What one run of the reply loop did. */
export type TickSummary = {
	ran: boolean;
	messages: number;
	applied: number;
	review: number;
	error?: UserFacingError;
};

export type ConnectionCheck = {ok: true; detail?: string} | {ok: false; error: UserFacingError};

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
	/** Popup: send the REQUEST again to attendees who have not answered (or to everyone when it was never sent). */
	resendInvite(data: {uid: string}): SendInviteResult;
	/** Popup: cancel the whole event (METHOD:CANCEL to everyone, STATUS:CANCELLED on CalDAV). */
	cancelEvent(data: {uid: string}): SendInviteResult;

	/** Options page. */
	getOptions(): OptionsState;
	saveOptions(data: OptionsState): {ok: true};
	/** Options page: check CalDAV, IMAP and SMTP (the latter two through the relay) separately. */
	testConnection(data: OptionsState): ConnectionReport;
	discoverCalendars(data: OptionsState): {ok: true; calendars: CalendarChoice[]} | {ok: false; error: UserFacingError};
};

export const {sendMessage, onMessage} = defineExtensionMessaging<ProtocolMap>();
