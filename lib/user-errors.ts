/**
 * Failures put so that a person can act on them: what went wrong and what to do. The background turns every
 * error it passes to the popup, options page or composer into one of these.
 */
import {CaldavAuthFailed, CaldavConflict, CaldavError, CaldavNotFound, CaldavUnavailable} from './caldav/index.ts';
import {InvalidSpecError} from './itip/index.ts';
import type {UserFacingError} from './messaging.ts';
import {RelayClientError} from './relay-client/index.ts';

/** How to start the HTTP relay on the user's machine, shown when it does not answer. */
export const startRelayCommand = 'purelymail-invites-relay serve';

function relayError(error: RelayClientError, relayUrl: string): UserFacingError {
	switch (error.code) {
		case 'RELAY_UNREACHABLE': {
			return {code: 'relay-down', message: `The companion relay does not answer at ${relayUrl}.`, action: `Start it with \`${startRelayCommand}\`, then try again.`};
		}

		case 'RELAY_NOT_STARTED': {
			return {code: 'relay-not-set-up', message: 'The browser could not start the relay: it is not installed, or not allowed yet.', action: 'Open the options page and follow the steps under Relay.'};
		}

		case 'AUTH_REQUIRED': {
			return {code: 'relay-token', message: 'The companion relay refused the token.', action: 'Copy the token the relay printed at start-up into the options page.'};
		}

		case 'MAILBOX_AUTH_FAILED': {
			return {code: 'mailbox-auth', message: `Purelymail refused the password: ${error.message}`, action: 'Check the address and app password in the options page.'};
		}

		case 'UNREACHABLE': {
			return {code: 'mail-server-down', message: `The mail server could not be reached: ${error.message}`, action: 'Check the IMAP and SMTP servers under Advanced in the options page, and your connection.'};
		}

		case 'TLS_FAILED': {
			return {code: 'mail-tls', message: `The secure connection to the mail server failed: ${error.message}`, action: 'Check the port and security settings under Advanced in the options page.'};
		}

		case 'RATE_LIMITED': {
			return {code: 'relay-busy', message: 'The companion relay is busy.', action: 'Wait a minute and try again.'};
		}

		default: {
			return {code: 'mail', message: error.message};
		}
	}
}

function caldavError(error: CaldavError): UserFacingError {
	if (error instanceof CaldavAuthFailed) {
		return {code: 'caldav-auth', message: 'The calendar server refused the password.', action: 'Check the address and app password in the options page.'};
	}

	if (error instanceof CaldavUnavailable) {
		return {code: 'caldav-unavailable', message: `The calendar server is not answering: ${error.message}`, action: 'Try again in a few minutes.'};
	}

	if (error instanceof CaldavConflict) {
		return {code: 'caldav-conflict', message: 'The event changed on the calendar server at the same moment.', action: 'Try again.'};
	}

	if (error instanceof CaldavNotFound) {
		return {code: 'caldav-not-found', message: 'The calendar or event is not on the server any more.', action: 'Pick a calendar again in the options page.'};
	}

	return {code: 'caldav', message: error.message};
}

export function toUserFacingError(error: unknown, context: {relayUrl: string}): UserFacingError {
	if (error instanceof RelayClientError) {
		return relayError(error, context.relayUrl);
	}

	if (error instanceof CaldavError) {
		return caldavError(error);
	}

	if (error instanceof InvalidSpecError) {
		return {code: 'invalid', message: error.message};
	}

	return {code: 'unknown', message: error instanceof Error ? error.message : String(error)};
}
