/**
 * The three surfaces with sample data, for screenshots (ui-screenshots.ts bundles this page and opens it in
 * Chromium). `?view=<name>&theme=light|dark` picks what is shown; nothing here talks to a background.
 */
import '../../../components/styles/composer.css';
import '../../../components/styles/popup.css';
import '../../../components/styles/options.css';
import {render, type JSX} from 'preact';
import {InviteComposer} from '../../../components/invite-composer.tsx';
import {OptionsApp} from '../../../components/options-app.tsx';
import {PopupApp, type BusyKey} from '../../../components/popup-app.tsx';
import type {ConnectionReport, EventView, OptionsState, PopupState, SendStep} from '../../../lib/messaging.ts';
import {defaultRelayUrl, purelymailServers, type ServerSettings} from '../../../lib/model.ts';
import {initialComposerForm, type ComposerForm} from '../../../lib/ui/composer-form.ts';
import type {SendState} from '../../../lib/ui/send-progress.ts';
import {timeZoneChoices} from '../../../lib/ui/time-zones.ts';

/** The gallery's clock: fixed, so that the pictures do not change from run to run. */
const now = new Date('2025-06-10T08:40:00Z');
const zone = 'Europe/Berlin';
const format = {locale: 'en-GB', timeZone: zone};
const organizer = {email: 'organizer@sandbox.test', name: 'Olivia Organizer'};

const prefilled: ComposerForm = {
	...initialComposerForm({
		now,
		timeZone: zone,
		subject: 'Quarterly planning',
		recipients: [
			{email: 'alex@sandbox.test', name: 'Alex Example'},
			{email: 'sam@sandbox.test'},
			{email: 'kim@example.org', name: 'Kim Doe'},
		],
		organizer: [organizer.email],
	}),
	location: 'Room 4 / meet.example.org/plan',
	description: 'Let us plan the next quarter.\nBring your numbers.',
};

const withRepeat: ComposerForm = {
	...prefilled,
	timeZone: 'America/New_York',
	attendees: [...prefilled.attendees.slice(0, 2), {email: 'kim@example', optional: true}],
	repeat: {freq: 'weekly', interval: 2, byDay: ['TU', 'TH'], ends: 'count', count: 6, until: '2025-09-30'},
};

const working: SendStep[] = [
	{step: 'calendar', state: 'done', detail: 'Saved to Calendar'},
	{step: 'mail', state: 'working', detail: 'Sending to 3 attendees…'},
];

const sendStates: Record<string, SendState> = {
	idle: {phase: 'idle'},
	sending: {phase: 'sending', steps: working},
	failed: {
		phase: 'failed',
		steps: [{step: 'calendar', state: 'done', detail: 'Saved to Calendar'}, {step: 'mail', state: 'failed', detail: 'The relay at http://127.0.0.1:8787 did not answer'}],
		error: {code: 'relay-down', message: 'The relay is not running, so the invitation could not be mailed. The event is saved in your calendar.', action: 'Start it with `npm run relay` and click Try again.'},
	},
	sent: {
		phase: 'sent',
		steps: [{step: 'calendar', state: 'done', detail: 'Saved to Calendar'}, {step: 'mail', state: 'done', detail: 'Sent to 2 attendees; 1 refused'}],
		accepted: ['alex@sandbox.test', 'sam@sandbox.test'],
		rejected: [{address: 'kim@rejected.test', reason: '550 mailbox unavailable'}],
	},
};

function composer(theme: 'light' | 'dark', view: string): JSX.Element {
	const send = sendStates[view.replace('composer-', '')] ?? sendStates.idle!;
	return (
		<InviteComposer
			initial={view === 'composer-repeat' ? withRepeat : prefilled}
			bodyText="Let us plan the next quarter."
			organizer={organizer}
			configured={view !== 'composer-setup'}
			zones={timeZoneChoices(Intl.supportedValuesOf('timeZone'), [zone])}
			browserZone={zone}
			now={now}
			send={send}
			theme={theme}
			canDiscardDraft
			onSend={draft => {
				console.log(`send ${JSON.stringify(draft)}`);
			}}
			onClose={() => {
				console.log('close');
			}}
			onDiscardDraft={() => undefined}
			onOpenOptions={() => undefined}
		/>
	);
}

