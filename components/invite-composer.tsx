import type {JSX, TargetedKeyboardEvent} from 'preact';
import {useEffect, useRef, useState} from 'preact/hooks';
import type {InviteDraft} from '@/lib/messaging';
import {toInviteDraft, validateComposerForm, type ComposerErrors, type ComposerField, type ComposerForm} from '@/lib/ui/composer-form';
import type {SendState} from '@/lib/ui/send-progress';
import {byUser} from '@/lib/ui/user-event';
import {AttendeeInput} from './attendee-input';
import {ErrorBox} from './error-box';
import {Field} from './field';
import {Icon} from './icon';
import {RepeatFields} from './repeat-fields';
import {SendSteps} from './send-steps';
import {SentPanel} from './sent-panel';
import {Spinner} from './spinner';
import {WhenFields} from './when-fields';

export type InviteComposerProps = {
	initial: ComposerForm;
	/** The compose form's message text, offered as the description. */
	bodyText?: string;
	organizer: {email: string; name: string} | null;
	/** False until the extension has an account: sending is off and the settings are offered. */
	configured: boolean;
	zones: readonly string[];
	browserZone: string;
	/** The clock, for the "in the past" warning; the content script passes the time the composer opened. */
	now: Date;
	send: SendState;
	/** Roundcube's dark mode (class `dark-mode` on its html element). */
	theme: 'light' | 'dark';
	/** False when the page has no way to leave compose: the draft is then not offered for discarding. */
	canDiscardDraft: boolean;
	/** `edit`: a sent invitation, prefilled from the event; the button sends an update. `occurrence`: the same for one occurrence, without repeat. */
	mode?: 'new' | 'edit' | 'occurrence';
	/** Who will be told what if the form were sent now ("Alex and Sam get the new time; Kim is removed and told"). */
	describe?: (form: ComposerForm) => string | undefined;
	onSend(draft: InviteDraft): void;
	onClose(): void;
	onDiscardDraft(): void;
	onOpenOptions(): void;
};

/** Where the focus goes for each field's error, in the order the form shows them. */
const fieldOrder: Array<[ComposerField, string]> = [
	['summary', 'summary'],
	['attendees', 'attendees'],
	['date', 'when-date'],
	['startTime', 'when-start'],
	['endTime', 'when-end'],
	['endDate', 'when-end-date'],
	['timeZone', 'when-zone'],
	['repeat', 'repeat'],
];

const focusable = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The invite composer: a dialog over Roundcube's compose screen, in Elastic's dialog look.
 * Holds the form while it is edited; sending and its progress belong to the caller (`send`, `onSend`).
 * Keyboard: Tab stays inside, Escape closes, Enter in the last field (Location) or Ctrl+Enter anywhere sends.
 */
