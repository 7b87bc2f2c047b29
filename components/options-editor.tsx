import type {JSX} from 'preact';
import {useEffect, useState} from 'preact/hooks';
import type {CalendarChoice, ConnectionReport, NativeRelaySetup, OptionsState, UserFacingError} from '@/lib/messaging';
import {invitationSettingsOf} from '@/lib/invitations/settings';
import type {ServerSettings, Settings} from '@/lib/model';
import type {ActionFeedback} from '@/lib/ui/action-feedback';
import {optionsFormFrom, optionsStateFrom, validateOptionsForm, type OptionsForm} from '@/lib/ui/options-form';
import {AgentSetup} from './agent-setup';
import {ConnectionReportList} from './connection-report-list';
import {ErrorBox} from './error-box';
import {FeedbackLine} from './feedback-line';
import {Field} from './field';
import {Icon} from './icon';
import {InvitationOptions} from './invitation-options';
import {OptionsAccount} from './options-account';
import {OptionsAnswers} from './options-answers';
import {OptionsCalendar} from './options-calendar';
import {OptionsOtherApps} from './options-other-apps';
import {OptionsRelay} from './options-relay';
import {OptionsServers} from './options-servers';
import {Spinner} from './spinner';
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

/**
 * The options form: one component per section (account, calendar, relay, answers, invitations, agent, other calendar
 * apps, other webmail, and the folded servers), holding the form's state. Save, Test connection and Find calendars
 * hand the whole state to the caller.
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
			<OptionsAccount id={id} form={form} errors={errors} onChange={changes => {
				setForm({...form, ...changes});
			}} />

			<OptionsCalendar
				id={id}
				settings={settings}
				calendars={calendars}
				discovering={discovering}
				discoverError={discoverError}
				onChange={(calendarUrl, calendarName) => {
					setForm({...form, settings: withCalendar(settings, calendarUrl, calendarName)});
				}}
				onDiscover={() => {
					props.onDiscover(optionsStateFrom(form));
				}}
			/>

			<OptionsRelay
				id={id}
				settings={settings}
				errors={errors}
				relaySetup={props.relaySetup}
				checkingRelay={props.checkingRelay}
				onAllowRelay={props.onAllowRelay}
				onCheckRelay={props.onCheckRelay}
				setSettings={setSettings}
			/>

			<OptionsAnswers id={id} settings={settings} errors={errors} setSettings={setSettings} />

			<InvitationOptions id={id} value={invitationSettingsOf(settings)} calendars={calendars} filingError={errors.filingFolder} onChange={invitations => {
				setSettings({invitations});
			}} />

			<AgentSetup state={optionsStateFrom(form)} />

			<OptionsOtherApps id={id} settings={settings} setSettings={setSettings} />

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

			<OptionsServers id={id} servers={settings.servers} errors={errors} setServers={setServers} />

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
