import {browser, defineBackground} from '#imports';
import {applyAnyway, dismissOutcome} from '@/lib/background/apply-anyway';
import {dismissPlainAnswer, recordPlainAnswerAction} from '@/lib/background/plain-answer-actions';
import {createReplyChecker} from '@/lib/background/check-replies';
import {findCalendars, testConnection} from '@/lib/background/connection';
import {loadContext, missingSetup, useNativeRelay} from '@/lib/background/context';
import {createNativeRelay, nativeMessagingPermission, type PortLike} from '@/lib/background/native-relay';
import {invitationsState} from '@/lib/background/invitations-state';
import {sentForOtherApps} from '@/lib/background/other-apps';
import {popupState} from '@/lib/background/popup-state';
import {pollPeriod, replyAlarmName} from '@/lib/background/schedule';
import {oneSyncAtATime, syncWebmailScripts, type ScriptingApi} from '@/lib/background/webmail-scripts';
import {answerCounter} from '@/lib/background/counter-actions';
import {inspectForCard, runAttendeeAction, type AttendeeAction} from '@/lib/background/attendee-actions';
import {cancelInvite, cancelOccurrence, createInvite, createStorageEvents, resendInvite, updateInvite, updateOccurrence} from '@/lib/invites';
import {isEditable} from '@/lib/invites/editable';
import {onMessageFrom, sendMessage, type SendInviteResult} from '@/lib/messaging';
import type {MessageSender} from '@/lib/sender-check';
import {relayAccountOf} from '@/lib/account';
import {toUserFacingError, userError} from '@/lib/user-errors';
import {accountItem, agentMarkerItem, eventsItem, loopStatusItem, outcomesItem, plainAnswersItem, settingsItem} from '@/lib/storage';

