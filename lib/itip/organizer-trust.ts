/**
 * Who may change an attendee's copy of an event: only its ORGANIZER (RFC 5546 §3.2.2, §3.2.5; RFC 6047 §3:
 * "the receiving CUA ... MUST check that the originator of the iMIP message is the Organizer"). The mail's From
 * must be the ORGANIZER or the ORGANIZER's SENT-BY; the Sender header is never enough (anyone can set it), and a
 * message the receiving server marked as failing DMARC or DKIM goes to review whatever its From says.
 *
 * Kept in this one small module so the envelope rule can be swapped for the shared one (issue 12) in one place.
 */
import type ICAL from 'ical.js';
import {normalizeAddress} from '../address.ts';
import {addressOf, parameterValues} from './attendee-state.ts';

/** What the mail around an iTIP message says about who sent it. */
export type Envelope = {
	/** The From addresses of the mail; empty (or absent) for a bare .ics. */
	from?: readonly string[];
	/** The mail's Authentication-Results header values (RFC 8601), as received. */
	authenticationResults?: readonly string[];
	/** The caller vouches for the sender (`--trust-sender`, or a user who confirmed it): skip these checks. */
	trustSender?: boolean;
};

/** Why a message failed the organizer check, for the card and the CLI. */
export type TrustProblem = {code: 'no-mail' | 'not-organizer' | 'authentication'; reason: string};

/** RFC 8601 method results that say the From domain was forged. */
const failedAuthentication = /\b(dmarc|dkim)\s*=\s*fail\b/i;

/**
 * Checks that the mail was sent by `organizer` (an ORGANIZER property). Returns the problem, or undefined when the
 * sender may act for the organizer.
 */
export function organizerTrustProblem(organizer: ICAL.Property, envelope: Envelope): TrustProblem | undefined {
	if (envelope.trustSender) {
		return undefined;
	}

	const address = addressOf(organizer);
	const from = (envelope.from ?? []).map(value => normalizeAddress(value)).filter(Boolean);
	if (from.length === 0) {
		return {code: 'no-mail', reason: `The message came without a mail around it, so nothing shows it was sent by the organizer ${address}; confirm it before using it.`};
	}

	const failed = (envelope.authenticationResults ?? []).map(header => failedAuthentication.exec(header)?.[1]).find(Boolean);
	if (failed) {
		return {code: 'authentication', reason: `Your mail server says this mail failed its ${failed.toUpperCase()} check, so its From (${from.join(', ')}) may be forged.`};
	}

	// RFC 5545 §3.2.18: SENT-BY names who acts on behalf of the ORGANIZER.
	const allowed = new Set([address, ...parameterValues(organizer, 'sent-by').map(value => normalizeAddress(value))]);
	if (from.some(value => allowed.has(value))) {
		return undefined;
	}

	return {code: 'not-organizer', reason: `Sent by ${from.join(', ')}, not by the organizer ${address}; only the organizer may change this event (RFC 6047 §3).`};
}
