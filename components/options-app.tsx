import type {JSX} from 'preact';
import type {UserFacingError} from '@/lib/messaging';
import {ErrorBox} from './error-box';
import {Icon} from './icon';
import {OptionsEditor, type OptionsEditorProps} from './options-editor';
import {Spinner} from './spinner';

export type OptionsAppProps = Omit<OptionsEditorProps, 'initial'> & {
	/** Null while the settings are loading. */
	initial: OptionsEditorProps['initial'] | null;
	loadError?: UserFacingError | undefined;
	theme?: 'auto' | 'light' | 'dark';
};

/** The options page: a Roundcube-style settings screen with a header bar and the settings form. */
export function OptionsApp({initial, loadError, theme = 'auto', ...editor}: OptionsAppProps): JSX.Element {
	return (
		<div class={`pmi pmi-theme-${theme} pmi-options`}>
			<header class="pmi-options-header">
				<Icon name="calendar" class="pmi-options-header-icon" />
				<h1>Purelymail Invites</h1>
				<span class="pmi-options-header-sub">Settings</span>
			</header>
			<main class="pmi-options-body">
				{initial
					? <OptionsEditor initial={initial} {...editor} />
					: (loadError
						? <ErrorBox title="Could not load the settings" error={loadError} />
						: <p class="pmi-loading"><Spinner /> Loading…</p>)}
			</main>
		</div>
	);
}
