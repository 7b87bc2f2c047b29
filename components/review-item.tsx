import type {JSX} from 'preact';
import type {ReviewView} from '@/lib/messaging';
import {describeChanges, type ActionFeedback} from '@/lib/ui/action-feedback';
import {applyAnywayLabel} from '@/lib/ui/apply-anyway-label';
import {formatEventWhen, formatOccurrence, formatRelative, type FormatOptions} from '@/lib/ui/format';
import {FeedbackLine} from './feedback-line';
import {Spinner} from './spinner';

export type ReviewBusy = 'apply' | 'dismiss' | 'accept' | 'decline';

type ReviewItemProps = {
	outcome: ReviewView;
	/** The event's title when the reply is about one we know. */
	eventSummary?: string | undefined;
	/** The event's current time, for a COUNTER's "instead of". */
	eventWhen?: {start: string; end: string; allDay: boolean; timeZone: string} | undefined;
	now: Date;
	format: FormatOptions;
	busy?: ReviewBusy | undefined;
	feedback?: ActionFeedback | undefined;
	onApply(key: string): void;
	onDismiss(key: string): void;
	/** COUNTER: make the proposal the event's time (an update to everyone). */
	onAcceptProposal?: ((key: string) => void) | undefined;
	/** COUNTER: send DECLINECOUNTER to the proposer. */
	onDeclineProposal?: ((key: string) => void) | undefined;
};

function SmallButton({label, text, primary, busy, disabled, onClick}: {label: string; text: string; primary?: boolean; busy: boolean; disabled: boolean; onClick(): void}): JSX.Element {
	return (
		<button type="button" class={`pmi-btn ${primary ? 'pmi-btn-primary' : 'pmi-btn-secondary'} pmi-btn-small`} disabled={disabled} aria-label={label} onClick={onClick}>
			{busy ? <Spinner class="pmi-spinner-on-primary" /> : null}
			{text}
		</button>
	);
}

/**
 * A reply that was not applied: who sent it, about what, why it waits, what it asks; apply anyway (the button names
 * the one check it overrides) or dismiss. A parked reply (the calendar server kept failing) says it will be retried.
 * A COUNTER (RFC 5546 §3.2.7) shows the proposed time beside the current one and the proposer's comment, with
 * "Accept proposal" and "Decline proposal".
 */
export function ReviewItem({outcome, eventSummary, eventWhen, now, format, busy, feedback, onApply, onDismiss, onAcceptProposal, onDeclineProposal}: ReviewItemProps): JSX.Element {
	const asks = describeChanges(outcome.changes);
	const label = outcome.subject || eventSummary || 'this reply';
	const {proposal} = outcome;
	const proposed = proposal?.start
		? formatEventWhen({start: proposal.start, end: proposal.end ?? proposal.start, allDay: proposal.start.length === 10, timeZone: eventWhen?.timeZone ?? format.timeZone}, format).text
		: undefined;
	const current = eventWhen ? formatEventWhen(eventWhen, format).text : undefined;
	const isCounter = proposal !== undefined && onAcceptProposal !== undefined && onDeclineProposal !== undefined;
	const parked = outcome.outcome === 'parked';
	const applyText = applyAnywayLabel(outcome.check);
	return (
		<li class={`pmi-review${isCounter ? ' pmi-review-counter' : ''}`}>
			<div class="pmi-review-head">
				<span class="pmi-review-from" title={outcome.from ?? undefined}>{outcome.from ?? 'Unknown sender'}</span>
				<span class="pmi-review-time">{formatRelative(outcome.recordedAt, now, format)}</span>
			</div>
			<div class="pmi-review-subject">{outcome.subject || '(no subject)'}{eventSummary && !outcome.subject.includes(eventSummary) ? ` · ${eventSummary}` : ''}</div>
			{isCounter
				? (
					<dl class="pmi-proposal">
						{proposal.recurrenceId ? <><dt>Occurrence</dt><dd>{formatOccurrence(proposal.recurrenceId, format)}</dd></> : null}
						<dt>Proposed</dt>
						<dd class="pmi-proposal-new">{proposed ?? 'other changes (no new time)'}</dd>
						{current ? <><dt>Now</dt><dd class="pmi-proposal-old">{current}</dd></> : null}
						{proposal.comment ? <><dt>Comment</dt><dd><blockquote class="pmi-attendee-comment">{proposal.comment}</blockquote></dd></> : null}
					</dl>
				)
				: <p class="pmi-review-reason">{outcome.reason}</p>}
			{asks ? <p class="pmi-review-asks">Asks for: {asks}</p> : null}
			{parked ? <p class="pmi-review-parked">Not written yet, will retry{outcome.retryAt ? ` (${formatRelative(outcome.retryAt, now, format)})` : ''}.</p> : null}
			<div class="pmi-review-buttons">
				{isCounter
					? (
						<>
							{proposal.start
								? <SmallButton primary label={`Accept proposal: ${label}`} text="Accept proposal" busy={busy === 'accept'} disabled={busy !== undefined} onClick={() => {
									onAcceptProposal(outcome.key);
								}} />
								: null}
							<SmallButton label={`Decline proposal: ${label}`} text="Decline proposal" busy={busy === 'decline'} disabled={busy !== undefined} onClick={() => {
								onDeclineProposal(outcome.key);
							}} />
						</>
					)
					: (parked || !outcome.calendar ? null : <SmallButton primary label={`${applyText}: ${label}`} text={applyText} busy={busy === 'apply'} disabled={busy !== undefined} onClick={() => {
						onApply(outcome.key);
					}} />)}
				<SmallButton label={`Dismiss: ${label}`} text="Dismiss" busy={busy === 'dismiss'} disabled={busy !== undefined} onClick={() => {
					onDismiss(outcome.key);
				}} />
			</div>
			{feedback ? <FeedbackLine feedback={feedback} /> : null}
		</li>
	);
}
