import type {JSX} from 'preact';
import {useState} from 'preact/hooks';
import type {Answer} from '@/lib/itip/index';
import type {EventView} from '@/lib/messaging';
import type {ActionFeedback} from '@/lib/ui/action-feedback';
import {countAnswers, resendLabel, summariseCounts} from '@/lib/ui/event-list';
import {partstatLabel} from '@/lib/ui/event-list';
import {formatEventWhen, formatOccurrence, type FormatOptions} from '@/lib/ui/format';
import {AttendeeStatusRow} from './attendee-status-row';
import {FeedbackLine} from './feedback-line';
import {Icon} from './icon';
import {PlainAnswerList} from './plain-answer-list';
import {Spinner} from './spinner';

type EventCardProps = {
	event: EventView;
	now: Date;
	format: FormatOptions;
	/** The resend or cancel of this event is under way. */
	busy?: 'resend' | 'cancel' | 'occurrence' | undefined;
	feedback?: ActionFeedback | undefined;
	/** Past events show no resend or cancel. */
	past?: boolean;
	onResend(uid: string): void;
	onCancel(uid: string): void;
	/** Opens the edit page for the event. */
	onEdit?: ((uid: string) => void) | undefined;
	/** Cancels one occurrence, by its original start. */
	onCancelOccurrence?: ((uid: string, recurrenceId: string) => void) | undefined;
	/** Opens the edit page for one occurrence, by its original start ("move just next Tuesday"). */
	onEditOccurrence?: ((uid: string, recurrenceId: string) => void) | undefined;
	/** Records an attendee's plain-mail answer on the event (no mail is sent), or puts the mail away. */
	plainAnswerBusy?: string | undefined;
	onRecordPlainAnswer?: ((key: string, partstat: Answer) => void) | undefined;
	onDismissPlainAnswer?: ((key: string) => void) | undefined;
};

/**
 * One event: title, when, the answer counts; expanded, every attendee and the actions
 * (resend to those who have not answered, cancel with a confirmation, open in the webmail).
 */
