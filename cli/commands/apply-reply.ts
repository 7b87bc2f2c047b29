/**
 * `pmi apply-reply`: why did an RSVP (not) stick? Reads the mail into the `ReplyMessage` the relay would return for it
 * (one calendar-part rule, lib/imip/calendar-part-rule.ts; Outlook TNEF read by the relay's own reader, relay/tnef.ts)
 * and runs the reply loop's own classify → decide steps (`decideMessage`) on it and the stored event; prints the result
 * as one JSON object `{outcome, reason, changes, event}`.
 *
 * Exit status: 0 whatever the outcome, 2 when a file cannot be read or the arguments are wrong.
 */
import {defaultAuthservId} from '../../lib/imip/authentication-results.ts';
import {replyMessageOf} from '../../lib/imip/index.ts';
import {invitationFacts} from '../../lib/itip/index.ts';
import type {ReplyMessage} from '../../lib/relay-client/types.ts';
import {decideMessage} from '../../lib/reply-loop/decide-message.ts';
import {isBareCalendar, readFileOrReport, readTnefAsRelay} from '../message-file.ts';
import {parseCommandLine} from '../options.ts';

const usage = `usage: pmi apply-reply --event STORED.ics --message REPLY.eml [--me ADDRESS]... [--trust-sender] [--authserv-id ID] [--now ISO]

  --event FILE      the organizer's stored event (iCalendar, as saved in the calendar)
  --message FILE    the reply: a whole e-mail (.eml) or a bare iCalendar file (.ics)
  --me ADDRESS      one of your own addresses (repeatable); default: the stored event's ORGANIZER
  --trust-sender    skip the check that the mail came from the attendee (needed for a bare .ics to be applied)
  --authserv-id ID  whose Authentication-Results count (the first header only); default ${defaultAuthservId}
  --now ISO         the clock, for replies stamped in the future; default now

Prints {outcome, reason, changes, event} as JSON; outcome is applied, unchanged, ignored or review.`;

type Options = {event: string; message: string; me: string[]; trustSender: boolean; authservId: string; now: Date};

/** The command's options, or the exit status once the usage or the error is printed. */
function parseOptions(argv: string[]): Options | number {
	return parseCommandLine(argv, {
		name: 'apply-reply',
		usage,
		allowPositionals: false,
		options: {
			event: {type: 'string'},
			message: {type: 'string'},
			me: {type: 'string', multiple: true},
			'trust-sender': {type: 'boolean'},
			'authserv-id': {type: 'string'},
			now: {type: 'string'},
		},
		required: ['event', 'message'],
		read({values}): Options | string {
			const now = values.now === undefined ? new Date() : new Date(values.now);
			if (Number.isNaN(now.getTime())) {
				return `--now is not a date: ${values.now}`;
			}

			return {event: values.event!, message: values.message!, me: values.me ?? [], trustSender: values['trust-sender'] ?? false, authservId: values['authserv-id'] ?? defaultAuthservId, now};
		},
	});
}

/** The stored event's ORGANIZER, the user's address when no --me is given. */
function organizerOf(stored: string): string[] {
	const organizer = invitationFacts(stored, [])?.organizer.email;
	return organizer ? [organizer] : [];
}

export async function run(argv: string[]): Promise<number> {
	const options = parseOptions(argv);
	if (typeof options === 'number') {
		return options;
	}

	const eventBytes = await readFileOrReport(options.event, 'the stored event', 'apply-reply');
	const messageBytes = await readFileOrReport(options.message, 'the message', 'apply-reply');
	if (!eventBytes || !messageBytes) {
		return 2;
	}

	const stored = new TextDecoder().decode(eventBytes);
	const me = options.me.length > 0 ? options.me : organizerOf(stored);
	let message: ReplyMessage;
	if (isBareCalendar(messageBytes)) {
		// A bare .ics has no mail around it, so no sender: the decision asks for review unless --trust-sender.
		const text = new TextDecoder().decode(messageBytes);
		message = {folder: 'file', uid: 0, seen: true, headers: {from: null, sender: null, to: [], subject: '', messageId: null, date: null, authenticationResults: []}, calendarParts: [{part: '#1', contentType: 'text/calendar', filename: null, encoding: 'utf-8', text}]};
	} else {
		try {
			message = await replyMessageOf(messageBytes, {readTnef: readTnefAsRelay});
		} catch (error) {
			console.error(`pmi apply-reply: cannot read the message ${options.message}: ${error instanceof Error ? error.message : String(error)}`);
			return 2;
		}
	}

	const result = decideMessage(stored, message, {me, authservId: options.authservId, now: options.now, trustSender: options.trustSender});
	console.log(JSON.stringify(result, undefined, 2));
	return 0;
}
