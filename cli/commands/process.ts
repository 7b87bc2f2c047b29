/**
 * `pmi process`: what an incoming iTIP message (an invitation, an update, a cancellation or a reply) does to your
 * calendar copy. Runs `process` from lib/itip, the same code the extension runs, and prints one JSON object
 * `{method, outcome, reason, event}` (plus `review`, `changed`, `cancelledOccurrences` or `changes` when they apply).
 * Nothing is written anywhere.
 *
 * Exit status: 0 whatever the outcome, 2 when a file cannot be read or an option is missing.
 */
import {process as processMessage, type ProcessResult} from '../../lib/itip/index.ts';
import {messageCalendar, readFileOrReport} from '../message-file.ts';
import {parseCommandLine} from '../options.ts';

const usage = `usage: pmi process --message MAIL.eml --me ADDRESS [--me ADDRESS]... [--event STORED.ics] [--trust-sender]

  --message FILE    the message: a whole e-mail (.eml) or a bare iCalendar file (.ics)
  --me ADDRESS      one of your own addresses (repeatable, at least one)
  --event FILE      your stored copy of the event (iCalendar, as your calendar holds it), if you have one
  --trust-sender    skip the check that the mail came from the organizer (or, for a reply, the attendee)

Prints {method, outcome, reason, event} as JSON; outcome is applied, unchanged, ignored or review.`;

type Options = {message: string; me: string[]; event: string | undefined; trustSender: boolean};

/** The command's options, or the exit status once the usage or the error is printed. */
function parseOptions(argv: string[]): Options | number {
	return parseCommandLine(argv, {
		name: 'process',
		usage,
		allowPositionals: false,
		options: {
			message: {type: 'string'},
			me: {type: 'string', multiple: true},
			event: {type: 'string'},
			'trust-sender': {type: 'boolean'},
		},
		required: ['message'],
		read({values}): Options | string {
			if (!values.me || values.me.length === 0) {
				return '--me is required (one of your addresses)';
			}

			return {message: values.message!, me: values.me, event: values.event, trustSender: values['trust-sender'] ?? false};
		},
	});
}

export async function run(argv: string[]): Promise<number> {
	const options = parseOptions(argv);
	if (typeof options === 'number') {
		return options;
	}

	const messageBytes = await readFileOrReport(options.message, 'the message', 'process');
	const eventBytes = options.event === undefined ? undefined : await readFileOrReport(options.event, 'the stored event', 'process');
	if (!messageBytes || (options.event !== undefined && !eventBytes)) {
		return 2;
	}

	const stored = eventBytes ? new TextDecoder().decode(eventBytes) : undefined;
	const message = await messageCalendar(messageBytes, ['REQUEST', 'CANCEL', 'REPLY', 'COUNTER']);
	let result: ProcessResult;
	if (message.part) {
		// From only, never Sender: anyone can set a Sender header (RFC 6047 §3 compares the originator).
		result = processMessage(message.part.text, stored, {
			me: options.me,
			from: message.from,
			authenticationResults: message.authenticationResults,
			trustSender: options.trustSender,
		});
	} else {
		const problems = message.problems.join('; ');
		result = {method: '', outcome: 'ignored', reason: `The mail holds no calendar to process${problems ? ` (${problems})` : ''}.`, event: stored ?? null};
	}

	console.log(JSON.stringify(result, undefined, 2));
	return 0;
}
