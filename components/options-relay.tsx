import type {JSX} from 'preact';
import type {NativeRelaySetup} from '@/lib/messaging';
import type {Settings} from '@/lib/model';
import type {OptionsErrors} from '@/lib/ui/options-form';
import {Field} from './field';
import {Icon} from './icon';
import {RelaySetup} from './relay-setup';
import {SecretInput} from './secret-input';
import {Switch} from './switch';

/** Why plain http:// is refused elsewhere: the token and app password would cross the network in clear (lib/relay-client/relay-url.ts). */
const relayAddressHint = 'https:// for a relay on another machine; plain http:// only for 127.0.0.1, [::1] or localhost. Before it gets the token or your password, the relay must prove it holds the token.';

type OptionsRelayProps = {
	/** The id prefix of the options form. */
	id: string;
	settings: Pick<Settings, 'relayMode' | 'relayUrl' | 'relayToken'>;
	errors: OptionsErrors;
	/** The relay the browser starts: where its set-up stands, and the two actions on it. */
	relaySetup?: NativeRelaySetup | undefined;
	checkingRelay?: boolean | undefined;
	onAllowRelay?: (() => void) | undefined;
	onCheckRelay?: (() => void) | undefined;
	setSettings(changes: Partial<Settings>): void;
};

/** The options form's Relay section: the relay the browser starts, and (folded) a relay on another machine. */
export function OptionsRelay({id, settings, errors, relaySetup, checkingRelay, onAllowRelay, onCheckRelay, setSettings}: OptionsRelayProps): JSX.Element {
	return (
		<>
			<fieldset class="pmi-section-box">
				<legend>Relay</legend>
				<p class="pmi-section-intro">
					The relay is a small program on this computer that sends and reads mail for the extension.
					The browser starts it when needed: nothing to keep running, no port, no token.
				</p>
				{settings.relayMode === 'native'
					? (
						<RelaySetup
							setup={relaySetup}
							checking={checkingRelay ?? false}
							onAllow={() => onAllowRelay?.()}
							onCheck={() => onCheckRelay?.()}
						/>
					)
					: null}
			</fieldset>

			<details class="pmi-section-box pmi-relay-advanced" open={settings.relayMode === 'http'}>
				<summary>
					<Icon name="chevron" class="pmi-advanced-chevron" />
					<span>Advanced: a relay on another machine</span>
					<span class="pmi-advanced-note">{settings.relayMode === 'http' ? 'in use' : 'off'}</span>
				</summary>
				<Field id={`${id}-relay-mode`} label="Use it">
					<Switch
						id={`${id}-relay-mode`}
						label="Use a relay at this address instead"
						checked={settings.relayMode === 'http'}
						onChange={useHttp => {
							setSettings({relayMode: useHttp ? 'http' : 'native'});
						}}
					/>
				</Field>
				<Field id={`${id}-relay-url`} label="Address" error={errors.relayUrl} hint={relayAddressHint}>
					<input
						id={`${id}-relay-url`}
						type="url"
						class={`pmi-input${errors.relayUrl ? ' pmi-is-invalid' : ''}`}
						value={settings.relayUrl}
						spellcheck={false}
						aria-label="Relay address"
						onInput={event => {
							setSettings({relayUrl: event.currentTarget.value.trim()});
						}}
					/>
				</Field>
				<Field id={`${id}-relay-token`} label="Token" error={errors.relayToken}>
					<SecretInput
						id={`${id}-relay-token`}
						label="Relay token"
						value={settings.relayToken}
						invalid={Boolean(errors.relayToken)}
						onInput={relayToken => {
							setSettings({relayToken: relayToken.trim()});
						}}
					/>
				</Field>
			</details>
		</>
	);
}
