import type {JSX} from 'preact';
import {useState} from 'preact/hooks';
import type {AnswerChoice} from '@/lib/attendee/types';
import type {Answer} from '@/lib/itip/index';
import {applyAnywayLabel} from '@/lib/ui/apply-anyway-label';
import {answerLabel, occurrenceChoice, type CardView} from '@/lib/ui/invitation-card';
import type {CardEvent} from '@/lib/ui/invitation-event';
import type {SendState} from '@/lib/ui/send-progress';
import {onUserEvent} from '@/lib/ui/user-event';
import {ErrorBox} from './error-box';
import {Icon, type IconName} from './icon';
import {SendSteps} from './send-steps';

export type InvitationCardProps = {
	view: CardView;
	/** The last button's progress and outcome (the same steps as sending an invite). */
	action: SendState;
	theme: 'light' | 'dark';
	onAnswer(choice: AnswerChoice): void;
	onAdd(): void;
	onRemove(): void;
	/** The user's own event: open the editor for it (the same composer as the popup's Edit). */
	onEdit(uid: string): void;
};

const titles: Record<CardView['kind'], {icon: IconName; text: string}> = {
	invitation: {icon: 'calendar', text: 'Invitation'},
	update: {icon: 'refresh', text: 'Updated invitation'},
	cancellation: {icon: 'close', text: 'Cancelled by the organizer'},
	reply: {icon: 'send', text: 'Answer to your invitation'},
	own: {icon: 'calendar', text: 'Your invitation'},
	warning: {icon: 'alert', text: 'Not from the organizer: nothing was changed'},
	notice: {icon: 'calendar', text: 'Calendar message'},
};

const answers: readonly Answer[] = ['ACCEPTED', 'TENTATIVE', 'DECLINED'];
const answerClass: Record<Answer, string> = {ACCEPTED: 'pmi-btn-primary', TENTATIVE: 'pmi-btn-secondary', DECLINED: 'pmi-btn-danger'};

function Row({icon, label, children}: {icon: IconName; label: string; children: JSX.Element | JSX.Element[] | string}): JSX.Element {
	return (
		<div class="pmi-card-row">
			<Icon name={icon} class="pmi-card-row-icon" />
			<span class="pmi-voice">{label}: </span>
			<div class="pmi-card-row-value">{children}</div>
		</div>
	);
}

function person(who: {email: string; name?: string}): string {
	return who.name ? `${who.name} <${who.email}>` : who.email;
}

