/**
 * An attendee's answer written by Horde's iTIP library (Debian's php-horde-itip) rather than by ours:
 * tests/e2e/horde-reply/reply.php turns the invitation's iCalendar into the whole reply mail Horde sends.
 */
import {spawn} from 'node:child_process';
import path from 'node:path';
import {repoRoot} from '../../sandbox/paths.ts';

const script = path.join(repoRoot, 'tests/e2e/horde-reply/reply.php');

export type HordeAnswer = 'accept' | 'decline' | 'tentative';

/** The reply mail (headers and body, CRLF) Horde writes for `attendee` answering the REQUEST `requestIcs`. */
export async function hordeReply(requestIcs: string, attendee: {email: string; name: string}, answer: HordeAnswer): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn('php', [script, attendee.email, attendee.name, answer], {stdio: ['pipe', 'pipe', 'pipe']});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		child.on('error', reject);
		child.on('close', code => {
			const stderr = Buffer.concat(err).toString('utf8').trim();
			if (code === 0) {
				resolve(Buffer.concat(out).toString('utf8'));
			} else {
				reject(new Error(`php ${path.relative(repoRoot, script)} exited with ${code}: ${stderr}`));
			}
		});
		child.stdin.end(requestIcs);
	});
}

/** The message with its first `From:` header replaced: the same reply, claimed by someone else. */
export function withFrom(raw: string, from: string): string {
	return raw.replace(/^From:.*(?:\r?\n[ \t].*)*/m, `From: ${from}`);
}
