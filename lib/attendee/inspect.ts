/**
 * What the invitation card needs from the background about one message: lib/itip's `process` decision against the
 * user's copy as stored (their invitation copy, or for a REPLY the event they organized), the extension's record of
 * it, and for a REPLY what the reply loop did with this very mail. Reads only; nothing is written.
 */
import {CaldavNotFound, withBackoff} from '../caldav/index.ts';
import type {ProcessResult} from '../itip/index.ts';
import type {EventsStore} from '../invites/ports.ts';
import type {MessageOutcome} from '../model.ts';
import {ownAddresses} from '../account.ts';
import {isEditable} from '../invites/editable.ts';
import type {AttendeeDeps, InvitationMessage, InvitationRecord} from './types.ts';
import {processMessage} from './user-copy.ts';
import {topLevelMethod, uidOf} from '../ical-lines.ts';

export type InvitationInspection = {
	/** The user's addresses, to find them among the attendees. */
	me: string[];
	result: ProcessResult;
	/** The copy the decision was made against, as stored; null when there is none (or it could not be read). */
	stored: string | null;
	record: InvitationRecord | null;
	/** For a REPLY or COUNTER: what the reply loop recorded for this mail, when it has seen it. */
	replyOutcome: MessageOutcome | null;
	/** Why the stored copy could not be read (the calendar server is down, …); the card still shows the message. */
	storedError?: string;
	/** The user's own invitation (`result.ownEvent`) for an event Edit can open (lib/invites/editable.ts): the card offers Edit. */
	editable?: true;
};

export type InspectDeps = Pick<AttendeeDeps, 'caldav' | 'account' | 'settings' | 'invitations'> & {
	/** Events the user organized (lib/invites). */
	events: Pick<EventsStore, 'get'>;
	outcomes(): Promise<readonly MessageOutcome[]>;
};

/** A REPLY or COUNTER answers an event the user organized; anything else is about their own invitation copy. */
function isAnswer(calendar: string): boolean {
	const method = topLevelMethod(calendar);
	return method === 'REPLY' || method === 'COUNTER';
}

async function readCopy(deps: InspectDeps, href: string | undefined, uid: string): Promise<string | undefined> {
	const calendarUrl = deps.settings.calendarUrl;
	try {
		if (href) {
			return (await withBackoff(async () => deps.caldav.readEvent(href))).ics;
		}

		return calendarUrl ? (await withBackoff(async () => deps.caldav.findEventByUid(calendarUrl, uid)))?.ics : undefined;
	} catch (error) {
		if (error instanceof CaldavNotFound) {
			return undefined;
		}

		throw error;
	}
}

export async function inspectInvitation(message: InvitationMessage, messageId: string | null, deps: InspectDeps): Promise<InvitationInspection> {
	const me = ownAddresses(deps.account);
	const uid = uidOf(message.calendar) ?? '';
	const answer = isAnswer(message.calendar);
	const record = answer || !uid ? undefined : await deps.invitations.get(uid);
	// The user's own invitation (its copy in Sent) is about an event they organize: read the event we store.
	const own = answer || !uid || record ? undefined : await deps.events.get(uid);
	let stored: string | undefined;
	let storedError: string | undefined;
	try {
		if (uid) {
			stored = answer ? await readOwnEvent(deps, uid) : await readCopy(deps, record?.href ?? own?.href, uid);
		}
	} catch (error) {
		storedError = error instanceof Error ? error.message : String(error);
	}

	const outcomes = answer && messageId ? await deps.outcomes() : [];
	const result = processMessage(message, stored, me);
	return {
		me,
		result,
		stored: stored ?? null,
		record: record ?? null,
		replyOutcome: outcomes.findLast(outcome => outcome.messageId === messageId) ?? null,
		...(storedError === undefined ? {} : {storedError}),
		...(result.ownEvent && isEditable(own) ? {editable: true as const} : {}),
	};
}

async function readOwnEvent(deps: InspectDeps, uid: string): Promise<string | undefined> {
	const tracked = await deps.events.get(uid);
	return tracked ? readCopy(deps, tracked.href, uid) : undefined;
}