/** The event as the organizer describes it; `links` is false for a message that failed a trust rule (no link to follow). */
function EventDetails({event, links}: {event: CardEvent; links: boolean}): JSX.Element {
	return (
		<div class="pmi-card-details">
			<h3 class="pmi-card-title">{event.title}</h3>
			<Row icon="clock" label="When">
				<span>{event.when}</span>
				{event.organizerWhen ? <span class="pmi-hint pmi-card-own-time">Organizer's time: {event.organizerWhen}</span> : <></>}
			</Row>
			{event.repeat ? <Row icon="repeat" label="Repeats">{event.repeat}</Row> : null}
			{event.location ? (
				<Row icon="pin" label="Where">
					{event.location.href && links
						? <a class="pmi-card-link" href={event.location.href} target="_blank" rel="noopener noreferrer nofollow">{event.location.text}</a>
						: <span>{event.location.text}</span>}
				</Row>
			) : null}
			{event.organizer ? <Row icon="edit" label="Organizer">{`Organizer: ${person(event.organizer)}`}</Row> : null}
			{event.attendees.length > 0 ? (
				<Row icon="users" label="Attendees">
					<ul class="pmi-card-attendees">
						{event.attendees.map(attendee => (
							<li key={attendee.email} class="pmi-card-attendee">
								<span class="pmi-card-attendee-name" title={attendee.email}>{attendee.name ?? attendee.email}{attendee.optional ? ' (optional)' : ''}</span>
								<span class={`pmi-status pmi-status-${attendee.partstat.toLowerCase()}`}>{attendee.label}</span>
							</li>
						))}
					</ul>
				</Row>
			) : null}
			{event.description ? (
				<details class="pmi-card-description">
					<summary>Description</summary>
					<p>{event.description}</p>
				</details>
			) : null}
		</div>
	);
}

type AnswerFormProps = {
	view: Extract<CardView, {kind: 'invitation' | 'update'}>;
	busy: boolean;
	onAnswer(choice: AnswerChoice): void;
	onAdd(): void;
};

/** Accept / Maybe / Decline with an optional comment, and for a repeating event all occurrences or one. */
function AnswerForm({view, busy, onAnswer, onAdd}: AnswerFormProps): JSX.Element {
	const [comment, setComment] = useState('');
	const [scope, setScope] = useState<'all' | 'one'>('all');
	const [occurrence, setOccurrence] = useState(view.event.occurrences[0]?.id);
	const answer = (value: Answer): void => {
		const chosen = occurrenceChoice(scope, occurrence);
		onAnswer({answer: value, ...(comment.trim() ? {comment: comment.trim()} : {}), ...(chosen ? {occurrence: chosen} : {})});
	};

	return (
		<div class="pmi-card-answer">
			{view.event.occurrences.length > 0 ? (
				<fieldset class="pmi-card-scope">
					<legend class="pmi-voice">Answer for</legend>
					<label class="pmi-radio"><input type="radio" name="pmi-card-scope" checked={scope === 'all'} onChange={() => {
						setScope('all');
					}} /> All occurrences</label>
					<label class="pmi-radio"><input type="radio" name="pmi-card-scope" checked={scope === 'one'} onChange={() => {
						setScope('one');
					}} /> This one:</label>
					<select class="pmi-input pmi-select pmi-card-occurrence" aria-label="Occurrence" value={occurrence} disabled={scope !== 'one'} onChange={event => {
						setOccurrence(event.currentTarget.value);
					}}>
						{view.event.occurrences.map(item => <option key={item.id} value={item.id}>{item.label}</option>)}
					</select>
				</fieldset>
			) : null}
			<input
				class="pmi-input pmi-card-comment"
				type="text"
				aria-label="Comment to the organizer (optional)"
				placeholder="Comment to the organizer (optional)"
				maxLength={1000}
				value={comment}
				onInput={event => {
					setComment(event.currentTarget.value);
				}}
			/>
			<div class="pmi-card-buttons">
				{answers.map(value => (
					<button
						key={value}
						type="button"
						class={`pmi-btn ${answerClass[value]}`}
						aria-pressed={view.myAnswer === value}
						disabled={busy}
						onClick={onUserEvent(() => {
							answer(value);
						})}
					>
						{view.myAnswer === value ? <Icon name="check" /> : null}
						{answerLabel(value)}
					</button>
				))}
				{view.inCalendar && view.kind === 'invitation' ? null : (
					<button type="button" class="pmi-link pmi-card-add" disabled={busy} onClick={onUserEvent(onAdd)}>
						{view.kind === 'update' ? 'Update my calendar without answering' : 'Add to calendar'}
					</button>
				)}
			</div>
		</div>
	);
}

/**
 * The invitation card above a message in Roundcube: what the message is and what can be done with it.
 * Every button acts on the user's own click only (`onUserEvent`, issue 12): a script of the webmail page must not
 * answer, add, remove or edit an event by clicking for the user.
 */
export function InvitationCard({view, action, theme, onAnswer, onAdd, onRemove, onEdit}: InvitationCardProps): JSX.Element {
	const busy = action.phase === 'sending';
	const title = titles[view.kind];
	return (
		<section class={`pmi pmi-theme-${theme} pmi-card pmi-card-${view.kind}`} aria-label={title.text} data-pmi-card={view.kind}>
			<header class="pmi-card-header">
				<Icon name={title.icon} class="pmi-card-header-icon" />
				<h2 class="pmi-card-heading">{title.text}</h2>
			</header>
			{view.kind === 'warning' ? (
				<div class="pmi-box pmi-box-warning" role="alert">
					<Icon name="alert" class="pmi-box-icon" />
					<div class="pmi-box-body">
						<strong class="pmi-box-title">Do not trust this message</strong>
						<p class="pmi-box-message">{view.problem}</p>
					</div>
				</div>
			) : null}
			{view.event ? <EventDetails event={view.event} links={view.kind !== 'warning'} /> : null}
			{view.kind === 'update' && view.changed.length > 0 ? <p class="pmi-card-changed"><strong>Changed:</strong> {view.changed.join(', ')}.</p> : null}
			{view.kind === 'cancellation' && view.occurrences.length > 0 ? <p class="pmi-card-changed"><strong>Cancelled:</strong> {view.occurrences.join(', ')}; the other occurrences stay.</p> : null}
			{'note' in view && view.note ? <p class="pmi-hint pmi-card-note">{view.note}</p> : null}
			{view.kind === 'notice' || view.kind === 'own' ? <p class="pmi-card-note">{view.text}</p> : null}
			{view.kind === 'own' && view.editable ? (
				<div class="pmi-card-buttons">
					<button type="button" class="pmi-btn pmi-btn-primary" aria-label={`Edit ${view.event.title}`} disabled={busy} onClick={onUserEvent(() => {
						onEdit(view.event.uid);
					})}>
						<Icon name="edit" />Edit
					</button>
				</div>
			) : null}
			{view.kind === 'reply' ? (
				<p class={`pmi-card-reply-text ${view.recorded ? 'pmi-card-reply-recorded' : ''}`}>
					{view.recorded ? <Icon name="check" /> : null}
					<span>{view.text}</span>
				</p>
			) : null}
			{(view.kind === 'invitation' || view.kind === 'update') && view.lastReply ? (
				<p class={`pmi-card-last ${view.lastReply.failed ? 'pmi-warning' : ''}`} role="status">
					<span>{view.lastReply.text}</span>
					{view.lastReply.failed ? (
						<button type="button" class="pmi-btn pmi-btn-secondary pmi-btn-small" disabled={busy} onClick={onUserEvent(() => {
							onAnswer(view.lastReply!.choice);
						})}>Send it again</button>
					) : null}
				</p>
			) : null}
			{view.kind === 'invitation' || view.kind === 'update' ? <AnswerForm view={view} busy={busy} onAnswer={onAnswer} onAdd={onAdd} /> : null}
			{view.kind === 'cancellation' && view.inCalendar ? (
				<div class="pmi-card-buttons">
					<button type="button" class="pmi-btn pmi-btn-danger" disabled={busy} onClick={onUserEvent(onRemove)}>
						<Icon name="trash" />{view.occurrences.length > 0 ? 'Remove it from my calendar' : 'Remove from my calendar'}
					</button>
				</div>
			) : null}
			{view.kind === 'reply' && view.review ? (
				// Applying a reply that failed a check is the popup's alone (issue 12: the webmail's content script may not).
				<p class="pmi-hint pmi-card-note">{`To apply it anyway ("${applyAnywayLabel(view.review.check)}") or dismiss it, open Purelymail Invites from the toolbar: it is under "Needs your eye".`}</p>
			) : null}
			{action.phase === 'idle' ? null : <SendSteps steps={action.steps} />}
			{action.phase === 'failed' ? <ErrorBox error={action.error} title="That did not work" /> : null}
		</section>
	);
}
