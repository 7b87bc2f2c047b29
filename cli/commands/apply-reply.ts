/**
 * `pmi apply-reply`: why did an RSVP (not) stick? Runs the reply loop's decision (`applyReply`) on files and prints
 * it as one JSON object `{outcome, reason, changes, event}`.
 *
 * Exit status: 0 whatever the outcome, 2 when a file cannot be read or the arguments are wrong.
 */
import {readFile} from 'node:fs/promises';
import {parseArgs} from 'node:util';
import {defaultAuthservId} from '../../lib/imip/authentication-results.ts';
import {readCalendarMail, type CalendarPart} from '../../lib/imip/index.ts';
import {applyReply} from '../../lib/itip/apply-reply.ts';
import {addressOf} from '../../lib/itip/attendee-state.ts';
import {masterOf, parseCalendar} from '../../lib/itip/calendar.ts';
import type {ApplyReplyResult} from '../../lib/itip/types.ts';
import {replyContextOf} from '../../lib/reply-loop/reply-context.ts';

const usage = `usage: pmi apply-reply --event STORED.ics --message REPLY.eml [--me ADDRESS]... [--trust-sender] [--authserv-id ID] [--now ISO]

  --event FILE      the organizer's stored event (iCalendar, as saved in the calendar)
  --message FILE    the reply: a whole e-mail (.eml) or a bare iCalendar file (.ics)
  --me ADDRESS      one of your own addresses (repeatable); default: the stored event's ORGANIZER
  --trust-sender    skip the check that the mail came from the attendee (needed for a bare .ics to be applied)
  --authserv-id ID  whose Authentication-Results count (the first header only); default ${defaultAuthservId}
  --now ISO         the clock, for replies stamped in the future; default now

Prints {outcome, reason, changes, event} as JSON; outcome is applied, unchanged, ignored or review.`;

type Options = {event: string; message: string; me: string[]; trustSender: boolean; authservId: string; now: Date};

function parseOptions(argv: string[]): Options | string {
	let values;
	try {
		({values} = parseArgs({
			args: argv,
			options: {
				event: {type: 'string'},
				message: {type: 'string'},
				me: {type: 'string', multiple: true},
				'trust-sender': {type: 'boolean'},
				'authserv-id': {type: 'string'},
				now: {type: 'string'},
				help: {type: 'boolean', short: 'h'},
			},
			strict: true,
			allowPositionals: false,
		}));
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}

	if (values.help) {
		return '';
	}

	if (!values.event || !values.message) {
		return `${values.event ? '--message' : '--event'} is required`;
	}

	const now = values.now === undefined ? new Date() : new Date(values.now);
	if (Number.isNaN(now.getTime())) {
		return `--now is not a date: ${values.now}`;
	}

	return {event: values.event, message: values.message, me: values.me ?? [], trustSender: values['trust-sender'] ?? false, authservId: values['authserv-id'] ?? defaultAuthservId, now};
}

/** A bare iCalendar file starts with BEGIN:VCALENDAR (after a BOM or blank lines); anything else is taken as a mail. */
function isBareCalendar(bytes: Uint8Array): boolean {
	const head = new TextDecoder().decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart();
	return /^BEGIN:VCALENDAR/i.test(head);
}

/** The part a reply loop would act on: the REPLY (or COUNTER) if the mail has one, else the first calendar. */
function pickCalendar(parts: readonly CalendarPart[]): CalendarPart | undefined {
	return parts.find(part => part.method === 'REPLY') ?? parts.find(part => part.method === 'COUNTER') ?? parts[0];
}

/** The stored event's ORGANIZER, the user's address when no --me is given. */
function organizerOf(stored: string): string[] {
	const parsed = parseCalendar(stored);
	if (!parsed.ok) {
		return [];
	}

	const organizer = masterOf(parsed.calendar)?.getFirstProperty('organizer')
		?? parsed.calendar.getAllSubcomponents('vevent').map(event => event.getFirstProperty('organizer')).find(Boolean);
	return organizer ? [addressOf(organizer)] : [];
}

async function readFileOrReport(path: string, what: string): Promise<Uint8Array | undefined> {
	try {
		return new Uint8Array(await readFile(path));
	} catch (error) {
		console.error(`pmi apply-reply: cannot read ${what} ${path}: ${error instanceof Error ? error.message : String(error)}`);
		return undefined;
	}
}

export async function run(argv: string[]): Promise<number> {
	const options = parseOptions(argv);
	if (typeof options === 'string') {
		if (options === '') {
			console.log(usage);
			return 0;
		}

		console.error(`pmi apply-reply: ${options}\n\n${usage}`);
		return 2;
	}

	const eventBytes = await readFileOrReport(options.event, 'the stored event');
	const messageBytes = await readFileOrReport(options.message, 'the message');
	if (!eventBytes || !messageBytes) {
		return 2;
	}

	const stored = new TextDecoder().decode(eventBytes);
	const me = options.me.length > 0 ? options.me : organizerOf(stored);
	let result: ApplyReplyResult;
	if (isBareCalendar(messageBytes)) {
		// A bare .ics has no mail around it, so no sender: applyReply asks for review unless --trust-sender.
		result = applyReply(stored, new TextDecoder().decode(messageBytes), {senders: [], me, trustSender: options.trustSender, now: options.now});
	} else {
		const mail = await readCalendarMail(messageBytes);
		const part = pickCalendar(mail.parts);
		if (part) {
			// The same reading of the headers as the reply loop's (From is the sender; the provider's verdict counts).
			const context = replyContextOf(
				{from: mail.from?.email, sender: mail.sender?.email, authenticationResults: mail.authenticationResults},
				{me, authservId: options.authservId, now: options.now},
			);
			result = applyReply(stored, part.text, {...context, trustSender: options.trustSender});
		} else {
			const problems = mail.problems.map(problem => problem.message).join('; ');
			result = {outcome: 'ignored', reason: `The mail holds no calendar to apply${problems ? ` (${problems})` : ''}.`, changes: [], event: stored};
		}
	}

	console.log(JSON.stringify(result, undefined, 2));
	return 0;
}