const notConfiguredError = userError('not-configured');
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
		// A tick that starts now: one already running may have looked before this mail came.
		void checkReplies.fresh();
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
	const registerWebmails = oneSyncAtATime(async () => {
		const settings = await settingsItem.getValue();
		const scripting = (browser as unknown as {scripting?: ScriptingApi}).scripting;
		return syncWebmailScripts(settings.webmailOrigins, {scripting, permissions: browser.permissions});
	});

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

	/** Each handler answers only the senders lib/messaging.ts's `allowedSenders` lists for its message. */
	const own = {
		id: browser.runtime.id,
		baseUrl: browser.runtime.getURL('/'),
		facts: {editable: async (uid: string) => isEditable((await eventsItem.getValue())[uid])},
	};

	onMessageFrom('ping', own, () => {
		return {ok: true, version: browser.runtime.getManifest().version};
	});

	onMessageFrom('getComposerContext', own, async () => {
		const [settings, account] = await Promise.all([settingsItem.getValue(), accountItem.getValue()]);
		// The composer learns who the organizer is, never the password.
		return {configured: missingSetup(settings, account).length === 0, organizer: account ? {email: account.email, name: account.name} : null};
	});

	onMessageFrom('sendInvite', own, async ({data, sender}) => {
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

	onMessageFrom('openOptions', own, async () => {
		await browser.runtime.openOptionsPage();
	});

	onMessageFrom('getPopupState', own, async () => {
		const [settings, account, events, outcomes, status, agent, plainAnswers] = await Promise.all([
			settingsItem.getValue(), accountItem.getValue(), eventsItem.getValue(), outcomesItem.getValue(), loopStatusItem.getValue(), agentMarkerItem.getValue(), plainAnswersItem.getValue(),
		]);
		// Opening the popup clears the answers from the badge; invitations waiting for an answer stay on it.
		await loopStatusItem.setValue({...status, unseenAnswers: 0});
		const invitations = await invitationsState(settings, account, {shown: true});
		await action.setBadgeText({text: invitations.waiting > 0 ? String(invitations.waiting) : ''});
		return {...popupState({configured: missingSetup(settings, account).length === 0, events, outcomes, status, webmailUrl: settings.webmailOrigins[0], now: new Date(), agent, plainAnswers}), invitations: invitations.views, sentForOtherApps: await sentForOtherApps()};
	});

	onMessageFrom('checkNow', own, async () => {
		return checkReplies();
	});

	onMessageFrom('applyAnyway', own, async ({data}) => {
		const context = await loadContext();
		return context ? applyAnyway(data.key, context) : {ok: false, reason: 'Setup is not finished.', changes: []};
	});

	onMessageFrom('dismissOutcome', own, async ({data}) => {
		await dismissOutcome(data.key, await loadContext());
	});

	onMessageFrom('recordPlainAnswer', own, async ({data}) => {
		const context = await loadContext();
		return context ? recordPlainAnswerAction(data.key, data.partstat, context) : {ok: false, reason: 'Setup is not finished.', changes: []};
	});

	onMessageFrom('dismissPlainAnswer', own, async ({data}) => {
		await dismissPlainAnswer(data.key);
	});

	onMessageFrom('resendInvite', own, async ({data}) => {
		const context = await loadContext();
		return context ? resendInvite(data.uid, {...context, events: createStorageEvents()}) : notConfigured;
	});

	onMessageFrom('cancelEvent', own, async ({data}) => {
		const context = await loadContext();
		return context ? cancelInvite(data.uid, {...context, events: createStorageEvents()}) : notConfigured;
	});

	onMessageFrom('cancelOccurrence', own, async ({data}) => {
		const context = await loadContext();
		return context ? cancelOccurrence(data.uid, data.recurrenceId, {...context, events: createStorageEvents()}) : notConfigured;
	});

	onMessageFrom('answerCounter', own, async ({data}) => {
		const context = await loadContext();
		return context ? answerCounter(data.key, data.answer, context) : notConfigured;
	});

	/** The invitation card's buttons (lib/attendee), with progress to the tab that asked. */
	async function attendeeAction(action: AttendeeAction, sender: MessageSender): Promise<SendInviteResult> {
		const context = await loadContext();
		const tabId = sender.tab?.id;
		return context ? runAttendeeAction(action, context, step => {
			if (tabId !== undefined) {
				void sendMessage('inviteProgress', step, tabId).catch(() => undefined);
			}
		}) : notConfigured;
	}

	onMessageFrom('inspectInvitation', own, async ({data}) => {
		const context = await loadContext();
		return context ? inspectForCard(data.message, data.messageId, context) : {ok: false, error: notConfiguredError};
	});
	onMessageFrom('answerInvitation', own, async ({data, sender}) => attendeeAction({kind: 'answer', ...data}, sender));
	onMessageFrom('addInvitation', own, async ({data, sender}) => attendeeAction({kind: 'add', ...data}, sender));
	onMessageFrom('removeInvitation', own, async ({data, sender}) => attendeeAction({kind: 'remove', ...data}, sender));

	onMessageFrom('openEditor', own, async ({data, sender}) => {
		// An extension page of its own: editing needs no webmail tab, and the composer does not depend on Roundcube.
		// From the invitation card, the tab opens beside the webmail's (its opener), where closing it returns.
		const occurrence = data.occurrence === undefined ? '' : `&occurrence=${encodeURIComponent(data.occurrence)}`;
		await browser.tabs.create({url: browser.runtime.getURL(`/edit.html?uid=${encodeURIComponent(data.uid)}${occurrence}`), ...(sender.tab?.id === undefined ? {} : {openerTabId: sender.tab.id})});
	});

	onMessageFrom('getEditContext', own, async ({data}) => {
		const context = await loadContext();
		const tracked = (await eventsItem.getValue())[data.uid];
		if (!context) {
			return {ok: false, error: notConfiguredError};
		}

		if (!tracked) {
			return {ok: false, error: userError('unknown-event')};
		}

		try {
			const stored = await context.caldav.readEvent(tracked.href);
			return {ok: true, uid: tracked.uid, spec: tracked.spec, stored: stored.ics, organizer: {email: context.account.email, name: context.account.name}};
		} catch (error) {
			return {ok: false, error: toUserFacingError(error, {relayUrl: context.settings.relayUrl})};
		}
	});

	onMessageFrom('updateEvent', own, async ({data, sender}) => {
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

	onMessageFrom('updateOccurrence', own, async ({data, sender}) => {
		const context = await loadContext();
		if (!context) {
			return notConfigured;
		}

		const tabId = sender.tab?.id;
		return updateOccurrence(data.uid, data.changes, {
			...context,
			events: createStorageEvents(),
			onProgress(step) {
				if (tabId !== undefined) {
					void sendMessage('inviteProgress', step, tabId).catch(() => undefined);
				}
			},
		});
	});

	onMessageFrom('getOptions', own, async () => {
		const [settings, account] = await Promise.all([settingsItem.getValue(), accountItem.getValue()]);
		return {settings, account};
	});

	onMessageFrom('saveOptions', own, async ({data}) => {
		await settingsItem.setValue(data.settings);
		await accountItem.setValue(data.account);
		return {ok: true};
	});

	onMessageFrom('getRelaySetup', own, async () => {
		await watchInbox();
		return nativeRelay.setup();
	});

	onMessageFrom('registerWebmails', own, async () => registerWebmails());

	onMessageFrom('testConnection', own, async ({data}) => {
		return testConnection(data);
	});

	onMessageFrom('discoverCalendars', own, async ({data}) => {
		return findCalendars(data);
	});
});
