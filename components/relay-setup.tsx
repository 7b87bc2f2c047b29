import type {JSX} from 'preact';
import type {NativeRelaySetup} from '@/lib/messaging';
import {relayInstallCommands, relaySetupSummary} from '@/lib/ui/relay-setup';
import {CopyableCommand} from './copyable-command';
import {Icon} from './icon';
import {Spinner} from './spinner';

export type RelaySetupProps = {
	setup: NativeRelaySetup | undefined;
	checking: boolean;
	/** Ask the browser for the nativeMessaging permission (must run in the click). */
	onAllow(): void;
	onCheck(): void;
};

/**
 * The relay the browser starts, as far as it is set up: the commands to install it (when it is not, or while
 * that cannot be known yet), the button that allows it, and once connected its version and the inbox watch.
 */
export function RelaySetup({setup, checking, onAllow, onCheck}: RelaySetupProps): JSX.Element {
	const state = setup?.state;
	return (
		<div class={`pmi-relay-setup pmi-relay-setup-${state ?? 'unknown'}`} role="status" aria-label="Relay set-up">
			<p class={state === 'connected' ? 'pmi-feedback-ok' : undefined}>
				{state === 'connected' ? <Icon name="check" /> : null} {relaySetupSummary(setup)}
			</p>
			{state === 'not-allowed' || state === 'not-installed'
				? (
					<div class="pmi-relay-commands">
						<p>In a terminal (it needs <a href="https://nodejs.org/" target="_blank" rel="noreferrer">Node.js</a> 20 or later):</p>
						{relayInstallCommands.map(command => <CopyableCommand key={command} command={command} />)}
					</div>
				)
				: null}
			<div class="pmi-inline">
				{state === 'not-allowed'
					? (
						<button type="button" class="pmi-btn pmi-btn-primary" aria-label="Allow the extension to start the relay" onClick={onAllow}>
							<Icon name="check" /> <span>Allow</span>
						</button>
					)
					: null}
				<button type="button" class="pmi-btn pmi-btn-secondary" disabled={checking} aria-label="Check the relay again" onClick={onCheck}>
					{checking ? <Spinner /> : <Icon name="refresh" />} <span>Check again</span>
				</button>
			</div>
		</div>
	);
}
