/**
 * Failures put so that a person can act on them: what went wrong and what to do. Every problem the popup, options
 * page or composer shows has one code of `UserErrorCode` (issue 11, item 7), and each code its sentence and action
 * here; the lower layers keep their own codes (`CaldavErrorCode`, the relay's `RelayClientErrorCode`), each mapped
 * to one of ours by one table.
 */
import {CaldavError, type CaldavErrorCode} from './caldav/index.ts';
import {InvalidSpecError} from './itip/index.ts';
import {RelayClientError, type RelayClientErrorCode} from './relay-client/index.ts';

/** How to start the HTTP relay on the user's machine, shown when it does not answer. */
export const startRelayCommand = 'purelymail-invites-relay serve';

/** What a sentence may name: the specific words of the failure (a server's answer) and the relay's address. */
export type ErrorContext = {detail: string; relayUrl: string};

type Words = {message: (context: ErrorContext) => string; action: (context: ErrorContext) => string};

const checkOptions = 'Check the address and app password in the options page.';

/** Every code, its sentence and its action. */
const words = {
	'not-configured': {message: () => 'Setup is not finished.', action: () => 'Open the Purelymail Invites options page.'},
	'unknown-event': {message: () => 'This event is not one of yours any more.', action: () => 'Close this and open the popup again: the list shows your events as they are now.'},
	nobody: {message: () => 'Everyone has answered already.', action: () => 'Nothing needs sending; an answer that changes will show in the popup.'},
	rejected: {message: ({detail}) => detail || 'The mail server refused every attendee.', action: () => 'Check the attendees\' addresses.'},
	invalid: {message: ({detail}) => detail || 'Something in the invitation cannot be used.', action: () => 'Correct the field named and try again.'},
	'relay-down': {message: ({relayUrl}) => `The companion relay does not answer at ${relayUrl}.`, action: () => `Start it with \`${startRelayCommand}\`, then try again.`},
	'relay-not-set-up': {message: () => 'The browser could not start the relay: it is not installed, or not allowed yet.', action: () => 'Open the options page and follow the steps under Relay.'},
	'relay-not-verified': {message: ({relayUrl}) => `What answers at ${relayUrl} is not your relay: it could not prove it holds the token, so it was sent neither the token nor your password.`, action: () => 'Check the relay address and token in the options page, and what runs at that address.'},
	'relay-insecure': {message: ({detail}) => detail || 'The relay address must start with https://.', action: () => 'Use an https:// address for a relay on another machine.'},
	'relay-token': {message: () => 'The companion relay refused the token.', action: () => 'Copy the token the relay printed at start-up into the options page.'},
	'relay-busy': {message: () => 'The companion relay is busy.', action: () => 'Wait a minute and try again.'},
	'mailbox-auth': {message: ({detail}) => `Purelymail refused the password${detail ? `: ${detail}` : '.'}`, action: () => checkOptions},
	'mail-server-down': {message: ({detail}) => `The mail server could not be reached${detail ? `: ${detail}` : '.'}`, action: () => 'Check the IMAP and SMTP servers under Advanced in the options page, and your connection.'},
	'mail-tls': {message: ({detail}) => `The secure connection to the mail server failed${detail ? `: ${detail}` : '.'}`, action: () => 'Check the port and security settings under Advanced in the options page.'},
	mail: {message: ({detail}) => detail || 'The mail server refused the mail.', action: () => 'Try again; if it keeps failing, the message above is the mail server\'s own answer.'},
	'caldav-auth': {message: () => 'The calendar server refused the password.', action: () => checkOptions},
	'caldav-unavailable': {message: ({detail}) => `The calendar server is not answering${detail ? `: ${detail}` : '.'}`, action: () => 'Try again in a few minutes.'},
	'caldav-conflict': {message: () => 'The event changed on the calendar server at the same moment.', action: () => 'Try again.'},
	'caldav-not-found': {message: () => 'The calendar or event is not on the server any more.', action: () => 'Pick a calendar again in the options page.'},
	caldav: {message: ({detail}) => detail || 'The calendar server refused the change.', action: () => 'Try again; if it keeps failing, open the event in Purelymail\'s calendar.'},
	review: {message: ({detail}) => detail || 'This invitation may not come from its organizer.', action: () => 'Ask the organizer to send it again from their own address, or add the event by hand.'},
	'not-an-invitation': {message: ({detail}) => detail || 'This mail holds no invitation that can be answered.', action: () => 'Open the attached calendar file in your calendar app instead.'},
	'nothing-to-answer': {message: ({detail}) => detail || 'There is nothing here to answer.', action: () => 'Nothing needs doing; a new invitation will show its own buttons.'},
	untested: {message: () => 'Not checked: the relay did not answer.', action: () => 'Get the relay answering first (see above), then test again.'},
	check: {message: ({detail}) => detail || 'Checking for answers failed.', action: () => 'It is tried again at the next check; "Check now" tries at once.'},
	unknown: {message: ({detail}) => detail || 'Something went wrong.', action: () => 'Try again; if it keeps failing, reload the extension from the browser\'s extensions page.'},
} satisfies Record<string, Words>;

