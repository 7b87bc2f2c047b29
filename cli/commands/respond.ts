/**
 * `pmi respond`: answers an invitation the way the extension's invitation card does, without sending anything.
 * Writes the whole iMIP REPLY (`reply.eml`, RFC 6047) and your calendar copy with your answer (`caldav.ics`, no
 * METHOD) into a folder.
 *
 * Exit status: 0 when both files are written; 2 for a wrong option or a mail with nothing to answer (no REQUEST, or
 * a CANCEL), with the reason; 1 when the files cannot be written.
 */
import {writeOutputFiles} from '../output-files.ts';
import {composeReplyMail, InvalidMailFieldError} from '../../lib/imip/index.ts';
import {buildReply, InvalidSpecError, InvalidStoredEventError, type Answer, type BuiltReply} from '../../lib/itip/index.ts';
import {messageCalendar, readFileOrReport} from '../message-file.ts';
import {parseCommandLine} from '../options.ts';

const usage = `usage: pmi respond --message INVITE.eml --me ADDRESS --answer accepted|tentative|declined [--comment TEXT] [--occurrence RECURRENCE-ID] --out DIR

  --message FILE         the invitation: a whole e-mail (.eml) or a bare iCalendar file (.ics) with METHOD:REQUEST
  --me ADDRESS           your address as invited (repeatable: the first one the invitation lists answers)
  --answer WORD          accepted, tentative (maybe) or declined
  --comment TEXT         a note to the organizer
  --occurrence WHEN      answer one occurrence of a repeating event: its original start, "2026-12-08T16:00"
                         (in the event's zone), "2026-12-08" or "2026-12-08T15:00:00Z"
  --out DIR              where to write reply.eml (the mail) and caldav.ics (your copy); created if missing

Nothing is sent.`;

const answers: Readonly<Record<string, Answer>> = {accepted: 'ACCEPTED', tentative: 'TENTATIVE', declined: 'DECLINED'};

type Options = {message: string; me: string[]; answer: Answer; comment: string | undefined; occurrence: string | undefined; out: string};

/** The command's options, or the exit status once the usage or the error is printed. */
function parseOptions(argv: string[]): Options | number {
	return parseCommandLine(argv, {
		name: 'respond',
		usage,
		allowPositionals: false,
		options: {
			message: {type: 'string'},
			me: {type: 'string', multiple: true},
			answer: {type: 'string'},
			comment: {type: 'string'},
			occurrence: {type: 'string'},
			out: {type: 'string'},
		},
		required: ['message', 'answer', 'out'],
		read({values}): Options | string {
			if (!values.me || values.me.length === 0) {
				return '--me is required (your address as invited)';
			}

			const answer = answers[values.answer!.toLowerCase()];
			if (!answer) {
				return `--answer must be accepted, tentative or declined, not ${JSON.stringify(values.answer)}`;
			}

			return {message: values.message!, me: values.me, answer, comment: values.comment, occurrence: values.occurrence, out: values.out!};
		},
	});
}

export async function run(argv: string[]): Promise<number> {
	const options = parseOptions(argv);
	if (typeof options === 'number') {
		return options;
	}

	const bytes = await readFileOrReport(options.message, 'the message', 'respond');
	if (!bytes) {
		return 2;
	}

	const message = await messageCalendar(bytes, ['REQUEST']);
	if (message.part?.method !== 'REQUEST') {
		const what = message.part ? (message.part.method ? `a ${message.part.method}` : 'a calendar without METHOD') : 'no calendar';
		const problems = message.problems.length > 0 ? ` (${message.problems.join('; ')})` : '';
		console.error(`pmi respond: nothing to answer: the mail holds ${what}, not an invitation (METHOD:REQUEST)${problems}`);
		return 2;
	}

	let built: BuiltReply;
	let mail: string;
	try {
		built = buildReply(message.part.text, {
			me: options.me,
			answer: options.answer,
			...(options.comment === undefined ? {} : {comment: options.comment}),
			...(options.occurrence === undefined ? {} : {occurrence: options.occurrence}),
		});
		mail = composeReplyMail(built, options.comment === undefined ? {} : {comment: options.comment});
	} catch (error) {
		if (error instanceof InvalidSpecError || error instanceof InvalidStoredEventError || error instanceof InvalidMailFieldError) {
			console.error(`pmi respond: ${error.message}`);
			return 2;
		}

		throw error;
	}

	const written = await writeOutputFiles('respond', options.out, [['reply.eml', mail], ['caldav.ics', built.caldav]]);
	if (!written) {
		return 1;
	}

	const [replyFile, caldavFile] = written;

	console.log(`wrote ${replyFile} (${built.answer} to ${built.organizer.email}${built.recurrenceId ? `, for ${built.recurrenceId}` : ''}) and ${caldavFile}; UID ${built.uid}`);
	return 0;
}
