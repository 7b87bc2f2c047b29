import {browser, defineBackground} from '#imports';
import {applyAnyway, dismissOutcome} from '@/lib/background/apply-anyway';
import {createReplyChecker} from '@/lib/background/check-replies';
import {findCalendars, testConnection} from '@/lib/background/connection';
import {loadContext, missingSetup, useNativeRelay} from '@/lib/background/context';
import {createNativeRelay, nativeMessagingPermission, type PortLike} from '@/lib/background/native-relay';
import {popupState} from '@/lib/background/popup-state';
import {pollPeriod, replyAlarmName} from '@/lib/background/schedule';
import {syncWebmailScripts, type ScriptingApi} from '@/lib/background/webmail-scripts';
import {answerCounter} from '@/lib/background/counter-actions';
import {runAttendeeAction, type AttendeeAction} from '@/lib/background/attendee-actions';
import {cancelInvite, cancelOccurrence, createInvite, createStorageEvents, resendInvite, updateInvite} from '@/lib/invites';
import {onMessage, sendMessage, type SendInviteResult} from '@/lib/messaging';
import {isOwnExtensionSender} from '@/lib/sender-check';
import {relayAccountOf} from '@/lib/account';
import {toUserFacingError} from '@/lib/user-errors';
import {accountItem, eventsItem, loopStatusItem, outcomesItem, settingsItem} from '@/lib/storage';

const notConfiguredError = {code: 'not-configured', message: 'Setup is not finished.', action: 'Open the Purelymail Invites options page.'};
const notConfigured: SendInviteResult = {ok: false, steps: [], error: notConfiguredError};

