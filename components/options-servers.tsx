import type {JSX} from 'preact';
import {purelymailServers, type ServerSettings} from '@/lib/model';
import type {MailEndpoint} from '@/lib/relay-client/types';
import type {OptionsErrors} from '@/lib/ui/options-form';
import {Field} from './field';
import {Icon} from './icon';

type EndpointFieldsProps = {
	/** The id prefix of the options form. */
	id: string;
	name: 'imap' | 'smtp';
	label: string;
	endpoint: MailEndpoint;
	errors: OptionsErrors;
	onChange(endpoint: MailEndpoint): void;
};

function EndpointFields({id, name, label, endpoint, errors, onChange}: EndpointFieldsProps): JSX.Element {
	const hostError = name === 'imap' ? errors.imapHost : errors.smtpHost;
	const portError = name === 'imap' ? errors.imapPort : errors.smtpPort;
	const error = [hostError, portError].filter(Boolean).join(' ');
	return (
		<Field id={`${id}-${name}-host`} label={label} error={error || undefined} group>
			<div class="pmi-inline pmi-endpoint">
				<input
					id={`${id}-${name}-host`}
					type="text"
					class={`pmi-input${hostError ? ' pmi-is-invalid' : ''}`}
					value={endpoint.host}
					spellcheck={false}
					aria-label={`${label} server`}
					onInput={event => {
						onChange({...endpoint, host: event.currentTarget.value.trim()});
					}}
				/>
				<input
					type="number"
					class={`pmi-input pmi-number${portError ? ' pmi-is-invalid' : ''}`}
					value={endpoint.port}
					min={1}
					max={65_535}
					aria-label={`${label} port`}
					onInput={event => {
						onChange({...endpoint, port: event.currentTarget.valueAsNumber});
					}}
				/>
				<select
					class="pmi-input pmi-select pmi-security"
					value={endpoint.secure ? 'tls' : 'starttls'}
					aria-label={`${label} security`}
					onChange={event => {
						onChange({...endpoint, secure: event.currentTarget.value === 'tls'});
					}}
				>
					<option value="tls">TLS</option>
					<option value="starttls">STARTTLS</option>
				</select>
			</div>
		</Field>
	);
}

type OptionsServersProps = {
	/** The id prefix of the options form. */
	id: string;
	servers: ServerSettings;
	errors: OptionsErrors;
	setServers(changes: Partial<ServerSettings>): void;
};

/** The options form's folded "Advanced: servers" section: CalDAV, IMAP and SMTP, open when they differ from Purelymail's or hold an error. */
export function OptionsServers({id, servers, errors, setServers}: OptionsServersProps): JSX.Element {
	const advancedDiffers = JSON.stringify(servers) !== JSON.stringify(purelymailServers);
	const advancedHasError = Boolean(errors.caldavUrl ?? errors.imapHost ?? errors.imapPort ?? errors.smtpHost ?? errors.smtpPort);
	return (
		<details class="pmi-section-box pmi-advanced" open={advancedDiffers || advancedHasError}>
			<summary>
				<Icon name="chevron" class="pmi-advanced-chevron" />
				<span>Advanced: servers</span>
				<span class="pmi-advanced-note">{advancedDiffers ? 'changed' : 'Purelymail’s'}</span>
			</summary>
			<Field id={`${id}-caldav`} label="CalDAV" error={errors.caldavUrl}>
				<input
					id={`${id}-caldav`}
					type="url"
					class={`pmi-input${errors.caldavUrl ? ' pmi-is-invalid' : ''}`}
					value={servers.caldavUrl}
					spellcheck={false}
					aria-label="CalDAV address"
					onInput={event => {
						setServers({caldavUrl: event.currentTarget.value.trim()});
					}}
				/>
			</Field>
			<EndpointFields id={id} name="imap" label="IMAP" endpoint={servers.imap} errors={errors} onChange={imap => {
				setServers({imap});
			}} />
			<EndpointFields id={id} name="smtp" label="SMTP" endpoint={servers.smtp} errors={errors} onChange={smtp => {
				setServers({smtp});
			}} />
			<div class="pmi-field">
				<div class="pmi-field-control">
					<button
						type="button"
						class="pmi-link"
						disabled={!advancedDiffers}
						aria-label="Use Purelymail's servers"
						onClick={() => {
							setServers(structuredClone(purelymailServers) as ServerSettings);
						}}
					>
						Use Purelymail’s servers
					</button>
				</div>
			</div>
		</details>
	);
}
