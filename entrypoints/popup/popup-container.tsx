/**
 * The popup wired to the background: asks `getPopupState` when it opens (which also clears the badge), starts a
 * `checkNow` right away, and runs each action the view asks for, refreshing the state afterwards.
 */
import type {JSX} from 'preact';
import {useCallback, useEffect, useState} from 'preact/hooks';
import {browser} from '#imports';
import {PopupApp, type BusyKey} from '@/components/popup-app';
import {sendMessage, type PopupState, type UserFacingError} from '@/lib/messaging';
import {answerFeedback, applyFeedback, cancelFeedback, counterFeedback, resendFeedback, thrownFeedback, tickFeedback, type ActionFeedback} from '@/lib/ui/action-feedback';
import {eventsItem, invitationsItem, loopStatusItem, outcomesItem, plainAnswersItem, receivedItem, schedulingLogItem} from '@/lib/storage';
import {eventOfPlainAnswer} from '@/lib/ui/plain-answers';
import {browserTimeZone} from '@/lib/ui/time-zones';

/** How often the "checked 2 min ago" line is brought up to date while the popup stays open. */
const clockTickMs = 30_000;

function loadErrorFrom(error: unknown): UserFacingError {
	const feedback = thrownFeedback(error);
	return {code: 'unknown', message: feedback.text, ...(feedback.action ? {action: feedback.action} : {})};
}

export function PopupContainer(): JSX.Element {
	const [state, setState] = useState<PopupState | null>(null);
	const [loadError, setLoadError] = useState<UserFacingError | undefined>();
	const [checking, setChecking] = useState(false);
	const [checkFeedback, setCheckFeedback] = useState<ActionFeedback | undefined>();
	const [busy, setBusy] = useState<ReadonlySet<BusyKey>>(new Set());
	const [feedback, setFeedback] = useState<Record<string, ActionFeedback>>({});
	const [now, setNow] = useState(() => new Date());

	const refresh = useCallback(async (): Promise<PopupState | undefined> => {
		try {
			const next = await sendMessage('getPopupState', undefined);
			setState(next);
			setLoadError(undefined);
			setNow(new Date());
			return next;
		} catch (error) {
			setLoadError(loadErrorFrom(error));
			return undefined;
		}
	}, []);

	const checkNow = useCallback(async (): Promise<void> => {
		setChecking(true);
		try {
			setCheckFeedback(tickFeedback(await sendMessage('checkNow', undefined)));
		} catch (error) {
			setCheckFeedback(thrownFeedback(error));
		} finally {
			setChecking(false);
			await refresh();
		}
	}, [refresh]);

	// The popup stays true while open: whatever the reply loop or an action stores shows at once.
	useEffect(() => {
		const unwatch = [eventsItem, outcomesItem, loopStatusItem, invitationsItem, receivedItem, schedulingLogItem, plainAnswersItem].map(item => item.watch(() => {
			void refresh();
		}));
		return () => {
			for (const stop of unwatch) {
				stop();
			}
		};
	}, [refresh]);

	useEffect(() => {
		void (async () => {
			const first = await refresh();
			if (first?.configured) {
				await checkNow();
			}
		})();
		const timer = setInterval(() => {
			setNow(new Date());
		}, clockTickMs);
		return () => {
			clearInterval(timer);
		};
	}, [refresh, checkNow]);

	/** Runs one action for one item: marks it busy, records what came of it, then reloads the state. */
	const run = (key: BusyKey, feedbackKey: string, action: () => Promise<ActionFeedback | undefined>): void => {
		setBusy(current => new Set([...current, key]));
		void (async () => {
			let outcome: ActionFeedback | undefined;
			try {
				outcome = await action();
			} catch (error) {
				outcome = thrownFeedback(error);
			}

			setFeedback(current => {
				const next = {...current};
				if (outcome) {
					next[feedbackKey] = outcome;
				} else {
					delete next[feedbackKey];
				}

				return next;
			});
			setBusy(current => new Set([...current].filter(item => item !== key)));
			await refresh();
		})();
	};

	return (
		<PopupApp
			state={state}
			loadError={loadError}
			checking={checking}
			checkFeedback={checkFeedback}
			busy={busy}
			feedback={feedback}
			now={now}
			format={{timeZone: browserTimeZone()}}
			onCheckNow={() => {
				void checkNow();
			}}
			onApplyAnyway={key => {
				run(`apply:${key}`, key, async () => applyFeedback(await sendMessage('applyAnyway', {key})));
			}}
			onDismiss={key => {
				run(`dismiss:${key}`, key, async () => {
					await sendMessage('dismissOutcome', {key});
					return undefined;
				});
			}}
			onResend={uid => {
				run(`resend:${uid}`, uid, async () => resendFeedback(await sendMessage('resendInvite', {uid})));
			}}
			onCancelEvent={uid => {
				run(`cancel:${uid}`, uid, async () => cancelFeedback(await sendMessage('cancelEvent', {uid})));
			}}
			onEdit={uid => {
				// The toolbar popup closes by itself when the new tab takes the focus.
				void sendMessage('openEditor', {uid});
			}}
			onEditOccurrence={(uid, occurrence) => {
				void sendMessage('openEditor', {uid, occurrence});
			}}
			onCancelOccurrence={(uid, recurrenceId) => {
				run(`occurrence:${uid}`, uid, async () => cancelFeedback(await sendMessage('cancelOccurrence', {uid, recurrenceId})));
			}}
			onAcceptProposal={key => {
				run(`accept:${key}`, key, async () => counterFeedback(await sendMessage('answerCounter', {key, answer: 'accept'}), 'accept'));
			}}
			onDeclineProposal={key => {
				run(`decline:${key}`, key, async () => counterFeedback(await sendMessage('answerCounter', {key, answer: 'decline'}), 'decline'));
			}}
			onAnswerInvitation={(uid, answer) => {
				const invitation = state?.invitations?.find(candidate => candidate.uid === uid);
				if (invitation) {
					// One the always-on agent lists carries no REQUEST: the background hands the answer to the agent.
					const data = invitation.message ? {message: invitation.message, choice: {answer}} : {uid, choice: {answer}};
					run(`answer:${answer}:${uid}`, uid, async () => answerFeedback(await sendMessage('answerInvitation', data), answer));
				}
			}}
			onRecordPlainAnswer={(key, partstat) => {
				// Said on the event: the answer itself leaves the list once recorded.
				run(`plain:${key}`, eventOfPlainAnswer(state, key), async () => applyFeedback(await sendMessage('recordPlainAnswer', {key, partstat})));
			}}
			onDismissPlainAnswer={key => {
				run(`plain:${key}`, eventOfPlainAnswer(state, key), async () => {
					await sendMessage('dismissPlainAnswer', {key});
					return undefined;
				});
			}}
			onOpenOptions={() => {
				void browser.runtime.openOptionsPage();
				window.close();
			}}
		/>
	);
}
