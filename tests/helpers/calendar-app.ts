/**
 * Another calendar app on a sandbox account's calendar: Debian's python3-caldav driven through caldav_driver.py (run
 * as /usr/bin/python3: the pyenv python3 on PATH lacks the module). Whatever it writes, our scheduling must read.
 * Asynchronous on purpose: the sandbox's CalDAV front runs in the test's own process, so a blocking child would wait
 * forever for a server that cannot answer.
 */
import {execFile} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import {fileURLToPath} from 'node:url';

const driver = path.join(path.dirname(fileURLToPath(import.meta.url)), 'caldav_driver.py');

const run = promisify(execFile);

export type CalendarApp = {
	create(ics: string): Promise<void>;
	edit(uid: string, change: {moveHours?: number; removeAttendee?: string; partstat?: {email: string; value: string}}): Promise<void>;
	remove(uid: string): Promise<void>;
	get(uid: string): Promise<string>;
};

export function calendarApp(caldavUrl: string, account: {email: string; password: string}): CalendarApp {
	const call = async (command: string, args: Record<string, unknown>): Promise<{ics?: string}> => {
		const {stdout} = await run('/usr/bin/python3', [driver, command, JSON.stringify({url: caldavUrl, user: account.email, password: account.password, ...args})], {encoding: 'utf8'});
		return JSON.parse(stdout) as {ics?: string};
	};

	return {
		async create(ics) {
			await call('create', {ics});
		},
		async edit(uid, change) {
			await call('edit', {
				uid,
				...(change.moveHours === undefined ? {} : {move_hours: change.moveHours}),
				...(change.removeAttendee === undefined ? {} : {remove_attendee: change.removeAttendee}),
				...(change.partstat === undefined ? {} : {partstat: change.partstat}),
			});
		},
		async remove(uid) {
			await call('delete', {uid});
		},
		async get(uid) {
			return (await call('get', {uid})).ics ?? '';
		},
	};
}
