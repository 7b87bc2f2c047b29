/**
 * The options page wired to the background: `getOptions` on load, `saveOptions`, `testConnection` and
 * `discoverCalendars` with the form's current state. New webmail origins are asked for as host permissions
 * right in the Save click, since browsers grant permissions only during a user gesture.
 */
import type {JSX} from 'preact';
import {useEffect, useState} from 'preact/hooks';
import {browser} from '#imports';
import {OptionsApp} from '@/components/options-app';
import {nativeMessagingPermission} from '@/lib/background/native-relay';
import {sendMessage, type CalendarChoice, type ConnectionReport, type NativeRelaySetup, type OptionsState, type UserFacingError} from '@/lib/messaging';
import {thrownFeedback, type ActionFeedback} from '@/lib/ui/action-feedback';
import {originMatchPattern} from '@/lib/ui/options-form';

function errorFrom(error: unknown): UserFacingError {
	const feedback = thrownFeedback(error);
	return {code: 'unknown', message: feedback.text, ...(feedback.action ? {action: feedback.action} : {})};
}

/** Asks for access to the origins; the ones the browser refused (or could not be asked for) come back. */
async function requestOrigins(origins: string[]): Promise<string[]> {
	if (origins.length === 0) {
		return [];
	}

	try {
		const granted = await browser.permissions.request({origins: origins.map(origin => originMatchPattern(origin))});
		return granted ? [] : origins;
	} catch {
		// E.g. an origin the manifest does not allow as an optional host permission.
		return origins;
	}
}

export function OptionsContainer(): JSX.Element {
	const [initial, setInitial] = useState<OptionsState | null>(null);
	const [loadError, setLoadError] = useState<UserFacingError | undefined>();
	const [saved, setSaved] = useState<string[]>([]);
	const [saving, setSaving] = useState(false);
	const [saveFeedback, setSaveFeedback] = useState<ActionFeedback | undefined>();
	const [testing, setTesting] = useState(false);
	const [report, setReport] = useState<ConnectionReport | undefined>();
	const [testError, setTestError] = useState<UserFacingError | undefined>();
	const [discovering, setDiscovering] = useState(false);
	const [calendars, setCalendars] = useState<CalendarChoice[] | undefined>();
	const [discoverError, setDiscoverError] = useState<UserFacingError | undefined>();
	const [relaySetup, setRelaySetup] = useState<NativeRelaySetup | undefined>();
	const [checkingRelay, setCheckingRelay] = useState(false);

	const onCheckRelay = (): void => {
		setCheckingRelay(true);
		sendMessage('getRelaySetup', undefined).then(setRelaySetup, (error: unknown) => {
			setRelaySetup({state: 'failed', message: errorFrom(error).message});
		}).finally(() => {
			setCheckingRelay(false);
		});
	};

	const onAllowRelay = (): void => {
		// In the click itself: browsers grant permissions only during a user gesture.
		browser.permissions.request({permissions: [nativeMessagingPermission]}).then(() => {
			onCheckRelay();
		}, (error: unknown) => {
			setRelaySetup({state: 'failed', message: errorFrom(error).message});
		});
	};

	useEffect(onCheckRelay, []);

	useEffect(() => {
		sendMessage('getOptions', undefined).then(state => {
			setInitial(state);
			setSaved(state.settings.webmailOrigins);
		}, (error: unknown) => {
			setLoadError(errorFrom(error));
		});
	}, []);

	const onSave = (state: OptionsState): void => {
		setSaving(true);
		setSaveFeedback(undefined);
		// First, while the click still counts as a user gesture.
		const refused = requestOrigins(state.settings.webmailOrigins.filter(origin => !saved.includes(origin)));
		void (async () => {
			try {
				const notGranted = await refused;
				await sendMessage('saveOptions', state);
				setSaved(state.settings.webmailOrigins);
				setSaveFeedback(notGranted.length === 0
					? {kind: 'ok', text: `Saved at ${new Date().toLocaleTimeString(undefined, {timeStyle: 'short'})}.`}
					: {
						kind: 'error',
						text: `Saved, but the browser did not allow access to ${notGranted.join(', ')}, so the Add invite button will not appear there.`,
						action: 'Save again and allow access when the browser asks.',
					});
			} catch (error) {
				setSaveFeedback(thrownFeedback(error));
			} finally {
				setSaving(false);
			}
		})();
	};

	const onTest = (state: OptionsState): void => {
		setTesting(true);
		setTestError(undefined);
		sendMessage('testConnection', state).then(setReport, (error: unknown) => {
			setReport(undefined);
			setTestError(errorFrom(error));
		}).finally(() => {
			setTesting(false);
		});
	};

	const onDiscover = (state: OptionsState): void => {
		setDiscovering(true);
		setDiscoverError(undefined);
		sendMessage('discoverCalendars', state).then(result => {
			if (result.ok) {
				setCalendars(result.calendars);
			} else {
				setDiscoverError(result.error);
			}
		}, (error: unknown) => {
			setDiscoverError(errorFrom(error));
		}).finally(() => {
			setDiscovering(false);
		});
	};

	return (
		<OptionsApp
			initial={initial}
			loadError={loadError}
			saving={saving}
			saveFeedback={saveFeedback}
			testing={testing}
			report={report}
			testError={testError}
			discovering={discovering}
			calendars={calendars}
			discoverError={discoverError}
			onSave={onSave}
			onTest={onTest}
			onDiscover={onDiscover}
			relaySetup={relaySetup}
			checkingRelay={checkingRelay}
			onAllowRelay={onAllowRelay}
			onCheckRelay={onCheckRelay}
		/>
	);
}
