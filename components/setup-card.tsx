import type {JSX} from 'preact';
import {Icon} from './icon';

/** First run: what the extension needs and the button that opens the options page. */
export function SetupCard({onOpenOptions}: {onOpenOptions(): void}): JSX.Element {
	return (
		<section class="pmi-setup" aria-labelledby="pmi-setup-title">
			<Icon name="calendar" class="pmi-setup-icon" />
			<h2 id="pmi-setup-title" class="pmi-setup-title">Set up Purelymail Invites</h2>
			<p class="pmi-setup-text">
				Add your Purelymail address, an app password and the relay’s token. Then an <strong>Add invite</strong> button
				appears when you write an e-mail in Purelymail, and the answers show up here.
			</p>
			<button type="button" class="pmi-btn pmi-btn-primary" onClick={onOpenOptions}>
				<Icon name="sliders" />
				<span>Open settings</span>
			</button>
		</section>
	);
}
