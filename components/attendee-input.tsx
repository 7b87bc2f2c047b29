import type {JSX, TargetedKeyboardEvent} from 'preact';
import {useRef, useState} from 'preact/hooks';
import {addressProblem} from '@/lib/address';
import {mergeAttendees, parseAttendeeInput, removeAttendee, toggleOptional, type AttendeeChip} from '@/lib/ui/attendees';
import {Icon} from './icon';

type AttendeeInputProps = {
	id: string;
	chips: AttendeeChip[];
	/** Addresses never added (the organizer's own). */
	exclude?: readonly string[];
	/** The form's error for the attendees, if any. */
	error?: string | undefined;
	onChange(chips: AttendeeChip[]): void;
};

/**
 * Attendees as chips, like Elastic's recipient widget: type or paste addresses, separated by comma, semicolon or
 * Enter; Backspace in the empty field removes the last chip. Each chip toggles required/optional.
 * Enter in the empty field is left to the form, which sends.
 */
export function AttendeeInput({id, chips, exclude = [], error, onChange}: AttendeeInputProps): JSX.Element {
	const [text, setText] = useState('');
	const [typingError, setTypingError] = useState<string | undefined>();
	// A ref, not getElementById: in the webmail this renders inside a shadow root the document cannot see into.
	const input = useRef<HTMLInputElement>(null);

	/** Turns the typed text into chips; true when something was added. */
	const commit = (value: string, strict: boolean): boolean => {
		const {people, rest} = parseAttendeeInput(value);
		if (people.length === 0) {
			if (strict && value.trim() !== '') {
				setTypingError(addressProblem(value));
			}

			return false;
		}

		onChange(mergeAttendees(chips, people, exclude));
		setText(rest);
		setTypingError(undefined);
		return true;
	};

	const onKeyDown = (event: TargetedKeyboardEvent<HTMLInputElement>): void => {
		const {value} = event.currentTarget;
		if ((event.key === 'Enter' || event.key === ',' || event.key === ';') && value.trim() !== '') {
			event.preventDefault();
			commit(value, true);
		} else if (event.key === 'Backspace' && value === '' && chips.length > 0) {
			event.preventDefault();
			onChange(chips.slice(0, -1));
		}
	};

	const describedBy = [typingError ?? error ? `${id}-error` : '', `${id}-hint`].filter(Boolean).join(' ');
	const shownError = typingError ?? error;
	return (
		<div class={`pmi-field${shownError ? ' pmi-has-error' : ''}`}>
			<label class="pmi-field-label" for={id}>Attendees</label>
			<div class="pmi-field-control">
				<ul
					class={`pmi-chips${shownError ? ' pmi-is-invalid' : ''}`}
					aria-label="Attendees"
					onClick={event => {
						if (event.target === event.currentTarget) {
							input.current?.focus();
						}
					}}
				>
					{chips.map(chip => {
						const problem = addressProblem(chip.email);
						const who = chip.name ? `${chip.name} <${chip.email}>` : chip.email;
						return (
							<li
								key={chip.email}
								class={`pmi-chip${problem ? ' pmi-chip-invalid' : ''}${chip.optional ? ' pmi-chip-optional' : ''}`}
								title={problem ?? who}
							>
								<span class="pmi-chip-name">{chip.name ?? chip.email}</span>
								<button
									type="button"
									class="pmi-chip-role"
									aria-pressed={chip.optional}
									aria-label={`${chip.name ?? chip.email}: ${chip.optional ? 'optional, make required' : 'required, make optional'}`}
									onClick={() => {
										onChange(toggleOptional(chips, chip.email));
									}}
								>
									{chip.optional ? 'optional' : 'required'}
								</button>
								<button
									type="button"
									class="pmi-chip-remove"
									aria-label={`Remove ${chip.email}`}
									onClick={() => {
										onChange(removeAttendee(chips, chip.email));
										input.current?.focus();
									}}
								>
									<Icon name="close" />
								</button>
							</li>
						);
					})}
					<li class="pmi-chip-input">
						<input
							ref={input}
							id={id}
							type="text"
							autocomplete="off"
							spellcheck={false}
							value={text}
							placeholder={chips.length === 0 ? 'name@example.org, …' : ''}
							aria-label="Add attendee e-mail address"
							aria-invalid={shownError ? true : undefined}
							aria-describedby={describedBy}
							onInput={event => {
								setText(event.currentTarget.value);
								setTypingError(undefined);
							}}
							onKeyDown={onKeyDown}
							onPaste={event => {
								const pasted = event.clipboardData?.getData('text') ?? '';
								if (pasted.includes('@')) {
									event.preventDefault();
									commit(`${text}${pasted}`, false);
								}
							}}
							onBlur={event => {
								if (event.currentTarget.value.includes('@')) {
									commit(event.currentTarget.value, false);
								}
							}}
						/>
					</li>
				</ul>
				<div class="pmi-hint" id={`${id}-hint`}>Separate addresses with commas. Point at someone (or Tab to them) to make them optional.</div>
				{shownError ? <div class="pmi-invalid" id={`${id}-error`} role="alert">{shownError}</div> : null}
			</div>
		</div>
	);
}
