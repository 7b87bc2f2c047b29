/**
 * Answering an invitation from the card (RFC 5546 §3.2.3): the user's copy with their PARTSTAT goes to their CalDAV
 * calendar first (created or updated, href and ETag remembered), then the REPLY goes to the organizer through the
 * relay, with a copy in Sent. The same two steps and error display as sending an invite (lib/invites' stepper);
 * a failed mail keeps the answer to be sent again, and an answer already sent is not sent twice.
 * "Add to calendar" is the first step alone.
 */
import {relayAccountOf, ownAddresses} from '../account.ts';
import {composeReplyMail} from '../imip/index.ts';
// Not lib/invites' index: it also exports the extension's storage, which the agent (Node) runs this without.
import {mailOutcome, stepper} from '../invites/run-flow.ts';
import {buildReply, type Answer, type BuiltReply} from '../itip/index.ts';
import type {SendInviteResult, UserFacingError} from '../messaging.ts';
import type {SendResponse} from '../relay-client/index.ts';
import {toUserFacingError, userError} from '../user-errors.ts';
import {invitationRecord} from './record.ts';
import type {AnswerChoice, AttendeeDeps, InvitationMessage, InvitationRecord, SentReply} from './types.ts';
import {AnswerRefused, copyFromInvitation} from './user-copy.ts';
import {uidOf} from '../ical-lines.ts';
import {writeCopy, type MakeCopy} from './write-copy.ts';

const answerWords: Record<Answer, {saved: string; sent: string}> = {
	ACCEPTED: {saved: 'accepted', sent: 'Acceptance'},
	TENTATIVE: {saved: 'maybe', sent: '"Maybe"'},
	DECLINED: {saved: 'declined', sent: 'Decline'},
};

/** One piece of work per event at a time: a double click, or two cards of one message, must not race to send. */
const queues = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(uid: string, work: () => Promise<T>): Promise<T> {
	const previous = queues.get(uid) ?? Promise.resolve();
	const result = previous.then(work, work);
	const settled = result.catch(() => undefined);
	queues.set(uid, settled);
	void settled.then(() => {
		if (queues.get(uid) === settled) {
			queues.delete(uid);
		}
	});
	return result;
}

function refusal(error: unknown, deps: AttendeeDeps): UserFacingError {
	return error instanceof AnswerRefused
		? userError(error.code, error.message)
		: toUserFacingError(error, {relayUrl: deps.settings.relayUrl});
}

/** True when this exact answer (same words, same occurrence, same version of the event) already went out. */
function alreadySent(reply: SentReply | undefined, choice: AnswerChoice, sequence: number): boolean {
	return reply?.state === 'sent'
		&& reply.answer === choice.answer
		&& (reply.comment ?? '').trim() === (choice.comment ?? '').trim()
		&& reply.occurrence === choice.occurrence
		&& reply.sequence === sequence;
}

type Prepared = {uid: string; calendarUrl: string; me: string[]; previous: InvitationRecord | undefined};

async function prepare(message: InvitationMessage, deps: AttendeeDeps): Promise<Prepared | UserFacingError> {
	const uid = uidOf(message.calendar) ?? '';
	if (!uid) {
		return userError('invalid', 'The invitation has no readable event (no UID).');
	}

	const calendarUrl = deps.settings.calendarUrl;
	if (!calendarUrl) {
		return userError('not-configured', 'No calendar is chosen yet.');
	}

	return {uid, calendarUrl, me: ownAddresses(deps.account), previous: await deps.invitations.get(uid)};
}

/** Writes the copy `make` decides and records it; the calendar step of both flows. */
async function saveCopy(prepared: Prepared, deps: AttendeeDeps, make: MakeCopy, progress: ReturnType<typeof stepper>, detail: {working: string; done: string}): Promise<InvitationRecord | UserFacingError> {
	progress.report({step: 'calendar', state: 'working', detail: detail.working});
	try {
		const written = await writeCopy(deps, prepared.calendarUrl, prepared.uid, prepared.previous?.href, make);
		const now = (deps.now ?? (() => new Date()))();
		// From the record as stored now, not `previous`: what others stored during the CalDAV round trip stays.
		const record = await deps.invitations.update(prepared.uid, current => invitationRecord({uid: prepared.uid, calendarUrl: prepared.calendarUrl, ...written}, prepared.me, current, now));
		progress.report({step: 'calendar', state: 'done', detail: detail.done});
		return record!;
	} catch (error) {
		const failure = refusal(error, deps);
		progress.report({step: 'calendar', state: 'failed', detail: failure.message});
		return failure;
	}
}

/**
 * Answers an invitation: Accept, Maybe or Decline, with an optional comment, for the whole event or one occurrence.
 * Never throws for expected failures: the result says which step failed and why.
 */
