import type {ComponentChildren, JSX} from 'preact';

type FieldProps = {
	/** Id of the control the label names. */
	id: string;
	label: string;
	/** Shown under the control in red; also what `aria-describedby` points to. */
	error?: string | undefined;
	hint?: ComponentChildren;
	/** Labels a group of controls rather than one: rendered as a fieldset with a legend. */
	group?: boolean;
	children: ComponentChildren;
};

/** A labelled row of a form, laid out like Roundcube's `propform` rows: label on the left, control on the right. */
export function Field({id, label, error, hint, group, children}: FieldProps): JSX.Element {
	const body = (
		<div class="pmi-field-control">
			{children}
			{hint ? <div class="pmi-hint" id={`${id}-hint`}>{hint}</div> : null}
			{error ? <div class="pmi-invalid" id={`${id}-error`} role="alert">{error}</div> : null}
		</div>
	);
	if (group) {
		return (
			<fieldset class={`pmi-field${error ? ' pmi-has-error' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
				<legend class="pmi-field-label">{label}</legend>
				{body}
			</fieldset>
		);
	}

	return (
		<div class={`pmi-field${error ? ' pmi-has-error' : ''}`}>
			<label class="pmi-field-label" for={id}>{label}</label>
			{body}
		</div>
	);
}
