/**
 * The invitation card above a message in Roundcube's message view (the preview pane's iframe and the full view):
 * reads the message's source from Roundcube with the page's own session, finds its iTIP calendar (lib/imip), asks
 * the background what lib/itip makes of it against the user's calendar, and shows the card in a shadow root.
 * Its buttons are typed messages to the background (lib/attendee does the work); after each, the card is read again.
 * A reply in review is applied or dismissed in the popup only (issue 12 keeps that from the webmail's content script).
 * The user's own invitation (its copy in Sent) offers Edit, which opens the popup's edit page for the stored event:
 * the in-page composer belongs to Roundcube's compose screen and writes a new mail, while an update is sent by the
 * background from the edit page, which the webmail page may not do itself (issue 12).
 */
import {render} from 'preact';
import {useCallback, useEffect, useState} from 'preact/hooks';
import type {JSX} from 'preact';
import {createShadowRootUi, type ContentScriptContext} from '#imports';
import {InvitationCard} from '@/components/invitation-card';
import {invitationMessageOf} from '@/lib/attendee/message';
import type {AnswerChoice, InvitationMessage} from '@/lib/attendee/types';
import {readCalendarMail} from '@/lib/imip/index';
import {onMessage, sendMessage, type SendInviteResult} from '@/lib/messaging';
import {findCardAnchor, messageSourceUrl, shownMessage} from '@/lib/roundcube/message-view';
import {thrownFeedback} from '@/lib/ui/action-feedback';
import {cardView, type CardView} from '@/lib/ui/invitation-card';
import {mergeStep, stateFromResult, stateFromThrown, type SendState} from '@/lib/ui/send-progress';
import {browserTimeZone} from '@/lib/ui/time-zones';
import {pageUiShadowMode} from '@/lib/test-build';
import {usePageTheme} from './composer-ui';

type CardAppProps = {message: InvitationMessage; messageId: string | null; signal: AbortSignal};

function CardApp({message, messageId, signal}: CardAppProps): JSX.Element | null {
	const theme = usePageTheme(signal);
	const [view, setView] = useState<CardView | undefined>();
	const [action, setAction] = useState<SendState>({phase: 'idle'});

	const inspect = useCallback(async (): Promise<void> => {
		try {
			const answer = await sendMessage('inspectInvitation', {message, messageId});
			setView(answer.ok
				? cardView(message, answer.inspection, {timeZone: browserTimeZone()}, new Date())
				: {kind: 'notice', text: [answer.error.message, answer.error.action].filter(Boolean).join(' ')});
		} catch (error) {
			setView({kind: 'notice', text: thrownFeedback(error).text});
		}
	}, [message, messageId]);

	useEffect(() => {
		void inspect();
		// One listener per message type and context (webext-core); the preview iframe has its own context.
		return onMessage('inviteProgress', ({data}) => {
			setAction(current => current.phase === 'sending' ? {phase: 'sending', steps: mergeStep(current.steps, data)} : current);
		});
	}, [inspect]);

	const run = (work: () => Promise<SendInviteResult>): void => {
		setAction({phase: 'sending', steps: []});
		work().then(result => {
			setAction(current => stateFromResult(current.phase === 'sending' ? current.steps : [], result));
		}, (error: unknown) => {
			setAction(current => stateFromThrown(current.phase === 'sending' ? current.steps : [], error));
		}).finally(() => {
			void inspect();
		});
	};

	if (!view) {
		return null;
	}

	return (
		<InvitationCard
			view={view}
			action={action}
			theme={theme}
			onAnswer={(choice: AnswerChoice) => {
				run(async () => sendMessage('answerInvitation', {message, choice}));
			}}
			onAdd={() => {
				run(async () => sendMessage('addInvitation', {message}));
			}}
			onRemove={() => {
				run(async () => sendMessage('removeInvitation', {message}));
			}}
			onEdit={(uid: string) => {
				// The popup's edit page, in a tab of its own (the background allows it only for an event the user organizes).
				sendMessage('openEditor', {uid}).catch((error: unknown) => {
					setAction(stateFromThrown([], error));
				});
			}}
		/>
	);
}

/** Reads the shown message's source from Roundcube; undefined when it cannot (logged out, a deleted message). */
async function messageSource(href: string, uid: string, mbox: string): Promise<Uint8Array | undefined> {
	const response = await fetch(messageSourceUrl(href, {uid, mbox}), {credentials: 'same-origin'});
	return response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined;
}

/** Shows the card when this page is a message view whose mail holds an iTIP message; does nothing otherwise. */
export async function initInvitationCard(ctx: ContentScriptContext): Promise<void> {
	const shown = shownMessage(location.href);
	const anchor = findCardAnchor(document);
	if (!shown || !anchor) {
		return;
	}

	const source = await messageSource(location.href, shown.uid, shown.mbox);
	if (!source || ctx.isInvalid) {
		return;
	}

	const mail = await readCalendarMail(source);
	const message = invitationMessageOf(mail);
	if (!message || ctx.isInvalid) {
		return;
	}

	const ui = await createShadowRootUi(ctx, {
		name: 'purelymail-invites-card',
		// Closed in production, as the composer's: the webmail's scripts cannot read the card or press its buttons.
		mode: pageUiShadowMode,
		position: 'inline',
		anchor,
		append: 'before',
		onMount(container) {
			const root = document.createElement('div');
			container.append(root);
			render(<CardApp message={message} messageId={mail.messageId} signal={ctx.signal} />, root);
			return root;
		},
		onRemove(root) {
			if (root) {
				render(null, root);
			}
		},
	});
	if (!ctx.isInvalid) {
		ui.mount();
	}
}

/*
Test URLs (the sandbox's Roundcube behind the e2e TLS front):
https://inbox.purelymail.com/?_task=mail&_action=show&_uid=1&_mbox=INBOX (an invitation: the card above the body)
https://inbox.purelymail.com/?_task=mail&_action=preview&_uid=1&_mbox=INBOX&_framed=1 (the preview pane's iframe)
*/