export async function answerInvitation(message: InvitationMessage, choice: AnswerChoice, deps: AttendeeDeps): Promise<SendInviteResult> {
	const prepared = await prepare(message, deps);
	if ('code' in prepared) {
		return {ok: false, steps: [], error: prepared};
	}

	return oneAtATime(prepared.uid, async () => answerNow({...prepared, previous: await deps.invitations.get(prepared.uid)}, message, choice, deps));
}

async function answerNow(prepared: Prepared, message: InvitationMessage, choice: AnswerChoice, deps: AttendeeDeps): Promise<SendInviteResult> {
	const now = (deps.now ?? (() => new Date()))();
	const progress = stepper(deps);
	const {uid, me} = prepared;
	let built: BuiltReply | undefined;
	const saved = await saveCopy(prepared, deps, stored => {
		built = buildReply(copyFromInvitation(message, stored, me), {
			me,
			answer: choice.answer,
			...(choice.comment?.trim() ? {comment: choice.comment.trim()} : {}),
			...(choice.occurrence === undefined ? {} : {occurrence: choice.occurrence}),
			now,
		});
		return built.caldav;
	}, progress, {working: 'Saving your answer to your calendar…', done: `Saved to your calendar as ${answerWords[choice.answer].saved}`});
	if ('code' in saved) {
		return {ok: false, uid, steps: progress.steps, error: saved};
	}

	const reply = built!;
	const to = reply.organizer.email;
	/** The answer flow owns `reply`; the rest of the record is kept as stored now. */
	const keepReply = async (sent: SentReply): Promise<InvitationRecord | undefined> => deps.invitations.update(uid, current => ({...current ?? saved, reply: sent}));
	if (alreadySent(prepared.previous?.reply, choice, saved.sequence)) {
		// Kept from the earlier send: the organizer has this very answer already.
		await keepReply(prepared.previous!.reply!);
		progress.report({step: 'mail', state: 'done', detail: `Already sent to ${to}; not sent again`});
		return {ok: true, uid, steps: progress.steps, accepted: [], rejected: []};
	}

	const comment = choice.comment?.trim();
	const pending: SentReply = {
		answer: choice.answer,
		...(comment ? {comment} : {}),
		...(choice.occurrence === undefined ? {} : {occurrence: choice.occurrence}),
		sequence: saved.sequence,
		to,
		state: 'not-sent',
		error: 'Not sent yet.',
		at: now.toISOString(),
	};
	// Kept before sending: if the worker stops or the relay fails, the card offers to send this answer again.
	await keepReply(pending);
	progress.report({step: 'mail', state: 'working', detail: `Sending your answer to ${to}…`});
	/** The answer stays to be sent again, with the reason the card shows. */
	const notSent = async (failure: UserFacingError): Promise<SendInviteResult> => {
		await keepReply({...pending, error: failure.message});
		progress.report({step: 'mail', state: 'failed', detail: failure.message});
		return {ok: false, uid, steps: progress.steps, error: failure};
	};
	let sent: SendResponse;
	try {
		const from = me.includes(reply.attendee.email) ? reply.attendee.email : deps.account.email;
		const raw = composeReplyMail(reply, {
			...(comment ? {comment} : {}),
			date: now,
			from: {email: from, ...(deps.account.name || reply.attendee.name ? {name: deps.account.name || reply.attendee.name!} : {})},
		});
		sent = await deps.relay.send({account: relayAccountOf(deps.account, deps.settings), envelope: {from, to: [to]}, raw, copyToSent: true});
	} catch (error) {
		return notSent(refusal(error, deps));
	}

	// The one delivery rule of every flow (lib/invites' mailOutcome): the organizer refused is a failed send.
	const outcome = mailOutcome(sent.accepted, sent.rejected);
	if (!outcome.ok) {
		return notSent(outcome.error);
	}

	const {error: _error, ...delivered} = pending;
	await keepReply({...delivered, state: 'sent', at: now.toISOString()});
	progress.report({step: 'mail', state: 'done', detail: `${answerWords[choice.answer].sent} sent to ${to}`});
	return {ok: true, uid, steps: progress.steps, accepted: sent.accepted, rejected: sent.rejected};
}

/** "Add to calendar": the invitation (or update) becomes the user's copy without an answer; no mail. */
export async function addInvitation(message: InvitationMessage, deps: AttendeeDeps): Promise<SendInviteResult> {
	const prepared = await prepare(message, deps);
	if ('code' in prepared) {
		return {ok: false, steps: [], error: prepared};
	}

	return oneAtATime(prepared.uid, async () => {
		const progress = stepper(deps);
		const current = {...prepared, previous: await deps.invitations.get(prepared.uid)};
		const saved = await saveCopy(current, deps, stored => copyFromInvitation(message, stored, current.me), progress, {working: 'Adding it to your calendar…', done: 'Added to your calendar'});
		return 'code' in saved
			? {ok: false, uid: prepared.uid, steps: progress.steps, error: saved}
			: {ok: true, uid: prepared.uid, steps: progress.steps, accepted: [], rejected: []};
	});
}

export {oneAtATime, prepare, refusal};
