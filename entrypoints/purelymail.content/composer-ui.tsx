/**
 * Opens the invite composer in a shadow root (WXT `createShadowRootUi`, CSS injected into the root only),
 * prefilled from the compose form, and wires it to the background: `getComposerContext`, `sendInvite`, and the
 * `inviteProgress` messages that arrive while it sends.
 */
import {render} from 'preact';
import {useEffect, useState} from 'preact/hooks';
import type {JSX} from 'preact';
import {createShadowRootUi, type ContentScriptContext, type ShadowRootContentScriptUi} from '#imports';
import {InviteComposer} from '@/components/invite-composer';
import {onMessage, sendMessage, type InviteDraft} from '@/lib/messaging';
import {findLeaveComposeControl, readComposeForm} from '@/lib/roundcube/compose-form';
import {initialComposerForm} from '@/lib/ui/composer-form';
import {mergeStep, stateFromResult, stateFromThrown, type SendState} from '@/lib/ui/send-progress';
import {browserTimeZone, supportedTimeZones, timeZoneChoices} from '@/lib/ui/time-zones';
import {pageUiShadowMode} from '@/lib/test-build';

/** Above Roundcube's own dialogs and menus (jQuery UI puts those near 1000–2000). */
const composerZIndex = 100_000;

/** Set while a composer is open or opening: one at a time. */
let open = false;

type ComposerContext = {configured: boolean; organizer: {email: string; name: string} | null};

/** Elastic's dark mode is the class `dark-mode` on the page's html element; it can change while the composer is open. */
export function usePageTheme(signal: AbortSignal): 'light' | 'dark' {
	const read = (): 'light' | 'dark' => document.documentElement.classList.contains('dark-mode') ? 'dark' : 'light';
	const [theme, setTheme] = useState(read);
	useEffect(() => {
		const observer = new MutationObserver(() => {
			setTheme(read());
		});
		observer.observe(document.documentElement, {attributes: true, attributeFilter: ['class']});
		signal.addEventListener('abort', () => {
			observer.disconnect();
		}, {once: true});
		return () => {
			observer.disconnect();
		};
	}, [signal]);
	return theme;
}

type ComposerAppProps = {
	context: ComposerContext;
	signal: AbortSignal;
	onClose(): void;
	onDiscardDraft(): void;
};

function ComposerApp({context, signal, onClose, onDiscardDraft}: ComposerAppProps): JSX.Element {
	const theme = usePageTheme(signal);
	// Read once, when the composer opens: later edits of the e-mail do not change a half-filled invitation.
	const [prefill] = useState(() => {
		const page = readComposeForm(document);
		const zone = browserTimeZone();
		const now = new Date();
		return {
			now,
			body: page.body,
			zone,
			zones: timeZoneChoices(supportedTimeZones(), [zone]),
			form: initialComposerForm({
				now,
				timeZone: zone,
				subject: page.subject,
				recipients: page.recipients,
				organizer: context.organizer ? [context.organizer.email] : [],
			}),
		};
	});
	const [send, setSend] = useState<SendState>({phase: 'idle'});

	useEffect(() => {
		// One listener per message type and context (webext-core); removed when the composer closes.
		const remove = onMessage('inviteProgress', ({data}) => {
			setSend(current => current.phase === 'sending' ? {phase: 'sending', steps: mergeStep(current.steps, data)} : current);
		});
		return remove;
	}, []);

	const onSend = (draft: InviteDraft): void => {
		setSend({phase: 'sending', steps: []});
		sendMessage('sendInvite', draft).then(result => {
			setSend(current => stateFromResult(current.phase === 'sending' ? current.steps : [], result));
		}, (error: unknown) => {
			setSend(current => stateFromThrown(current.phase === 'sending' ? current.steps : [], error));
		});
	};

	return (
		<InviteComposer
			initial={prefill.form}
			bodyText={prefill.body}
			organizer={context.organizer}
			configured={context.configured}
			zones={prefill.zones}
			browserZone={prefill.zone}
			now={prefill.now}
			send={send}
			theme={theme}
			canDiscardDraft={findLeaveComposeControl(document) !== undefined}
			onSend={onSend}
			onClose={onClose}
			onDiscardDraft={onDiscardDraft}
			onOpenOptions={() => {
				// The background opens it; without an answer there is nothing more a page can do.
				sendMessage('openOptions', undefined).catch(() => undefined);
			}}
		/>
	);
}

/** What the background says about the account; when it cannot answer, sending will say why. */
async function composerContext(): Promise<ComposerContext> {
	try {
		return await sendMessage('getComposerContext', undefined);
	} catch {
		return {configured: true, organizer: null};
	}
}

/** Opens the composer unless one is open (its overlay covers the button anyway). The button gets the focus back. */
export async function openComposer(ctx: ContentScriptContext, button: HTMLElement): Promise<void> {
	if (open) {
		return;
	}

	// Claimed before the first await, so that a double click opens one composer.
	open = true;
	const context = await composerContext();
	if (ctx.isInvalid) {
		open = false;
		return;
	}

	const close = (): void => {
		ui.remove();
		open = false;
		button.focus();
	};

	/**
	 * Leaves the compose screen through Roundcube's own "Mail" control (`rcmail.command('list')`), after the user
	 * chose "Discard draft". Content scripts cannot call the page's `rcmail` (isolated world), and loading
	 * ?_task=mail ourselves would trip the browser's "leave page?" prompt; the click instead runs Roundcube's own
	 * check, which asks "discard the unsent message?" when the form has unsaved changes and removes its local copy.
	 * A draft Roundcube already saved to the Drafts folder stays there, as it does when Roundcube's own compose
	 * is left this way.
	 */
	const discardDraft = (): void => {
		const leave = findLeaveComposeControl(document);
		ui.remove();
		open = false;
		leave?.click();
	};

	let ui: ShadowRootContentScriptUi<HTMLDivElement>;
	try {
		ui = await createComposerUi(ctx, {context, close, discardDraft});
	} catch (error) {
		// Nothing was shown: the button must work again.
		open = false;
		throw error;
	}

	if (ctx.isInvalid) {
		open = false;
		return;
	}

	ui.mount();
}

type ComposerUiOptions = {context: ComposerContext; close(): void; discardDraft(): void};

/** The shadow root the composer lives in; `mount` shows it. */
async function createComposerUi(ctx: ContentScriptContext, {context, close, discardDraft}: ComposerUiOptions): Promise<ShadowRootContentScriptUi<HTMLDivElement>> {
	return createShadowRootUi(ctx, {
		name: 'purelymail-invites-composer',
		// Closed in production: the webmail's scripts cannot read the form or reach the Send button (issue 12).
		mode: pageUiShadowMode,
		position: 'modal',
		zIndex: composerZIndex,
		anchor: 'body',
		append: 'last',
		// Keys typed in the composer must not reach Roundcube's shortcuts behind it.
		isolateEvents: true,
		onMount(container) {
			const root = document.createElement('div');
			container.append(root);
			render(<ComposerApp context={context} signal={ctx.signal} onClose={close} onDiscardDraft={discardDraft} />, root);
			return root;
		},
		onRemove(root) {
			if (root) {
				render(null, root);
			}
		},
	});
}