export default defineBackground(() => {
	// Chrome MV3 has `action`; Firefox MV2 has `browserAction`.
	const action = browser.action ?? browser.browserAction;
	const checkReplies = createReplyChecker({
		async badge(count) {
			await action.setBadgeText({text: count > 0 ? String(count) : ''});
			await action.setBadgeBackgroundColor({color: '#37beff'});
		},
		async notify(title, message) {
			await browser.notifications.create({type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title, message});
		},
	}, {notifications: async () => (await settingsItem.getValue()).notifications});

	// The relay the browser starts: its INBOX watch runs the reply loop as soon as mail arrives.
	const nativeRelay = createNativeRelay({
		get connectNative() {
			const runtime = browser.runtime as unknown as {connectNative?: (name: string) => PortLike};
			return runtime.connectNative ? (name: string) => runtime.connectNative!(name) : undefined;
		},
		lastError: () => browser.runtime.lastError?.message,
		hasPermission: async () => browser.permissions.contains({permissions: [nativeMessagingPermission]}),
	}, () => {
		void checkReplies();
	});
	useNativeRelay(nativeRelay);

	/** Keeps the INBOX watch on while the native relay is the chosen one and set-up is done; never throws. */
	async function watchInbox(): Promise<void> {
		const [settings, account] = await Promise.all([settingsItem.getValue(), accountItem.getValue()]);
		try {
			if (settings.relayMode === 'native' && account && missingSetup(settings, account).length === 0 && await nativeRelay.setup().then(setup => setup.state === 'connected')) {
				await nativeRelay.ensureWatch(relayAccountOf(account, settings));
			} else {
				await nativeRelay.stopWatch();
			}
		} catch {
			// Not installed or not allowed: the options page says so; the alarm keeps polling meanwhile.
		}
	}

	async function schedule(): Promise<void> {
		const settings = await settingsItem.getValue();
		await browser.alarms.create(replyAlarmName, {periodInMinutes: pollPeriod(settings.pollMinutes), delayInMinutes: 0.1});
	}

	/** Our content script on the extra Roundcube origins the user granted (absent `scripting` until it is granted). */
	async function registerWebmails(): Promise<void> {
		const settings = await settingsItem.getValue();
		const scripting = (browser as unknown as {scripting?: ScriptingApi}).scripting;
		await syncWebmailScripts(settings.webmailOrigins, {scripting, permissions: browser.permissions});
	}

	void schedule();
	void registerWebmails();
	void watchInbox();
	settingsItem.watch(() => {
		void schedule();
		void registerWebmails();
		void watchInbox();
	});
	accountItem.watch(() => void watchInbox());
	browser.permissions.onAdded.addListener(() => {
		void registerWebmails();
		void watchInbox();
	});
	browser.permissions.onRemoved.addListener(() => void registerWebmails());
	browser.alarms.onAlarm.addListener(alarm => {
		if (alarm.name === replyAlarmName) {
			void checkReplies();
			// The host may have gone (the browser restarted it, the machine slept): watch again.
			void watchInbox();
		}
	});

	/** Every handler refuses messages from outside this extension (web pages, other extensions). */
	function guard(sender: {id?: string}): void {
		if (!isOwnExtensionSender(sender, browser.runtime.id)) {
			throw new Error('Message from outside this extension refused');
		}
	}

	/** The account only goes to, and comes from, our own extension pages (the options page), never a content script. */
	function guardExtensionPage(sender: {id?: string; url?: string}): void {
		guard(sender);
		if (!sender.url?.startsWith(browser.runtime.getURL('/'))) {
			throw new Error('Only the options page may read or change the account');
		}
	}

	onMessage('ping', ({sender}) => {
		guard(sender);
		return {ok: true, version: browser.runtime.getManifest().version};
	});

	onMessage('getComposerContext', async ({sender}) => {
		guard(sender);
		const [settings, account] = await Promise.all([settingsItem.getValue(), accountItem.getValue()]);
		// The composer learns who the organizer is, never the password.
		return {configured: missingSetup(settings, account).length === 0, organizer: account ? {email: account.email, name: account.name} : null};
	});

	onMessage('sendInvite', async ({data, sender}) => {
		guard(sender);
		const context = await loadContext();
		if (!context) {
			return notConfigured;
		}

		const tabId = sender.tab?.id;
		return createInvite(data, {
			...context,
			events: createStorageEvents(),
			onProgress(step) {
				if (tabId !== undefined) {
					void sendMessage('inviteProgress', step, tabId).catch(() => undefined);
				}
			},
		});
	});

	onMessage('openOptions', async ({sender}) => {
		guard(sender);
		await browser.runtime.openOptionsPage();
	});

	onMessage('getPopupState', async ({sender}) => {
		guard(sender);
		const [settings, account, events, outcomes, status] = await Promise.all([
			settingsItem.getValue(), accountItem.getValue(), eventsItem.getValue(), outcomesItem.getValue(), loopStatusItem.getValue(),
		]);
		// Opening the popup clears the badge.
		await loopStatusItem.setValue({...status, unseenAnswers: 0});
		await action.setBadgeText({text: ''});
		return popupState({configured: missingSetup(settings, account).length === 0, events, outcomes, status, webmailUrl: settings.webmailOrigins[0], now: new Date()});
	});

	onMessage('checkNow', async ({sender}) => {
		guard(sender);
		return checkReplies();
	});

	onMessage('applyAnyway', async ({data, sender}) => {
		guard(sender);
		const context = await loadContext();
		return context ? applyAnyway(data.key, context) : {ok: false, reason: 'Setup is not finished.', changes: []};
	});

	onMessage('dismissOutcome', async ({data, sender}) => {
		guard(sender);
		await dismissOutcome(data.key);
	});

	onMessage('resendInvite', async ({data, sender}) => {
		guard(sender);
		const context = await loadContext();
		return context ? resendInvite(data.uid, {...context, events: createStorageEvents()}) : notConfigured;
	});

	onMessage('cancelEvent', async ({data, sender}) => {
		guard(sender);
		const context = await loadContext();
		return context ? cancelInvite(data.uid, {...context, events: createStorageEvents()}) : notConfigured;
	});

	onMessage('cancelOccurrence', async ({data, sender}) => {
		guard(sender);
		const context = await loadContext();
		return context ? cancelOccurrence(data.uid, data.recurrenceId, {...context, events: createStorageEvents()}) : notConfigured;
	});

	onMessage('answerCounter', async ({data, sender}) => {
		guard(sender);
		const context = await loadContext();
		return context ? answerCounter(data.key, data.answer, context) : notConfigured;
	});

	/** The invitation card's buttons (lib/attendee), with progress to the tab that asked. */
	async function attendeeAction(action: AttendeeAction, sender: {id?: string; tab?: {id?: number}}): Promise<SendInviteResult> {
		guard(sender);
		const context = await loadContext();
		const tabId = sender.tab?.id;
		return context ? runAttendeeAction(action, context, step => {
			if (tabId !== undefined) {
				void sendMessage('inviteProgress', step, tabId).catch(() => undefined);
			}
		}) : notConfigured;
	}

	onMessage('answerInvitation', async ({data, sender}) => attendeeAction({kind: 'answer', ...data}, sender));
	onMessage('addInvitation', async ({data, sender}) => attendeeAction({kind: 'add', ...data}, sender));
	onMessage('removeInvitation', async ({data, sender}) => attendeeAction({kind: 'remove', ...data}, sender));

	onMessage('openEditor', async ({data, sender}) => {
		guard(sender);
		// An extension page of its own: editing needs no webmail tab, and the composer does not depend on Roundcube.
		await browser.tabs.create({url: browser.runtime.getURL(`/edit.html?uid=${encodeURIComponent(data.uid)}`)});
	});

	onMessage('getEditContext', async ({data, sender}) => {
		guardExtensionPage(sender);
		const context = await loadContext();
		const tracked = (await eventsItem.getValue())[data.uid];
		if (!context) {
			return {ok: false, error: notConfiguredError};
		}

		if (!tracked) {
			return {ok: false, error: {code: 'unknown-event', message: 'This event is not one of yours any more.'}};
		}

		try {
			const stored = await context.caldav.readEvent(tracked.href);
			return {ok: true, uid: tracked.uid, spec: tracked.spec, stored: stored.ics, organizer: {email: context.account.email, name: context.account.name}};
		} catch (error) {
			return {ok: false, error: toUserFacingError(error, {relayUrl: context.settings.relayUrl})};
		}
	});

	onMessage('updateEvent', async ({data, sender}) => {
		guardExtensionPage(sender);
		const context = await loadContext();
		if (!context) {
			return notConfigured;
		}

		const tabId = sender.tab?.id;
		return updateInvite(data.uid, data.changes, {
			...context,
			events: createStorageEvents(),
			onProgress(step) {
				if (tabId !== undefined) {
					void sendMessage('inviteProgress', step, tabId).catch(() => undefined);
				}
			},
		});
	});

	onMessage('getOptions', async ({sender}) => {
		guardExtensionPage(sender);
		const [settings, account] = await Promise.all([settingsItem.getValue(), accountItem.getValue()]);
		return {settings, account};
	});

	onMessage('saveOptions', async ({data, sender}) => {
		guardExtensionPage(sender);
		await settingsItem.setValue(data.settings);
		await accountItem.setValue(data.account);
		return {ok: true};
	});

	onMessage('getRelaySetup', async ({sender}) => {
		guardExtensionPage(sender);
		await watchInbox();
		return nativeRelay.setup();
	});

	onMessage('testConnection', async ({data, sender}) => {
		guardExtensionPage(sender);
		return testConnection(data);
	});

	onMessage('discoverCalendars', async ({data, sender}) => {
		guardExtensionPage(sender);
		return findCalendars(data);
	});
});
