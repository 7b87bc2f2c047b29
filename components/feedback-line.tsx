import type {JSX} from 'preact';
import type {ActionFeedback} from '@/lib/ui/action-feedback';
import {Icon} from './icon';

/** The outcome of an action, in one line under it: a tick or a warning sign, and what to do when it failed. */
export function FeedbackLine({feedback}: {feedback: ActionFeedback}): JSX.Element {
	return (
		<p class={`pmi-feedback pmi-feedback-${feedback.kind}`} role={feedback.kind === 'error' ? 'alert' : 'status'}>
			<Icon name={feedback.kind === 'ok' ? 'check' : 'alert'} />
			<span>
				{feedback.text}
				{feedback.action ? <span class="pmi-feedback-action"> {feedback.action}</span> : null}
			</span>
		</p>
	);
}
