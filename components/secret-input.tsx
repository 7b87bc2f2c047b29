import type {JSX, TargetedInputEvent} from 'preact';
import {useState} from 'preact/hooks';
import {Icon} from './icon';

type SecretInputProps = {
	id: string;
	label: string;
	value: string;
	invalid?: boolean;
	describedBy?: string;
	autocomplete?: string;
	onInput(value: string): void;
};

/** A password or token field with a show/hide button, drawn as Elastic's input group with an addon. */
export function SecretInput({id, label, value, invalid, describedBy, autocomplete = 'off', onInput}: SecretInputProps): JSX.Element {
	const [shown, setShown] = useState(false);
	const common = {
		id,
		class: `pmi-input${invalid ? ' pmi-is-invalid' : ''}`,
		value,
		autocomplete,
		spellcheck: false,
		'aria-label': label,
		'aria-invalid': invalid ? true : undefined,
		'aria-describedby': describedBy,
		onInput(event: TargetedInputEvent<HTMLInputElement>) {
			onInput(event.currentTarget.value);
		},
	};
	return (
		<div class="pmi-input-group">
			{/* Two elements, not one with a changing type: Preact types `type` per kind of input. */}
			{shown ? <input type="text" {...common} /> : <input type="password" {...common} />}
			<button
				type="button"
				class="pmi-input-addon"
				aria-label={shown ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
				aria-pressed={shown}
				title={shown ? 'Hide' : 'Show'}
				onClick={() => {
					setShown(!shown);
				}}
			>
				<Icon name="eye" />
			</button>
		</div>
	);
}