export type UserErrorCode = keyof typeof words;

/** Every code, for tests and documentation. */
export const userErrorCodes = Object.keys(words) as UserErrorCode[];

/** A problem put so that a person can act on it: what happened, and what to do. */
export type UserFacingError = {
	code: UserErrorCode;
	message: string;
	/** What to do about it, e.g. the command that starts the relay. */
	action?: string | undefined;
};

/**
 * The error a person sees for `code`: the code's sentence, or `message` when the caller knows more precisely what
 * happened (the calendar was never chosen, the server's own words), and the code's action.
 */
export function userError(code: UserErrorCode, message?: string, context: Partial<ErrorContext> = {}): UserFacingError {
	const full = {detail: message ?? '', relayUrl: context.relayUrl ?? '', ...context};
	const sentence = words[code] as Words;
	return {code, message: message ?? sentence.message(full), action: sentence.action(full)};
}

/** The code a relay failure is shown with. */
const relayCodes: Record<RelayClientErrorCode, UserErrorCode> = {
	RELAY_UNREACHABLE: 'relay-down',
	RELAY_NOT_STARTED: 'relay-not-set-up',
	RELAY_NOT_VERIFIED: 'relay-not-verified',
	INSECURE_RELAY_URL: 'relay-insecure',
	// The relay's own words (a size limit, a refusal by the mail server, an answer it could not read).
	BAD_RESPONSE: 'mail',
	AUTH_REQUIRED: 'relay-token',
	BAD_REQUEST: 'mail',
	MAILBOX_AUTH_FAILED: 'mailbox-auth',
	UNREACHABLE: 'mail-server-down',
	TLS_FAILED: 'mail-tls',
	TOO_LARGE: 'mail',
	RATE_LIMITED: 'relay-busy',
	UPSTREAM: 'mail',
};

/** The code a CalDAV failure is shown with. */
const caldavCodes: Record<CaldavErrorCode, UserErrorCode> = {
	ERR_CALDAV_AUTH_FAILED: 'caldav-auth',
	ERR_CALDAV_UNAVAILABLE: 'caldav-unavailable',
	ERR_CALDAV_CONFLICT: 'caldav-conflict',
	ERR_CALDAV_UID_CONFLICT: 'caldav-conflict',
	ERR_CALDAV_NOT_FOUND: 'caldav-not-found',
	ERR_CALDAV_REJECTED: 'caldav',
	ERR_CALDAV_BAD_RESPONSE: 'caldav',
};

/** A relay failure by its code (also the per-server results of `verify`, which are not thrown). */
export function relayUserError(code: RelayClientErrorCode, detail: string, context: {relayUrl: string}): UserFacingError {
	return userError(relayCodes[code], undefined, {...context, detail});
}

export function toUserFacingError(error: unknown, context: {relayUrl: string}): UserFacingError {
	if (error instanceof RelayClientError) {
		return relayUserError(error.code, error.message, context);
	}

	if (error instanceof CaldavError) {
		return userError(caldavCodes[error.code], undefined, {...context, detail: error.message});
	}

	if (error instanceof InvalidSpecError) {
		return userError('invalid', error.message, context);
	}

	return userError('unknown', error instanceof Error ? error.message : String(error), context);
}