function event(uid: string, summary: string, start: string, minutes: number, extra: Partial<EventView> = {}): EventView {
	return {
		uid,
		summary,
		start,
		end: new Date(Date.parse(start) + (minutes * 60_000)).toISOString(),
		timeZone: zone,
		allDay: false,
		attendees: [],
		delivery: {state: 'sent', at: '2025-06-01T10:00:00Z', rejected: []},
		cancelled: false,
		webmailUrl: 'https://inbox.purelymail.com/?_task=mail&_mbox=Sent',
		...extra,
	};
}

const popupState: PopupState = {
	configured: true,
	status: {lastCheck: '2025-06-10T08:38:00Z', lastError: null, unseenAnswers: 0},
	review: [
		{
			key: 'INBOX/1/42',
			messageId: '<x@y>',
			from: 'mallory@elsewhere.test',
			subject: 'Declined: Quarterly planning',
			eventUid: 'plan',
			outcome: 'review',
			reason: 'Sent from mallory@elsewhere.test, which is not the address of the attendee it answers for (sam@sandbox.test).',
			changes: [{attendee: 'sam@sandbox.test', partstat: 'DECLINED'}],
			recordedAt: '2025-06-10T07:10:00Z',
			calendar: 'BEGIN:VCALENDAR…',
		},
	],
	events: [
		event('plan', 'Quarterly planning', '2025-06-12T09:00:00Z', 60, {
			attendees: [
				{email: 'alex@sandbox.test', name: 'Alex Example', optional: false, partstat: 'ACCEPTED', comment: 'Looking forward to it, I will bring the slides.', answeredAt: '2025-06-10T06:12:00Z'},
				{email: 'sam@sandbox.test', optional: false, partstat: 'NEEDS-ACTION'},
				{email: 'kim@example.org', name: 'Kim Doe', optional: true, partstat: 'TENTATIVE', answeredAt: '2025-06-09T16:00:00Z'},
				{email: 'lee@example.org', optional: false, partstat: 'DECLINED', comment: 'On holiday that week.', answeredAt: '2025-06-08T11:30:00Z'},
				{email: 'max@example.org', optional: false, partstat: 'ACCEPTED', answeredAt: '2025-06-08T09:30:00Z'},
				{email: 'ola@example.org', optional: false, partstat: 'ACCEPTED', answeredAt: '2025-06-09T09:30:00Z'},
			],
		}),
		event('standup', 'Design review with New York', '2025-06-11T14:00:00Z', 45, {
			timeZone: 'America/New_York',
			attendees: [
				{email: 'alex@sandbox.test', optional: false, partstat: 'NEEDS-ACTION'},
				{email: 'sam@sandbox.test', optional: false, partstat: 'NEEDS-ACTION'},
			],
		}),
		event('offsite', 'Team offsite', '2025-06-20', 0, {
			start: '2025-06-20',
			end: '2025-06-22',
			allDay: true,
			attendees: [{email: 'alex@sandbox.test', optional: false, partstat: 'ACCEPTED'}],
			delivery: {state: 'sent', at: '2025-06-01T10:00:00Z', rejected: [{address: 'old@rejected.test', reason: '550 no such user'}]},
		}),
		event('lunch', 'Lunch with Sam', '2025-06-13T10:30:00Z', 60, {
			cancelled: true,
			attendees: [{email: 'sam@sandbox.test', optional: false, partstat: 'DECLINED'}],
		}),
		event('retro', 'Sprint retro', '2025-06-03T13:00:00Z', 60, {attendees: [{email: 'alex@sandbox.test', optional: false, partstat: 'ACCEPTED'}]}),
		event('kickoff', 'Project kickoff', '2025-05-20T08:00:00Z', 90, {attendees: [{email: 'sam@sandbox.test', optional: false, partstat: 'ACCEPTED'}]}),
	],
};

