import type {JSX} from 'preact';

type SwitchProps = {
	id: string;
	label: string;
	checked: boolean;
	disabled?: boolean;
	onChange(checked: boolean): void;
};

/** Elastic's `custom-switch`: a checkbox drawn as a sliding toggle, with its label after it. */
export function Switch({id, label, checked, disabled, onChange}: SwitchProps): JSX.Element {
	return (
		<label class="pmi-switch" for={id}>
			<input
				id={id}
				type="checkbox"
				role="switch"
				checked={checked}
				disabled={disabled}
				aria-label={label}
				aria-checked={checked}
				onChange={event => {
					onChange(event.currentTarget.checked);
				}}
			/>
			<span class="pmi-switch-track" aria-hidden="true" />
			<span class="pmi-switch-label">{label}</span>
		</label>
	);
}
