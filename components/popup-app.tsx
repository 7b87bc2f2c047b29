import type {JSX} from 'preact';
import type {Answer} from '@/lib/itip/index';
import type {EventView, PopupState, UserFacingError} from '@/lib/messaging';
import type {ActionFeedback} from '@/lib/ui/action-feedback';
import {groupEvents} from '@/lib/ui/event-list';
import {formatRelative, type FormatOptions} from '@/lib/ui/format';
import {AgentStatus} from './agent-status';
import {ErrorBox} from './error-box';
import {EventCard} from './event-card';
import {FeedbackLine} from './feedback-line';
import {Icon} from './icon';
import {InvitationItem} from './invitation-item';
import {OtherAppsSent} from './other-apps-sent';
import {ReviewItem, type ReviewBusy} from './review-item';
import {SetupCard} from './setup-card';
import {Spinner} from './spinner';

/** Which action runs for which item: `apply:<key>`, `dismiss:<key>`, `accept:<key>`, `decline:<key>`, `plain:<key>`, `resend:<uid>`, `cancel:<uid>`, `occurrence:<uid>`. */
export type BusyKey = `${'apply' | 'dismiss' | 'accept' | 'decline' | 'plain'}:${string}` | `${'resend' | 'cancel' | 'occurrence'}:${string}` | `answer:${Answer}:${string}`;

export type PopupAppProps = {
	/** Null while the first answer is on its way. */
	state: PopupState | null;
	loadError?: UserFacingError | undefined;
	checking: boolean;
	/** What the last "Check now" found (or why it failed). */
	checkFeedback?: ActionFeedback | undefined;
	busy: ReadonlySet<BusyKey>;
	/** The outcome of the last action per item, by review key or event UID. */
	feedback: Readonly<Record<string, ActionFeedback>>;
	now: Date;
	format: FormatOptions;
	theme?: 'auto' | 'light' | 'dark';
	onCheckNow(): void;
	onApplyAnyway(key: string): void;
	onDismiss(key: string): void;
	onResend(uid: string): void;
	onCancelEvent(uid: string): void;
	onOpenOptions(): void;
	onEdit?: ((uid: string) => void) | undefined;
	onCancelOccurrence?: ((uid: string, recurrenceId: string) => void) | undefined;
	onEditOccurrence?: ((uid: string, recurrenceId: string) => void) | undefined;
	onAcceptProposal?: ((key: string) => void) | undefined;
	onDeclineProposal?: ((key: string) => void) | undefined;
	/** "Invitations for you": answer an invitation (lib/attendee's answer flow). */
	onAnswerInvitation?: ((uid: string, answer: Answer) => void) | undefined;
	onRecordPlainAnswer?: ((key: string, partstat: Answer) => void) | undefined;
	onDismissPlainAnswer?: ((key: string) => void) | undefined;
};

/** The plain-mail answer of this event being recorded or put away, if any. */
function plainBusy(busy: ReadonlySet<BusyKey>, event: EventView): string | undefined {
	return event.plainAnswers?.find(answer => busy.has(`plain:${answer.key}`))?.key;
}

function eventBusy(busy: ReadonlySet<BusyKey>, uid: string): 'resend' | 'cancel' | 'occurrence' | undefined {
	return (['resend', 'cancel', 'occurrence'] as const).find(action => busy.has(`${action}:${uid}`));
}

function answerBusy(busy: ReadonlySet<BusyKey>, uid: string): Answer | undefined {
	return (['ACCEPTED', 'TENTATIVE', 'DECLINED'] as const).find(answer => busy.has(`answer:${answer}:${uid}`));
}

function reviewBusy(busy: ReadonlySet<BusyKey>, key: string): ReviewBusy | undefined {
	return (['apply', 'dismiss', 'accept', 'decline'] as const).find(action => busy.has(`${action}:${key}`));
}

/**
 * The toolbar popup: upcoming events soonest first with their answers, past ones folded away, replies that need
 * a look, and the reply loop's last check with "Check now". Shows the setup card until the extension is set up.
 */