function popup(view: string): JSX.Element {
	const expand = view === 'popup';
	const page = (
		<PopupApp
			state={view === 'popup-setup' ? {...popupState, configured: false} : popupState}
			checking={view === 'popup-checking'}
			checkFeedback={view === 'popup-error'
				? {kind: 'error', text: 'The relay did not answer at http://127.0.0.1:8787.', action: 'Start it with `npm run relay`.'}
				: undefined}
			busy={new Set<BusyKey>(view === 'popup-checking' ? ['resend:standup'] : [])}
			feedback={view === 'popup' ? {standup: {kind: 'ok', text: 'Sent again to 2 attendees.'}} : {}}
			now={now}
			format={format}
			// The popup follows the system's scheme; the screenshot script emulates it.
			theme="auto"
			onCheckNow={() => undefined}
			onApplyAnyway={() => undefined}
			onDismiss={() => undefined}
			onResend={() => undefined}
			onCancelEvent={() => undefined}
			onOpenOptions={() => undefined}
		/>
	);
	if (expand) {
		// Open the first event, as a click would.
		queueMicrotask(() => {
			document.querySelector<HTMLButtonElement>('.pmi-event-toggle')?.click();
		});
	}

	return page;
}

const optionsState: OptionsState = {
	settings: {
		servers: structuredClone(purelymailServers) as ServerSettings,
		calendarUrl: 'https://purelymail.com/webdav/organizer/caldav/default/',
		relayMode: 'http',
		relayUrl: defaultRelayUrl,
		relayToken: 'c2VjcmV0LXRva2Vu',
		pollMinutes: 5,
		notifications: true,
		webmailOrigins: ['https://mail.example.org'],
	},
	account: {email: 'organizer@sandbox.test', name: 'Olivia Organizer', password: 'app-password', aliases: ['olivia@sandbox.test']},
};

const report: ConnectionReport = {
	caldav: {ok: true, detail: 'Found 2 calendars at https://purelymail.com/webdav/.'},
	relay: {ok: true, detail: 'Relay 0.1.0 at http://127.0.0.1:8787.'},
	imap: {ok: false, error: {code: 'mailbox-auth', message: 'imap.purelymail.com refused the user name or password.', action: 'Make a new app password in Purelymail and paste it above.'}},
	smtp: {ok: true, detail: 'smtp.purelymail.com:465 accepted the login.'},
};

function options(): JSX.Element {
	return (
		<OptionsApp
			initial={optionsState}
			theme="auto"
			saving={false}
			saveFeedback={{kind: 'ok', text: 'Saved at 10:40.'}}
			testing={false}
			report={report}
			discovering={false}
			calendars={[
				{url: 'https://purelymail.com/webdav/organizer/caldav/default/', name: 'Calendar'},
				{url: 'https://purelymail.com/webdav/organizer/caldav/work/', name: 'Work'},
			]}
			onSave={() => undefined}
			onTest={() => undefined}
			onDiscover={() => undefined}
		/>
	);
}

const parameters = new URLSearchParams(location.search);
const view = parameters.get('view') ?? 'composer-idle';
const theme = parameters.get('theme') === 'dark' ? 'dark' : 'light';
document.documentElement.classList.toggle('dark-mode', theme === 'dark');
if (view.startsWith('composer')) {
	// Roundcube's page behind the dialog.
	document.body.style.background = theme === 'dark' ? '#21292c' : '#fff';
	document.body.style.height = '100vh';
	// Elastic sets 14px on its html element; rem inside the composer's shadow root follows the page's.
	document.documentElement.style.fontSize = '14px';
}
const app = view.startsWith('popup') ? popup(view) : view.startsWith('options') ? options() : composer(theme, view);
render(app, document.querySelector('#app')!);
