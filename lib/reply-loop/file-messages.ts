/**
 * Filing (issue 14, off by default): once a tick has stored its outcomes and its cursor, the mails it processed
 * (an invitation added, an update or a cancellation applied, a reply recorded, or the same again) are moved to the
 * folder the user named, through the relay (IMAP MOVE, RFC 6851). A mail that went to review, was only listed,
 * was parked or waits for the user's decision stays where it is.
 *
 * The move comes last, so it can only fail after everything else is stored: the mails then stay where they were,
 * nothing is processed again (their outcomes are stored, the cursor is past them) and the failure is reported. A
 * moved mail is not seen again (the filing folder is not polled) and nothing is skipped (UIDs in INBOX do not change).
 */
import type {MessageOutcome} from '../model.ts';
import type {MoveRequest, MoveResponse, RelayAccount, ReplyMessage} from '../relay-client/types.ts';

export type MovePort = (request: MoveRequest, call?: {signal?: AbortSignal | undefined}) => Promise<MoveResponse>;

/** One mail that was moved: where it was and where it is now (its new UID when the server said). */
export type FiledMail = {folder: string; uid: number; to: string; newUid: number | null};

export type FilingResult = {
	moved: FiledMail[];
	/** Why some mails stayed where they were (the relay or the server failed, the folder's UIDVALIDITY changed). */
	error?: string;
};

/** The outcomes that mean "done with this mail": the calendar holds what it said. */
export function isFiled(outcome: MessageOutcome['outcome']): boolean {
	return outcome === 'applied' || outcome === 'unchanged';
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Moves each folder's processed mails with one call; never throws (the outcomes are stored already). */
export async function fileMessages(
	move: MovePort,
	account: RelayAccount,
	to: string,
	mails: ReadonlyArray<{message: ReplyMessage; uidValidity: string}>,
	signal?: AbortSignal,
): Promise<FilingResult> {
	const byFolder = new Map<string, {folder: string; uidValidity: string; uids: number[]}>();
	for (const {message, uidValidity} of mails) {
		const key = `${message.folder}\n${uidValidity}`;
		const group = byFolder.get(key) ?? {folder: message.folder, uidValidity, uids: []};
		group.uids.push(message.uid);
		byFolder.set(key, group);
	}

	const result: FilingResult = {moved: []};
	const problems: string[] = [];
	for (const group of byFolder.values()) {
		if (group.folder === to) {
			continue;
		}

		try {
			const answer = await move({account, ...group, to}, {signal});
			if (!answer.moved) {
				problems.push(`${group.folder}: ${answer.reason === 'missing-folder' ? 'the folder is gone' : 'its UIDVALIDITY changed'}`);
				continue;
			}

			const newUids = new Map(answer.uidMap.map(({uid, newUid}) => [uid, newUid]));
			result.moved.push(...group.uids.map(uid => ({folder: group.folder, uid, to: answer.to, newUid: newUids.get(uid) ?? null})));
		} catch (error) {
			problems.push(`${group.folder}: ${messageOf(error)}`);
		}
	}

	if (problems.length > 0) {
		result.error = `Not filed into ${to}: ${problems.join('; ')}`;
	}

	return result;
}