export function PopupApp(props: PopupAppProps): JSX.Element {
	const {state, loadError, checking, checkFeedback, busy, feedback, now, format, theme = 'auto'} = props;
	const header = (
		<header class="pmi-header">
			<Icon name="calendar" class="pmi-header-icon" />
			<h1 class="pmi-header-title">Invitations</h1>
			{state?.configured
				? (
					<button
						type="button"
						class="pmi-header-button"
						disabled={checking}
						aria-label={checking ? 'Checking for answers' : 'Check now for answers'}
						title="Check the mailbox for answers now"
						onClick={props.onCheckNow}
					>
						{checking ? <Spinner /> : <Icon name="refresh" />}
						<span>{checking ? 'Checking…' : 'Check now'}</span>
					</button>
				)
				: null}
			<button type="button" class="pmi-header-button pmi-header-icon-button" aria-label="Settings" title="Settings" onClick={props.onOpenOptions}>
				<Icon name="sliders" />
			</button>
		</header>
	);

	if (!state) {
		return (
			<div class={`pmi pmi-theme-${theme} pmi-popup`}>
				{header}
				<main class="pmi-popup-body">
					{loadError
						? <ErrorBox title="Could not load the invitations" error={loadError} />
						: <p class="pmi-loading"><Spinner /> Loading…</p>}
				</main>
			</div>
		);
	}

	if (!state.configured) {
		return (
			<div class={`pmi pmi-theme-${theme} pmi-popup`}>
				{header}
				<main class="pmi-popup-body">
					<SetupCard onOpenOptions={props.onOpenOptions} />
				</main>
			</div>
		);
	}

	const {upcoming, past} = groupEvents(state.events, now);
	const summaries = new Map(state.events.map(event => [event.uid, event.summary]));
	const byUid = new Map(state.events.map(event => [event.uid, event]));
	const {status} = state;
	return (
		<div class={`pmi pmi-theme-${theme} pmi-popup`}>
			{header}
			{state.agent ? <AgentStatus agent={state.agent} now={now} format={format} /> : (
				<div class="pmi-statusbar" aria-live="polite">
					<Icon name="clock" />
					<span>
						{status.lastCheck ? `Checked ${formatRelative(status.lastCheck, now, format)}` : 'Not checked yet'}
					</span>
				</div>
			)}
			<main class="pmi-popup-body">
				{checkFeedback && checkFeedback.kind === 'error'
					? <ErrorBox title="Checking for answers failed" error={{code: 'check', message: checkFeedback.text, ...(checkFeedback.action ? {action: checkFeedback.action} : {})}} />
					: null}
				{!checkFeedback && status.lastError
					? <ErrorBox title="The last check failed" error={{code: 'check', message: status.lastError}} />
					: null}
				{checkFeedback && checkFeedback.kind === 'ok' ? <FeedbackLine feedback={checkFeedback} /> : null}

				{state.invitations && state.invitations.length > 0 && props.onAnswerInvitation
					? (
						<section class="pmi-section pmi-section-invitations" aria-labelledby="pmi-invitations-title">
							<h2 class="pmi-section-title" id="pmi-invitations-title">
								<Icon name="calendar" />
								<span>Invitations for you</span>
								<span class="pmi-count">{state.invitations.length}</span>
							</h2>
							<ul class="pmi-list">
								{state.invitations.map(invitation => (
									<InvitationItem
										key={invitation.uid}
										invitation={invitation}
										format={format}
										busy={answerBusy(busy, invitation.uid)}
										feedback={feedback[invitation.uid]}
										onAnswer={props.onAnswerInvitation!}
									/>
								))}
							</ul>
						</section>
					)
					: null}

				{state.review.length > 0
					? (
						<section class="pmi-section pmi-section-review" aria-labelledby="pmi-review-title">
							<h2 class="pmi-section-title" id="pmi-review-title">
								<Icon name="eye" />
								<span>Needs your eye</span>
								<span class="pmi-count">{state.review.length}</span>
							</h2>
							<ul class="pmi-list">
								{state.review.map(outcome => (
									<ReviewItem
										key={outcome.key}
										outcome={outcome}
										eventSummary={outcome.eventUid ? summaries.get(outcome.eventUid) : undefined}
										eventWhen={outcome.eventUid ? byUid.get(outcome.eventUid) : undefined}
										now={now}
										format={format}
										busy={reviewBusy(busy, outcome.key)}
										feedback={feedback[outcome.key]}
										onApply={props.onApplyAnyway}
										onDismiss={props.onDismiss}
										onAcceptProposal={props.onAcceptProposal}
										onDeclineProposal={props.onDeclineProposal}
									/>
								))}
							</ul>
						</section>
					)
					: null}

				<OtherAppsSent records={state.sentForOtherApps ?? []} now={now} format={format} />

				<section class="pmi-section" aria-labelledby="pmi-upcoming-title">
					<h2 class="pmi-section-title" id="pmi-upcoming-title">
						<span>Upcoming</span>
						{upcoming.length > 0 ? <span class="pmi-count">{upcoming.length}</span> : null}
					</h2>
					{upcoming.length === 0
						? (
							<p class="pmi-empty">
								No upcoming invitations. Write an e-mail in Purelymail’s webmail and click <strong>Add invite</strong>.
							</p>
						)
						: (
							<ul class="pmi-list">
								{upcoming.map(event => (
									<EventCard
										key={event.uid}
										event={event}
										now={now}
										format={format}
										busy={eventBusy(busy, event.uid)}
										feedback={feedback[event.uid]}
										onResend={props.onResend}
										onCancel={props.onCancelEvent}
										onEdit={props.onEdit}
										onCancelOccurrence={props.onCancelOccurrence}
										onEditOccurrence={props.onEditOccurrence}
										plainAnswerBusy={plainBusy(busy, event)}
										onRecordPlainAnswer={props.onRecordPlainAnswer}
										onDismissPlainAnswer={props.onDismissPlainAnswer}
									/>
								))}
							</ul>
						)}
				</section>

				{past.length > 0
					? (
						<details class="pmi-section pmi-past">
							<summary class="pmi-section-title">
								<Icon name="chevron" class="pmi-past-chevron" />
								<span>Past</span>
								<span class="pmi-count">{past.length}</span>
							</summary>
							<ul class="pmi-list">
								{past.map(event => (
									<EventCard
										key={event.uid}
										past
										event={event}
										now={now}
										format={format}
										feedback={feedback[event.uid]}
										onResend={props.onResend}
										onCancel={props.onCancelEvent}
									/>
								))}
							</ul>
						</details>
					)
					: null}
			</main>
		</div>
	);
}
