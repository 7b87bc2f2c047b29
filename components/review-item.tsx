import type {JSX} from 'preact';
import type {MessageOutcome} from '@/lib/model';
import {describeChanges, type ActionFeedback} from '@/lib/ui/action-feedback';
import {formatRelative, type FormatOptions} from '@/lib/ui/format';
import {FeedbackLine} from './feedback-line';
import {Spinner} from './spinner';

type ReviewItemProps = {
	outcome: MessageOutcome;
	/** The event's title when the reply is about one we know. */
	eventSummary?: string;
	now: Date;
	format: FormatOptions;
	busy?: 'apply' | 'dismiss';
	feedback?: ActionFeedback;
	onApply(key: string): void;
	onDismiss(key: string): void;
};

/** A reply that was not applied: who sent it, about what, why it waits, what it asks; apply anyway or dismiss. */
export function ReviewItem({outcome, eventSummary, now, format, busy, feedback, onApply, onDismiss}: ReviewItemProps): JSX.Element {
	const asks = describeChanges(outcome.changes);
	const label = outcome.subject || eventSummary || 'this reply';
	return (
		<li class="pmi-review">
			<div class="pmi-review-head">
				<span class="pmi-review-from" title={outcome.from ?? undefined}>{outcome.from ?? 'Unknown sender'}</span>
				<span class="pmi-review-time">{formatRelative(outcome.recordedAt, now, format)}</span>
			</div>
			<div class="pmi-review-subject">{outcome.subject || '(no subject)'}{eventSummary && !outcome.subject.includes(eventSummary) ? ` · ${eventSummary}` : ''}</div>
			<p class="pmi-review-reason">{outcome.reason}</p>
			{asks ? <p class="pmi-review-asks">Asks for: {asks}</p> : null}
			<div class="pmi-review-buttons">
				<button
					type="button"
					class="pmi-btn pmi-btn-primary pmi-btn-small"
					disabled={busy !== undefined}
					aria-label={`Apply anyway: ${label}`}
					onClick={() => {
						onApply(outcome.key);
					}}
				>
					{busy === 'apply' ? <Spinner class="pmi-spinner-on-primary" /> : null}
					Apply anyway
				</button>
				<button
					type="button"
					class="pmi-btn pmi-btn-secondary pmi-btn-small"
					disabled={busy !== undefined}
					aria-label={`Dismiss: ${label}`}
					onClick={() => {
						onDismiss(outcome.key);
					}}
				>
					{busy === 'dismiss' ? <Spinner class="pmi-spinner-on-primary" /> : null}
					Dismiss
				</button>
			</div>
			{feedback ? <FeedbackLine feedback={feedback} /> : null}
		</li>
	);
}