export function InviteComposer(props: InviteComposerProps): JSX.Element {
	const {initial, bodyText, organizer, configured, zones, browserZone, now, send, theme, canDiscardDraft, mode = 'new'} = props;
	const editing = mode !== 'new';
	const [form, setForm] = useState(initial);
	const [showErrors, setShowErrors] = useState(false);
	const dialog = useRef<HTMLDivElement>(null);
	const errors: ComposerErrors = showErrors ? validateComposerForm(form) : {};
	const sending = send.phase === 'sending';
	const idPrefix = 'pmi-composer';

	const byId = (suffix: string): HTMLElement | null => dialog.current?.querySelector<HTMLElement>(`#${idPrefix}-${suffix}`) ?? null;

	useEffect(() => {
		byId(initial.summary === '' ? 'summary' : initial.attendees.length === 0 ? 'attendees' : 'summary')?.focus();
		// eslint-disable-next-line react-hooks/exhaustive-deps -- focus moves once, when the dialog opens, not on every edit
	}, []);

	/**
	 * Sends on the user's own click or key press only (issue 12, `byUser`): the Send button and the keys act
	 * directly, and the form's submit sends nothing.
	 */
	const submit = (event: Event): void => {
		if (!byUser(event) || sending || !configured) {
			return;
		}

		const result = toInviteDraft(form);
		if (!result.ok) {
			setShowErrors(true);
			const first = fieldOrder.find(([field]) => result.errors[field]);
			if (first) {
				// After the render that shows the messages, so that the field's description is there when read out.
				setTimeout(() => byId(first[1])?.focus(), 0);
			}

			return;
		}

		props.onSend(result.draft);
	};

	const onKeyDown = (event: TargetedKeyboardEvent<HTMLDivElement>): void => {
		if (event.key === 'Escape') {
			event.preventDefault();
			props.onClose();
			return;
		}

		if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && send.phase !== 'sent') {
			event.preventDefault();
			submit(event);
			return;
		}

		// Enter sends from the last field (Location) only; in the others a stray Enter must not send half a form.
		// The attendee field and the time-zone list have used their Enter already (defaultPrevented).
		if (event.key === 'Enter' && !event.defaultPrevented && event.target instanceof HTMLInputElement) {
			event.preventDefault();
			if (event.target.id === `${idPrefix}-location`) {
				submit(event);
			}
		}

		if (event.key === 'Tab' && dialog.current) {
			// A modal dialog: Tab cycles through its own controls and never reaches the page behind.
			const items = [...dialog.current.querySelectorAll<HTMLElement>(focusable)].filter(item => item.offsetParent !== null || item === document.activeElement);
			const first = items[0];
			const last = items.at(-1);
			const active = dialog.current.getRootNode() instanceof ShadowRoot ? (dialog.current.getRootNode() as ShadowRoot).activeElement : document.activeElement;
			if (event.shiftKey && active === first) {
				event.preventDefault();
				last?.focus();
			} else if (!event.shiftKey && active === last) {
				event.preventDefault();
				first?.focus();
			}
		}
	};

	const set = (changes: Partial<ComposerForm>): void => {
		setForm({...form, ...changes});
	};

	return (
		<div class={`pmi pmi-theme-${theme}`}>
			{/* No close on a click outside: a stray click must not throw away a half-written invitation. */}
			<div class="pmi-overlay" />
			<div
				ref={dialog}
				class="pmi-dialog"
				role="dialog"
				aria-modal="true"
				aria-labelledby={`${idPrefix}-title`}
				onKeyDown={onKeyDown}
			>
				<header class="pmi-dialog-titlebar">
					<Icon name="calendar" class="pmi-dialog-title-icon" />
					<h2 class="pmi-dialog-title" id={`${idPrefix}-title`}>{send.phase === 'sent' ? (editing ? 'Update sent' : 'Invitation sent') : (mode === 'occurrence' ? 'Change one occurrence' : (editing ? 'Edit invitation' : 'Add invite'))}</h2>
					{organizer ? <span class="pmi-dialog-subtitle">from {organizer.email}</span> : null}
					<button type="button" class="pmi-dialog-close" aria-label="Close" title="Close (Esc)" onClick={props.onClose}>
						<Icon name="close" />
					</button>
				</header>
				{send.phase === 'sent'
					? (
						<SentPanel
							state={send}
							canDiscardDraft={canDiscardDraft}
							onDiscardDraft={props.onDiscardDraft}
							onClose={props.onClose}
						/>
					)
					: (
						<form
							class="pmi-dialog-form"
							noValidate
							aria-label="Invitation"
							onSubmit={event => {
								// Never sends: see `submit`.
								event.preventDefault();
							}}
						>
							<div class="pmi-dialog-content">
								{configured
									? null
									: (
										<ErrorBox
											title="Set up Purelymail Invites first"
											error={{code: 'not-configured', message: 'The extension needs your Purelymail address, an app password and the relay before it can send invitations.'}}
										>
											<button type="button" class="pmi-btn pmi-btn-primary" onClick={props.onOpenOptions}>Open settings</button>
										</ErrorBox>
									)}
								<fieldset class="pmi-fields" disabled={sending}>
									<Field id={`${idPrefix}-summary`} label="Title" error={errors.summary}>
										<input
											id={`${idPrefix}-summary`}
											type="text"
											class={`pmi-input${errors.summary ? ' pmi-is-invalid' : ''}`}
											value={form.summary}
											placeholder="What is it about?"
											aria-label="Title"
											aria-invalid={errors.summary ? true : undefined}
											aria-describedby={errors.summary ? `${idPrefix}-summary-error` : undefined}
											onInput={event => {
												set({summary: event.currentTarget.value});
											}}
										/>
									</Field>
									<AttendeeInput
										id={`${idPrefix}-attendees`}
										chips={form.attendees}
										exclude={organizer ? [organizer.email] : []}
										error={errors.attendees}
										onChange={attendees => {
											set({attendees});
										}}
									/>
									<WhenFields
										id={`${idPrefix}-when`}
										form={form}
										errors={errors}
										zones={zones}
										browserZone={browserZone}
										now={now}
										onChange={setForm}
									/>
									{mode === 'occurrence'
										? null
										: (
											<RepeatFields
												id={`${idPrefix}-repeat`}
												repeat={form.repeat}
												date={form.date}
												error={errors.repeat}
												onChange={repeat => {
													set({repeat});
												}}
											/>
										)}
									<Field
										id={`${idPrefix}-description`}
										label="Description"
										hint={bodyText && form.description !== bodyText
											? (
												<button
													type="button"
													class="pmi-link"
													aria-label="Use the e-mail's text as the description"
													onClick={() => {
														set({description: bodyText});
													}}
												>
													Use the e-mail’s text
												</button>
											)
											: undefined}
									>
										<textarea
											id={`${idPrefix}-description`}
											class="pmi-input pmi-textarea"
											rows={3}
											value={form.description}
											aria-label="Description"
											onInput={event => {
												set({description: event.currentTarget.value});
											}}
										/>
									</Field>
									<Field id={`${idPrefix}-location`} label="Location">
										<input
											id={`${idPrefix}-location`}
											type="text"
											class="pmi-input"
											value={form.location}
											placeholder="Room, address or video link"
											aria-label="Location"
											enterKeyHint="send"
											onInput={event => {
												set({location: event.currentTarget.value});
											}}
										/>
									</Field>
								</fieldset>
								{props.describe && !sending
									? <p class="pmi-update-plan" role="status" aria-live="polite">{props.describe(form)}</p>
									: null}
								{send.phase === 'sending' || send.phase === 'failed' ? <SendSteps steps={send.steps} /> : null}
								{send.phase === 'failed'
									? (
										<ErrorBox title={editing ? 'The update was not sent' : 'The invitation was not sent'} error={send.error}>
											{send.error.code === 'not-configured' || send.error.code === 'mailbox-auth' || send.error.code === 'caldav-auth'
												? <button type="button" class="pmi-btn pmi-btn-secondary" onClick={props.onOpenOptions}>Open settings</button>
												: null}
										</ErrorBox>
									)
									: null}
							</div>
							<footer class="pmi-dialog-buttonpane">
								<span class="pmi-buttonpane-note">{sending ? 'Sending…' : 'Ctrl+Enter sends'}</span>
								<button type="button" class="pmi-btn pmi-btn-secondary" onClick={props.onClose}>Cancel</button>
								<button
									type="button"
									class="pmi-btn pmi-btn-primary"
									disabled={sending || !configured}
									onClick={event => {
										submit(event);
									}}
									aria-label={send.phase === 'failed' ? (editing ? 'Try sending the update again' : 'Try sending the invite again') : (editing ? 'Send update' : 'Send invite')}
								>
									{sending ? <Spinner class="pmi-spinner-on-primary" /> : <Icon name="send" />}
									<span>{send.phase === 'failed' ? 'Try again' : (editing ? 'Send update' : 'Send invite')}</span>
								</button>
							</footer>
						</form>
					)}
			</div>
		</div>
	);
}
