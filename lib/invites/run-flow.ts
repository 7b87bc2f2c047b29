/**
 * The one step runner of the organizer's invite flows (create, resend, update, cancel, one occurrence, DECLINECOUNTER):
 * the calendar step, then the mail step, each told to the composer or popup as it starts, succeeds or fails, then the
 * record of how the mail went. The flows only say what to write and what to mail; the outcome rules are here, once,
 * and retries are the CalDAV client's (lib/caldav's `retrying`), so no flow retries or reads without them.
 */
import {retrying, type RetryingCaldav} from '../caldav/index.ts';
import type {SendInviteResult, SendStep} from '../messaging.ts';
import type {TrackedEvent} from '../model.ts';
import type {SendResponse} from '../relay-client/types.ts';
import {toUserFacingError, userError, type UserFacingError} from '../user-errors.ts';
import type {InviteDeps} from './ports.ts';
import {recordDelivery} from './record-delivery.ts';
import {sendItipMail, type ItipMail} from './send-itip-mail.ts';

export type Progress = {steps: SendStep[]; report(step: SendStep): void};

/** Tells the composer about a step and keeps it for the result. */
export function stepper(deps: Pick<InviteDeps, 'onProgress'>): Progress {
	const steps: SendStep[] = [];
	return {
		steps,
		report(step) {
			const index = steps.findIndex(existing => existing.step === step.step);
			if (index === -1) {
				steps.push(step);
			} else {
				steps[index] = step;
			}

			deps.onProgress?.(step);
		},
	};
}

export function plural(count: number, word: string): string {
	return `${count} ${word}${count === 1 ? '' : 's'}`;
}

type Refused = SendResponse['rejected'];

/**
 * How a mail step ended, the one rule for every flow. Each iTIP message goes out as one SMTP transaction (RFC 6047
 * §2.1 carries iTIP in Internet mail); a transaction in which the server refused every recipient delivered nothing
 * (RFC 5321 §3.3). So "every recipient refused" is a failed send wherever it happens: the user is told, and the
 * event records it as not sent, to be sent again; some refused is a send, with the refused ones named.
 */
export function mailOutcome(accepted: readonly string[], rejected: Refused): {ok: true} | {ok: false; error: UserFacingError} {
	if (accepted.length > 0) {
		return {ok: true};
	}

	const why = rejected.map(refused => `${refused.address}: ${refused.reason}`).join('; ');
	return {ok: false, error: userError('rejected', `Every recipient was refused (${why})`)};
}

/** The mail step of a flow: the iTIP messages, in order, and its words. */
export type MailPlan = {
	mails: ItipMail[];
	/** E.g. "Telling the attendees…". */
	working: string;
	/** The success line before the refused ones are named, e.g. "Sent to 2 attendees". */
	done: (accepted: readonly string[]) => string;
	/**
	 * Whether the event's delivery state records how this went (mail to its attendees; not a DECLINECOUNTER to one
	 * proposer, which says nothing about whether the invitation reached them).
	 */
	record: boolean;
};

/** A flow as the runner takes it: the event it is about, the calendar step (if any), then what to mail. */
export type FlowPlan = {
	uid: string;
	calendar?: {working: string; done: string; write: () => Promise<void>};
	/** Asked once the calendar step is done; nothing, or no recipient, means nothing to mail. */
	mail: () => MailPlan | undefined;
};

/** A flow that cannot start (nothing configured, an unknown event, nobody to send to): no step was taken. */
export type Refusal = {refused: UserFacingError; uid?: string};

/** The retrying calendar and the stored event (for flows on an event we track), for a flow to plan with. */
export type FlowContext = {caldav: RetryingCaldav};

function failure(deps: InviteDeps, error: unknown): UserFacingError {
	return toUserFacingError(error, {relayUrl: deps.settings.relayUrl});
}

/**
 * Runs one flow: `plan` (which may read through the retrying calendar, and refuse), the calendar step, the mail step
 * with `mailOutcome`, and the record. Never throws for expected failures: the result says which step failed and why.
 */
export async function runFlow(deps: InviteDeps, plan: (context: FlowContext) => Promise<FlowPlan | Refusal>): Promise<SendInviteResult> {
	const now = deps.now ?? (() => new Date());
	const progress = stepper(deps);
	let flow: FlowPlan | Refusal;
	try {
		flow = await plan({caldav: retrying(deps.caldav)});
	} catch (error) {
		flow = {refused: failure(deps, error)};
	}

	if ('refused' in flow) {
		return {ok: false, ...(flow.uid === undefined ? {} : {uid: flow.uid}), steps: [], error: flow.refused};
	}

	const {uid, calendar} = flow;
	if (calendar) {
		progress.report({step: 'calendar', state: 'working', detail: calendar.working});
		try {
			await calendar.write();
		} catch (error) {
			const failed = failure(deps, error);
			progress.report({step: 'calendar', state: 'failed', detail: failed.message});
			return {ok: false, uid, steps: progress.steps, error: failed};
		}

		progress.report({step: 'calendar', state: 'done', detail: calendar.done});
	}

	const mail = flow.mail();
	const mails = mail?.mails.filter(item => item.recipients.length > 0) ?? [];
	if (!mail || mails.length === 0) {
		return {ok: true, uid, steps: progress.steps, accepted: [], rejected: []};
	}

	progress.report({step: 'mail', state: 'working', detail: mail.working});
	const accepted: string[] = [];
	const rejected: Refused = [];
	let failed: UserFacingError | undefined;
	try {
		for (const item of mails) {
			const sent = await sendItipMail(deps, item);
			accepted.push(...sent.accepted);
			rejected.push(...sent.rejected);
		}

		const outcome = mailOutcome(accepted, rejected);
		failed = outcome.ok ? undefined : outcome.error;
	} catch (error) {
		failed = failure(deps, error);
	}

	if (failed) {
		if (mail.record) {
			await recordDelivery(deps, uid, {state: 'not-sent', error: failed.message, at: now().toISOString()});
		}

		progress.report({step: 'mail', state: 'failed', detail: failed.message});
		return {ok: false, uid, steps: progress.steps, error: failed};
	}

	if (mail.record) {
		await recordDelivery(deps, uid, {state: 'sent', at: now().toISOString(), rejected});
	}

	const refused = rejected.map(item => `${item.address} was refused: ${item.reason}`);
	progress.report({step: 'mail', state: 'done', detail: [mail.done(accepted), ...refused].join('. ')});
	return {ok: true, uid, steps: progress.steps, accepted, rejected};
}

/** `runFlow` for an event we track: refuses an unknown UID before any step, as every such flow does. */
export async function runOnTracked(deps: InviteDeps, uid: string, plan: (tracked: TrackedEvent, context: FlowContext) => Promise<FlowPlan | Refusal> | FlowPlan | Refusal): Promise<SendInviteResult> {
	return runFlow(deps, async context => {
		const tracked = await deps.events.get(uid);
		if (!tracked) {
			return {refused: userError('unknown-event')};
		}

		try {
			return await plan(tracked, context);
		} catch (error) {
			return {refused: failure(deps, error), uid};
		}
	});
}
