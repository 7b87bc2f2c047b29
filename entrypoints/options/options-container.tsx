/**
 * The options page wired to the background: `getOptions` on load, `saveOptions`, `testConnection` and
 * `discoverCalendars` with the form's current state. Other webmails' origins and `scripting` are asked for right in
 * the Save click, since browsers grant permissions only during a user gesture (lib/ui/webmail-access.ts); after the
 * save the background registers the content script there and the page says when that did not happen.
 */
import type {JSX} from 'preact';
import {useEffect, useState} from 'preact/hooks';
import {browser} from '#imports';
import {OptionsApp} from '@/components/options-app';
import {nativeMessagingPermission} from '@/lib/background/native-relay';
import {sendMessage, type CalendarChoice, type ConnectionReport, type NativeRelaySetup, type OptionsState, type UserFacingError} from '@/lib/messaging';
import {thrownFeedback, type ActionFeedback} from '@/lib/ui/action-feedback';
import {requestWebmailAccess, webmailFeedback} from '@/lib/ui/webmail-access';

function errorFrom(error: unknown): UserFacingError {
	const feedback = thrownFeedback(error);
	return {code: 'unknown', message: feedback.text, ...(feedback.action ? {action: feedback.action} : {})};
}

export function OptionsContainer(): JSX.Element {
	const [initial, setInitial] = useState<OptionsState | null>(null);
	const [loadError, setLoadError] = useState<UserFacingError | undefined>();
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
		}, (error: unknown) => {
			setLoadError(errorFrom(error));
		});
	}, []);

	const onSave = (state: OptionsState): void => {
		setSaving(true);
		setSaveFeedback(undefined);
		// First, while the click still counts as a user gesture: what is granted already is not asked again.
		const asked = requestWebmailAccess(state.settings.webmailOrigins, async permissions => {
			const granted: boolean = await browser.permissions.request(permissions);
			return granted;
		});
		void (async () => {
			try {
				await asked;
				await sendMessage('saveOptions', state);
				// What the browser holds now decides, whatever the prompt said.
				const problem = webmailFeedback(await sendMessage('registerWebmails', undefined));
				setSaveFeedback(problem ?? {kind: 'ok', text: `Saved at ${new Date().toLocaleTimeString(undefined, {timeStyle: 'short'})}.`});
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
