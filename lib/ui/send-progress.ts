/**
 * The steps of sending an invitation as the composer lists them while `inviteProgress` messages arrive.
 */
import type {SendInviteResult, SendStep, UserFacingError} from '../messaging.ts';

/** The order the background takes them in: the calendar first, so nothing is mailed that was not saved. */
const stepOrder: ReadonlyArray<SendStep['step']> = ['calendar', 'mail'];

/** The list with `step` in its place: a later report on the same step replaces the earlier one. */
export function mergeStep(steps: readonly SendStep[], step: SendStep): SendStep[] {
	const others = steps.filter(item => item.step !== step.step);
	return [...others, step].sort((a, b) => stepOrder.indexOf(a.step) - stepOrder.indexOf(b.step));
}

/** The final list: what arrived as progress, overridden by what the result says. */
export function finalSteps(progress: readonly SendStep[], result: SendInviteResult): SendStep[] {
	let steps = [...progress];
	for (const step of result.steps) {
		steps = mergeStep(steps, step);
	}

	return steps;
}

/** What the composer shows while it sends and afterwards. */
export type SendState =
	| {phase: 'idle'}
	| {phase: 'sending'; steps: SendStep[]}
	| {phase: 'sent'; steps: SendStep[]; accepted: string[]; rejected: Array<{address: string; reason: string}>}
	| {phase: 'failed'; steps: SendStep[]; error: UserFacingError};

/** The state after the background's answer. */
export function stateFromResult(progress: readonly SendStep[], result: SendInviteResult): SendState {
	const steps = finalSteps(progress, result);
	return result.ok
		? {phase: 'sent', steps, accepted: result.accepted, rejected: result.rejected}
		: {phase: 'failed', steps, error: result.error};
}

/** The state when the message itself failed (the background did not answer). */
export function stateFromThrown(progress: readonly SendStep[], error: unknown): SendState {
	const message = error instanceof Error ? error.message : String(error);
	return {
		phase: 'failed',
		steps: [...progress],
		error: {
			code: 'unknown',
			message: `The extension did not answer: ${message}`,
			action: 'Reload this page and try again. If it keeps happening, reload the extension on the browser\'s extensions page.',
		},
	};
}

/** `Sent to 2 attendees` with the refused ones named, for the success message. */
export function sentSummary(accepted: readonly string[], rejected: ReadonlyArray<{address: string; reason: string}>): string {
	const sent = `Invitation sent to ${accepted.length} attendee${accepted.length === 1 ? '' : 's'}.`;
	if (rejected.length === 0) {
		return sent;
	}

	return `${sent} Not delivered to ${rejected.map(item => `${item.address} (${item.reason})`).join(', ')}.`;
}
