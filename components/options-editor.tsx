import type {JSX} from 'preact';
import {useEffect, useState} from 'preact/hooks';
import type {CalendarChoice, ConnectionReport, NativeRelaySetup, OptionsState, UserFacingError} from '@/lib/messaging';
import {invitationSettingsOf} from '@/lib/invitations/settings';
import {purelymailServers, type ServerSettings, type Settings} from '@/lib/model';
import type {MailEndpoint} from '@/lib/relay-client/types';
import type {ActionFeedback} from '@/lib/ui/action-feedback';
import {
	appPasswordSteps, appPasswordUrl, optionsFormFrom, optionsStateFrom, pollMinutesRange, validateOptionsForm, type OptionsErrors, type OptionsForm,
} from '@/lib/ui/options-form';
import {AgentSetup} from './agent-setup';
import {CalendarPicker} from './calendar-picker';
import {ConnectionReportList} from './connection-report-list';
import {ErrorBox} from './error-box';
import {FeedbackLine} from './feedback-line';
import {Field} from './field';
import {Icon} from './icon';
import {InvitationOptions} from './invitation-options';
import {RelaySetup} from './relay-setup';
import {SecretInput} from './secret-input';
import {Spinner} from './spinner';
import {Switch} from './switch';
import {WebmailOrigins} from './webmail-origins';

export type OptionsEditorProps = {
	initial: OptionsState;
	saving: boolean;
	saveFeedback?: ActionFeedback | undefined;
	testing: boolean;
	report?: ConnectionReport | undefined;
	testError?: UserFacingError | undefined;
	discovering: boolean;
	calendars?: CalendarChoice[] | undefined;
	discoverError?: UserFacingError | undefined;
	onSave(state: OptionsState): void;
	onTest(state: OptionsState): void;
	onDiscover(state: OptionsState): void;
	/** The relay the browser starts: where its set-up stands, and the two actions on it. */
	relaySetup?: NativeRelaySetup | undefined;
	checkingRelay?: boolean | undefined;
	onAllowRelay?: (() => void) | undefined;
	onCheckRelay?: (() => void) | undefined;
};

const id = 'pmi-options';

/** The settings with another calendar picked: its URL and, when known, its name (a stale name never stays). */
function withCalendar(settings: Settings, calendarUrl: string | null, calendarName: string | undefined): Settings {
	const next: Settings = {...settings, calendarUrl};
	delete next.calendarName;
	return calendarUrl !== null && calendarName !== undefined ? {...next, calendarName} : next;
}

/** Why plain http:// is refused elsewhere: the token and app password would cross the network in clear (lib/relay-client/relay-url.ts). */
const relayAddressHint = 'https:// for a relay on another machine; plain http:// only for 127.0.0.1, [::1] or localhost. Before it gets the token or your password, the relay must prove it holds the token.';

type EndpointFieldsProps = {
	name: 'imap' | 'smtp';
	label: string;
	endpoint: MailEndpoint;
	errors: OptionsErrors;
	onChange(endpoint: MailEndpoint): void;
};

