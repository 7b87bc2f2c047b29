import type {ComponentChildren, JSX} from 'preact';
import type {UserFacingError} from '@/lib/messaging';
import {Icon} from './icon';

type ErrorBoxProps = {
	error: UserFacingError;
	/** A heading before the message, e.g. "Could not send the invitation". */
	title?: string;
	/** Buttons for what can be done here (retry, open settings). */
	children?: ComponentChildren;
};

/** A problem and what to do about it, in Elastic's red message box. The action may be a command: it is selectable. */
export function ErrorBox({error, title, children}: ErrorBoxProps): JSX.Element {
	return (
		<div class="pmi-box pmi-box-error" role="alert">
			<Icon name="alert" class="pmi-box-icon" />
			<div class="pmi-box-body">
				{title ? <strong class="pmi-box-title">{title}</strong> : null}
				<p class="pmi-box-message">{error.message}</p>
				{error.action ? <p class="pmi-box-action">{renderAction(error.action)}</p> : null}
				{children ? <div class="pmi-box-buttons">{children}</div> : null}
			</div>
		</div>
	);
}

/** `Start it with `npm run relay`.` → the part in backticks as code, so that it can be copied as it is. */
function renderAction(action: string): ComponentChildren {
	return action.split(/(`[^`]+`)/).map((part, index) =>
		part.startsWith('`') && part.endsWith('`') && part.length > 2
			? <code key={index}>{part.slice(1, -1)}</code>
			: part);
}
