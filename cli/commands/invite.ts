/**
 * `pmi invite`: builds a meeting invitation from a JSON spec and writes the whole iMIP mail (`request.eml`)
 * and the CalDAV copy of the event (`caldav.ics`) into a folder. Nothing is sent.
 *
 * Exit status: 0 when both files are written, 2 for wrong arguments, an unreadable spec or a bad field
 * (the message names it), 1 when the files cannot be written.
 */
import {readFile} from 'node:fs/promises';
import {writeOutputFiles} from '../output-files.ts';
import {composeInviteMail, InvalidMailFieldError, inviteHtml, inviteSubject, inviteText} from '../../lib/imip/index.ts';
import {normalizeAddress} from '../../lib/address.ts';
import {buildInvite, InvalidSpecError, type BuiltInvite, type InviteSpec} from '../../lib/itip/index.ts';
import {parseCommandLine} from '../options.ts';

const usage = `usage: pmi invite --event SPEC.json --out DIR

  --event FILE   the event, as JSON: {organizer: {email, name}, attendees: [{email, name?, optional?}],
                 summary, start: "2026-12-01T16:00", end: "2026-12-01T17:00", timeZone: "Europe/Berlin",
                 allDay?, location?, description?, repeat?: {freq, interval?, byDay?, count?, until?}, uid?}
  --out DIR      where to write request.eml (the mail) and caldav.ics (the CalDAV copy); created if missing`;

type Options = {event: string; out: string};

/** The command's options, or the exit status once the usage or the error is printed. */
function parseOptions(argv: string[]): Options | number {
	return parseCommandLine(argv, {
		name: 'invite',
		usage,
		allowPositionals: false,
		options: {event: {type: 'string'}, out: {type: 'string'}},
		required: ['event', 'out'],
		read: ({values}): Options => ({event: values.event!, out: values.out!}),
	});
}

/** The spec as JSON gives it: an object, or a sentence saying why not. `now` cannot come from JSON (it is a Date). */
async function readSpec(file: string): Promise<InviteSpec | string> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		return `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`;
	}

	let spec: unknown;
	try {
		spec = JSON.parse(text);
	} catch (error) {
		return `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`;
	}

	if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
		return `${file} must hold one JSON object (the event)`;
	}

	if ('now' in spec) {
		return 'now: is not a spec field of pmi invite (the clock is the current time)';
	}

	return spec as InviteSpec;
}

/** The mail: from the organizer, to every attendee but the organizer (names kept), in the spec's words. */
function composeMail(spec: InviteSpec, built: BuiltInvite): string {
	const recipients = new Set(built.recipients);
	const to = spec.attendees
		.filter(attendee => recipients.has(normalizeAddress(attendee.email)))
		.map(attendee => ({email: attendee.email.trim(), name: attendee.name}));
	return composeInviteMail({
		from: {email: spec.organizer.email.trim(), name: spec.organizer.name},
		to,
		subject: inviteSubject('invitation', spec),
		text: inviteText('invitation', spec),
		html: inviteHtml('invitation', spec),
		calendar: built.request,
		method: 'REQUEST',
	});
}

export async function run(argv: string[]): Promise<number> {
	const options = parseOptions(argv);
	if (typeof options === 'number') {
		return options;
	}

	const spec = await readSpec(options.event);
	if (typeof spec === 'string') {
		console.error(`pmi invite: ${spec}`);
		return 2;
	}

	let built: BuiltInvite;
	let mail: string;
	try {
		// buildInvite validates every field first (and names the bad one); the mail only adds header checks.
		built = buildInvite(spec);
		mail = composeMail(spec, built);
	} catch (error) {
		if (error instanceof InvalidSpecError || error instanceof InvalidMailFieldError) {
			console.error(`pmi invite: invalid event: ${error.message}`);
			return 2;
		}

		throw error;
	}

	const written = await writeOutputFiles('invite', options.out, [['request.eml', mail], ['caldav.ics', built.caldav]]);
	if (!written) {
		return 1;
	}

	const [requestFile, caldavFile] = written;

	console.log(`wrote ${requestFile} (to ${built.recipients.join(', ')}) and ${caldavFile}; UID ${built.uid}`);
	return 0;
}