function EndpointFields({name, label, endpoint, errors, onChange}: EndpointFieldsProps): JSX.Element {
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

/**
 * The options form: account, calendar, relay, checking, other webmail and (folded) the servers.
 * Save, Test connection and Find calendars hand the whole state to the caller.
 */
export function OptionsEditor(props: OptionsEditorProps): JSX.Element {
	const {saving, saveFeedback, testing, report, testError, discovering, calendars, discoverError} = props;
	const [form, setForm] = useState<OptionsForm>(() => optionsFormFrom(props.initial));
	const [showErrors, setShowErrors] = useState(false);
	const errors = showErrors ? validateOptionsForm(form) : {};
	const {settings} = form;

	const setSettings = (changes: Partial<Settings>): void => {
		setForm({...form, settings: {...settings, ...changes}});
	};

	const setServers = (changes: Partial<ServerSettings>): void => {
		setSettings({servers: {...settings.servers, ...changes}});
	};

	// The first calendar found is picked when none is yet.
	useEffect(() => {
		const first = calendars?.[0];
		if (first && settings.calendarUrl === null) {
			setForm(current => ({...current, settings: withCalendar(current.settings, first.url, first.name)}));
		}
	}, [calendars, settings.calendarUrl]);

	const save = (): void => {
		const problems = validateOptionsForm(form);
		setShowErrors(true);
		if (Object.keys(problems).length === 0) {
			props.onSave(optionsStateFrom(form));
		}
	};

	const advancedDiffers = JSON.stringify(settings.servers) !== JSON.stringify(purelymailServers);
	const advancedHasError = Boolean(errors.caldavUrl ?? errors.imapHost ?? errors.imapPort ?? errors.smtpHost ?? errors.smtpPort);
	return (
		<form
			class="pmi-options-form"
			noValidate
			aria-label="Purelymail Invites settings"
			onSubmit={event => {
				event.preventDefault();
				save();
			}}
		>
			<fieldset class="pmi-section-box">
				<legend>Account</legend>
				<Field id={`${id}-email`} label="Address" error={errors.email}>
					<input
						id={`${id}-email`}
						type="email"
						class={`pmi-input${errors.email ? ' pmi-is-invalid' : ''}`}
						value={form.email}
						autocomplete="username"
						placeholder="you@your-domain.org"
						aria-label="Purelymail address"
						aria-invalid={errors.email ? true : undefined}
						onInput={event => {
							setForm({...form, email: event.currentTarget.value});
						}}
					/>
				</Field>
				<Field id={`${id}-name`} label="Name" hint="Shown to attendees as the organizer.">
					<input
						id={`${id}-name`}
						type="text"
						class="pmi-input"
						value={form.name}
						autocomplete="name"
						aria-label="Your name"
						aria-describedby={`${id}-name-hint`}
						onInput={event => {
							setForm({...form, name: event.currentTarget.value});
						}}
					/>
				</Field>
				<Field
					id={`${id}-password`}
					label="App password"
					error={errors.password}
					hint={(
						<>
							<a href={appPasswordUrl} target="_blank" rel="noreferrer">Make an app password <Icon name="external" /></a>
							{' '}
							{appPasswordSteps} Use it instead of your main password.
						</>
					)}
				>
					<SecretInput
						id={`${id}-password`}
						label="App password"
						value={form.password}
						autocomplete="current-password"
						invalid={Boolean(errors.password)}
						describedBy={`${id}-password-hint`}
						onInput={password => {
							setForm({...form, password});
						}}
					/>
				</Field>
				<Field id={`${id}-aliases`} label="Other addresses" error={errors.aliases} hint="Aliases of this mailbox, separated by commas. Answers to them count too.">
					<input
						id={`${id}-aliases`}
						type="text"
						class={`pmi-input${errors.aliases ? ' pmi-is-invalid' : ''}`}
						value={form.aliases}
						spellcheck={false}
						aria-label="Other addresses of this account"
						aria-describedby={`${id}-aliases-hint`}
						onInput={event => {
							setForm({...form, aliases: event.currentTarget.value});
						}}
					/>
				</Field>
			</fieldset>

			<fieldset class="pmi-section-box">
				<legend>Calendar</legend>
				<Field id={`${id}-calendar`} label="Calendar">
					<CalendarPicker
						id={`${id}-calendar`}
						value={settings.calendarUrl}
						valueName={settings.calendarName}
						calendars={calendars}
						discovering={discovering}
						error={discoverError}
						onChange={(calendarUrl, calendarName) => {
							setForm({...form, settings: withCalendar(settings, calendarUrl === '' ? null : calendarUrl, calendarName)});
						}}
						onDiscover={() => {
							props.onDiscover(optionsStateFrom(form));
						}}
					/>
				</Field>
			</fieldset>

			<fieldset class="pmi-section-box">
				<legend>Relay</legend>
				<p class="pmi-section-intro">
					The relay is a small program on this computer that sends and reads mail for the extension.
					The browser starts it when needed: nothing to keep running, no port, no token.
				</p>
				{settings.relayMode === 'native'
					? (
						<RelaySetup
							setup={props.relaySetup}
							checking={props.checkingRelay ?? false}
							onAllow={() => props.onAllowRelay?.()}
							onCheck={() => props.onCheckRelay?.()}
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

			<fieldset class="pmi-section-box">
				<legend>Answers</legend>
				<Field id={`${id}-poll`} label="Check every" error={errors.pollMinutes}>
					<div class="pmi-inline">
						<input
							id={`${id}-poll`}
							type="number"
							class={`pmi-input pmi-number${errors.pollMinutes ? ' pmi-is-invalid' : ''}`}
							min={pollMinutesRange.min}
							max={pollMinutesRange.max}
							value={settings.pollMinutes}
							aria-label="Check for answers every how many minutes"
							onInput={event => {
								setSettings({pollMinutes: event.currentTarget.valueAsNumber});
							}}
						/>
						<span>minutes (1 to 30)</span>
					</div>
				</Field>
				<Field id={`${id}-notifications`} label="Notifications">
					<Switch
						id={`${id}-notifications`}
						label="Show a notification for each answer"
						checked={settings.notifications}
						onChange={notifications => {
							setSettings({notifications});
						}}
					/>
				</Field>
			</fieldset>

			<InvitationOptions id={id} value={invitationSettingsOf(settings)} calendars={calendars} filingError={errors.filingFolder} onChange={invitations => {
				setSettings({invitations});
			}} />

			<AgentSetup state={optionsStateFrom(form)} />

			<fieldset class="pmi-section-box">
				<legend>Other calendar apps</legend>
				<Field id={`${id}-other-apps`} label="Scheduling">
					<Switch
						id={`${id}-other-apps`}
						label="Send invitations and answers for changes made in other calendar apps"
						checked={settings.scheduleOtherApps ?? false}
						onChange={scheduleOtherApps => {
							setSettings({scheduleOtherApps});
						}}
					/>
				</Field>
				<p class="pmi-section-intro" id={`${id}-other-apps-hint`}>
					Purelymail’s calendar server sends no invitations. With this on, meetings you make or change in Apple Calendar,
					Thunderbird or DAVx5 on your Purelymail calendars are sent to their attendees, and your answers to invitations
					reach the organizer. When you turn it on, the events already in your calendars are taken as they are: nothing is
					sent for them until they change. If an app sends its own invitations, it marks them (SCHEDULE-AGENT=CLIENT) and
					nothing is sent twice; if it does not, leave this off.
				</p>
			</fieldset>

			<fieldset class="pmi-section-box">
				<legend>Other webmail</legend>
				<Field id={`${id}-origins`} label="Addresses">
					<WebmailOrigins
						id={`${id}-origins`}
						origins={settings.webmailOrigins}
						onChange={webmailOrigins => {
							setSettings({webmailOrigins});
						}}
					/>
				</Field>
			</fieldset>

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
						value={settings.servers.caldavUrl}
						spellcheck={false}
						aria-label="CalDAV address"
						onInput={event => {
							setServers({caldavUrl: event.currentTarget.value.trim()});
						}}
					/>
				</Field>
				<EndpointFields name="imap" label="IMAP" endpoint={settings.servers.imap} errors={errors} onChange={imap => {
					setServers({imap});
				}} />
				<EndpointFields name="smtp" label="SMTP" endpoint={settings.servers.smtp} errors={errors} onChange={smtp => {
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

			<div class="pmi-options-footer">
				<div class="pmi-options-buttons">
					<button
						type="button"
						class="pmi-btn pmi-btn-secondary"
						disabled={testing}
						aria-label="Test connection to CalDAV, IMAP and SMTP"
						onClick={() => {
							props.onTest(optionsStateFrom(form));
						}}
					>
						{testing ? <Spinner class="pmi-spinner-on-primary" /> : <Icon name="refresh" />}
						<span>{testing ? 'Testing…' : 'Test connection'}</span>
					</button>
					<button type="submit" class="pmi-btn pmi-btn-primary" disabled={saving} aria-label="Save settings">
						{saving ? <Spinner class="pmi-spinner-on-primary" /> : <Icon name="check" />}
						<span>Save</span>
					</button>
				</div>
				{showErrors && Object.keys(errors).length > 0
					? <p class="pmi-invalid" role="alert">Some settings need fixing: see the fields marked in red.</p>
					: null}
				{saveFeedback ? <FeedbackLine feedback={saveFeedback} /> : null}
				{testError ? <ErrorBox title="The test did not run" error={testError} /> : null}
				{report ? <ConnectionReportList report={report} /> : null}
			</div>
		</form>
	);
}
