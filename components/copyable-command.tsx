import type {JSX} from 'preact';
import {useState} from 'preact/hooks';

/** A command to run in a terminal, selectable as a whole, with a Copy button. */
export function CopyableCommand({command}: {command: string}): JSX.Element {
	const [copied, setCopied] = useState(false);
	return (
		<div class="pmi-command">
			<code>{command}</code>
			<button
				type="button"
				class="pmi-link"
				aria-label={`Copy: ${command}`}
				onClick={() => {
					void navigator.clipboard.writeText(command).then(() => {
						setCopied(true);
					});
				}}
			>
				{copied ? 'Copied' : 'Copy'}
			</button>
		</div>
	);
}