export function EventCard(props: EventCardProps): JSX.Element {
	const {event, now, format, busy, feedback, past, onResend, onCancel, onEdit, onCancelOccurrence} = props;
	const [expanded, setExpanded] = useState(false);
	const [confirming, setConfirming] = useState<'event' | 'occurrence' | undefined>();
	const confirmingCancel = confirming === 'event';
	const setConfirmingCancel = (value: boolean): void => {
		setConfirming(value ? 'event' : undefined);
	};

	const next = event.nextOccurrence ? formatOccurrence(event.nextOccurrence, format) : undefined;
	const when = formatEventWhen(event, format);
	const counts = countAnswers(event.attendees);
	const resend = past ? undefined : resendLabel(event);
	const detailsId = `pmi-event-${event.uid.replaceAll(/[^\w-]/g, '_')}`;
	const rejected = event.delivery.state === 'sent' ? event.delivery.rejected : [];
	return (
		<li class={`pmi-event${event.cancelled ? ' pmi-event-cancelled' : ''}${expanded ? ' pmi-event-expanded' : ''}`}>
			<button
				type="button"
				class="pmi-event-toggle"
				aria-expanded={expanded}
				aria-controls={detailsId}
				aria-label={`${event.summary}, ${when.text}, ${event.cancelled ? 'cancelled' : summariseCounts(counts)}. ${expanded ? 'Hide' : 'Show'} attendees`}
				onClick={() => {
					setExpanded(!expanded);
				}}
			>
				<Icon name="chevron" class="pmi-event-chevron" />
				<span class="pmi-event-main">
					<span class="pmi-event-title">
						<span class="pmi-event-summary">{event.summary}</span>
						{event.cancelled ? <span class="pmi-status pmi-status-declined">Cancelled</span> : null}
					</span>
					<span class="pmi-event-when">{when.text}</span>
					{when.note ? <span class="pmi-event-note">{when.note}</span> : null}
					{event.repeat ? <span class="pmi-event-repeat">Repeats {event.repeat}{next ? ` · next ${next}` : ''}</span> : null}
					<span class="pmi-event-counts">
						{counts.accepted > 0 ? <span class="pmi-dot pmi-dot-accepted" aria-hidden="true" /> : null}
						{summariseCounts(counts)}
					</span>
				</span>
			</button>
			{event.delivery.state === 'not-sent'
				? <p class="pmi-event-warning"><Icon name="alert" /> Not sent: {event.delivery.error}</p>
				: null}
			{rejected.length > 0
				? <p class="pmi-event-warning"><Icon name="alert" /> Not delivered to {rejected.map(item => `${item.address} (${item.reason})`).join(', ')}</p>
				: null}
			{event.plainAnswers && event.plainAnswers.length > 0
				? <PlainAnswerList summary={event.summary} answers={event.plainAnswers} busyKey={props.plainAnswerBusy} onRecord={props.onRecordPlainAnswer} onDismiss={props.onDismissPlainAnswer} />
				: null}
			<div class="pmi-event-details" id={detailsId} hidden={!expanded}>
				<ul class="pmi-attendees" aria-label={`Attendees of ${event.summary}`}>
					{event.attendees.map(attendee => <AttendeeStatusRow key={attendee.email} attendee={attendee} now={now} format={format} />)}
				</ul>
				{event.occurrenceAnswers
					? (
						<ul class="pmi-occurrence-answers" aria-label={`Answers for single occurrences of ${event.summary}`}>
							{event.occurrenceAnswers.map(answer => (
								<li key={`${answer.recurrenceId} ${answer.email}`} class="pmi-occurrence-answer">
									<span title={answer.email}>{answer.name ?? answer.email}</span>
									{' '}
									<span class={`pmi-status pmi-status-${answer.partstat.toLowerCase()}`}>{partstatLabel(answer.partstat)}</span>
									{' '}
									<span>{formatOccurrence(answer.recurrenceId, format)}</span>
								</li>
							))}
						</ul>
					)
					: null}
				{confirming === 'occurrence' && event.nextOccurrence
					? (
						<div class="pmi-confirm" role="group" aria-label="Confirm cancelling one occurrence">
							<p>Cancel “{event.summary}” on {next} only, and tell the attendees?</p>
							<div class="pmi-confirm-buttons">
								<button
									type="button"
									class="pmi-btn pmi-btn-danger pmi-btn-small"
									aria-label={`Yes, cancel ${event.summary} on ${next}`}
									onClick={() => {
										setConfirming(undefined);
										onCancelOccurrence?.(event.uid, event.nextOccurrence!);
									}}
								>
									Cancel this occurrence
								</button>
								<button type="button" class="pmi-btn pmi-btn-secondary pmi-btn-small" aria-label="Keep the occurrence" onClick={() => {
									setConfirming(undefined);
								}}>
									Keep it
								</button>
							</div>
						</div>
					)
					: null}
				{confirming === 'occurrence'
					? null
					: confirmingCancel
					? (
						<div class="pmi-confirm" role="group" aria-label="Confirm cancelling">
							<p>Cancel “{event.summary}” and tell all {event.attendees.length} attendees?</p>
							<div class="pmi-confirm-buttons">
								<button
									type="button"
									class="pmi-btn pmi-btn-danger pmi-btn-small"
									aria-label={`Yes, cancel ${event.summary}`}
									onClick={() => {
										setConfirmingCancel(false);
										onCancel(event.uid);
									}}
								>
									Cancel event
								</button>
								<button
									type="button"
									class="pmi-btn pmi-btn-secondary pmi-btn-small"
									aria-label="Keep the event"
									onClick={() => {
										setConfirmingCancel(false);
									}}
								>
									Keep it
								</button>
							</div>
						</div>
					)
					: (
						<div class="pmi-event-actions">
							{resend
								? (
									<button type="button" class="pmi-link" disabled={busy !== undefined} aria-label={`${resend}: ${event.summary}`} onClick={() => {
										onResend(event.uid);
									}}>
										{busy === 'resend' ? <Spinner /> : <Icon name="send" />}
										<span>{resend}</span>
									</button>
								)
								: null}
							{event.cancelled || past || !onEdit
								? null
								: (
									<button type="button" class="pmi-link" disabled={busy !== undefined} aria-label={`Edit ${event.summary}`} onClick={() => {
										onEdit(event.uid);
									}}>
										<Icon name="edit" />
										<span>Edit</span>
									</button>
								)}
							{event.cancelled || past || !event.nextOccurrence || !props.onEditOccurrence
								? null
								: (
									<button type="button" class="pmi-link" disabled={busy !== undefined} aria-label={`Change ${event.summary} on ${next} only`} onClick={() => {
										props.onEditOccurrence?.(event.uid, event.nextOccurrence!);
									}}>
										<Icon name="edit" />
										<span>Change {next} only</span>
									</button>
								)}
							{event.cancelled || past || !event.nextOccurrence || !onCancelOccurrence
								? null
								: (
									<button type="button" class="pmi-link pmi-link-danger" disabled={busy !== undefined} aria-label={`Cancel ${event.summary} on ${next} only`} onClick={() => {
										setConfirming('occurrence');
									}}>
										{busy === 'occurrence' ? <Spinner /> : <Icon name="trash" />}
										<span>Cancel {next} only</span>
									</button>
								)}
							{event.cancelled || past
								? null
								: (
									<button type="button" class="pmi-link pmi-link-danger" disabled={busy !== undefined} aria-label={`Cancel event ${event.summary}`} onClick={() => {
										setConfirmingCancel(true);
									}}>
										{busy === 'cancel' ? <Spinner /> : <Icon name="trash" />}
										<span>Cancel event</span>
									</button>
								)}
							{event.webmailUrl
								? (
									<a class="pmi-link" href={event.webmailUrl} target="_blank" rel="noreferrer" aria-label={`Open ${event.summary} in the webmail`}>
										<Icon name="external" />
										<span>Open in webmail</span>
									</a>
								)
								: null}
						</div>
					)}
			</div>
			{feedback ? <FeedbackLine feedback={feedback} /> : null}
		</li>
	);
}
