/**
 * One "Add invite" button in the compose toolbar whenever a compose screen is shown: on load, and when
 * Roundcube swaps screens without loading a page (its AJAX actions rewrite the layout; the URL changes by
 * history.pushState, which WXT reports as `wxt:locationchange`). A MutationObserver notices both; everything
 * stops with the content script's context (extension reload or update).
 */
import type {ContentScriptContext} from '#imports';
import {findComposeToolbar, isComposeScreen} from '@/lib/roundcube/page';
import {addInviteButton, findInviteButton} from '@/lib/roundcube/toolbar-button';
import {openComposer} from './composer-ui';

type Options = {
	/** Called each time a compose screen is found (the e2e marker follows it). */
	onComposeScreen(): void;
};

export function initAddInvite(ctx: ContentScriptContext, options: Options): void {
	const {signal} = ctx;
	let scheduled = false;
	let removeButton: (() => void) | undefined;

	const ensureButton = (): void => {
		scheduled = false;
		if (signal.aborted || !isComposeScreen(document)) {
			return;
		}

		const toolbar = findComposeToolbar(document);
		// `isComposeScreen` found one; a toolbar that already has the button needs nothing.
		if (!toolbar || findInviteButton(toolbar)) {
			return;
		}

		const {remove} = addInviteButton(toolbar, button => {
			void openComposer(ctx, button);
		});
		removeButton = remove;
		options.onComposeScreen();
	};

	/** Many mutations come in bursts (the recipient widget, the editor): look once per frame at most. */
	const schedule = (): void => {
		if (!scheduled && !signal.aborted) {
			scheduled = true;
			ctx.requestAnimationFrame(ensureButton);
		}
	};

	const observer = new MutationObserver(schedule);
	observer.observe(document.body, {childList: true, subtree: true});
	signal.addEventListener('abort', () => {
		observer.disconnect();
		removeButton?.();
	}, {once: true});
	ctx.addEventListener(window, 'wxt:locationchange', schedule);
	ensureButton();
}
