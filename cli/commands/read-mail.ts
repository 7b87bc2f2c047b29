/**
 * `pmi read-mail`: what does the extension see in this mail? Prints `readCalendarMail`'s result as JSON:
 * the headers that matter, every calendar part (method, type, file name, normalised text) and the problems. Outlook
 * TNEF is read as the relay reads it: an answer in winmail.dat is listed as the REPLY it stands for.
 *
 * Exit status: 0 whenever the file could be read (even with no calendar or with problems), 2 otherwise.
 */
import {readFile} from 'node:fs/promises';
import {readCalendarMail} from '../../lib/imip/index.ts';
import {readTnefAsCalendar} from '../message-file.ts';
import {parseCommandLine} from '../options.ts';

const usage = `usage: pmi read-mail MESSAGE.eml

  MESSAGE.eml   a whole e-mail as saved by a mail client ("-" reads standard input)

Prints {from, sender, replyTo, to, subject, messageId, date, authenticationResults, parts, problems} as JSON.`;

async function readStandardInput(): Promise<Uint8Array> {
	const chunks: Uint8Array[] = [];
	for await (const chunk of process.stdin) {
		chunks.push(chunk as Uint8Array);
	}

	return Buffer.concat(chunks);
}

export async function run(argv: string[]): Promise<number> {
	const options = parseCommandLine(argv, {
		name: 'read-mail',
		usage,
		allowPositionals: true,
		options: {},
		read({positionals: [first, ...extra]}): {file: string} | string {
			return first === undefined ? 'which mail?' : (extra.length > 0 ? 'one mail at a time' : {file: first});
		},
	});
	if (typeof options === 'number') {
		return options;
	}

	let bytes: Uint8Array;
	try {
		bytes = options.file === '-' ? await readStandardInput() : new Uint8Array(await readFile(options.file));
	} catch (error) {
		console.error(`pmi read-mail: cannot read ${options.file}: ${error instanceof Error ? error.message : String(error)}`);
		return 2;
	}

	console.log(JSON.stringify(await readCalendarMail(bytes, {readTnef: readTnefAsCalendar}), undefined, 2));
	return 0;
}
