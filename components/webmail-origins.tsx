import type {JSX} from 'preact';
import {useState} from 'preact/hooks';
import {addWebmailOrigin} from '@/lib/ui/options-form';
import {Icon} from './icon';

type WebmailOriginsProps = {
	id: string;
	origins: string[];
	onChange(origins: string[]): void;
};

/** Other Roundcube addresses where the Add invite button should appear; the browser asks for access on save. */
export function WebmailOrigins({id, origins, onChange}: WebmailOriginsProps): JSX.Element {
	const [text, setText] = useState('');
	const [error, setError] = useState<string | undefined>();
	const add = (): void => {
		const result = addWebmailOrigin(origins, text);
		if (result.ok) {
			onChange(result.origins);
			setText('');
			setError(undefined);
		} else {
			setError(result.error);
		}
	};

	return (
		<div class="pmi-stack">
			{origins.length > 0
				? (
					<ul class="pmi-origins" aria-label="Other webmail addresses">
						{origins.map(origin => (
							<li key={origin} class="pmi-origin">
								<span>{origin}</span>
								<button
									type="button"
									class="pmi-link pmi-link-danger"
									aria-label={`Remove ${origin}`}
									onClick={() => {
										onChange(origins.filter(item => item !== origin));
									}}
								>
									<Icon name="close" />
									<span>Remove</span>
								</button>
							</li>
						))}
					</ul>
				)
				: null}
			<div class="pmi-input-group">
				<input
					id={id}
					type="text"
					class={`pmi-input${error ? ' pmi-is-invalid' : ''}`}
					value={text}
					placeholder="mail.example.org"
					aria-label="Add a webmail address"
					aria-invalid={error ? true : undefined}
					aria-describedby={error ? `${id}-error` : `${id}-hint`}
					onInput={event => {
						setText(event.currentTarget.value);
						setError(undefined);
					}}
					onKeyDown={event => {
						if (event.key === 'Enter') {
							event.preventDefault();
							add();
						}
					}}
				/>
				<button type="button" class="pmi-btn pmi-btn-secondary pmi-input-group-button" aria-label="Add this webmail address" onClick={add}>Add</button>
			</div>
			{error ? <div class="pmi-invalid" id={`${id}-error`} role="alert">{error}</div> : null}
			<div class="pmi-hint" id={`${id}-hint`}>Another Roundcube webmail where you want the Add invite button. Saving asks the browser to let the extension run there. Purelymail’s own is always on.</div>
		</div>
	);
}
