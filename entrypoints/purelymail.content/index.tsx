/**
 * Purelymail's webmail (Roundcube 1.6, Elastic): the "Add invite" button on compose screens and the invite
 * composer it opens. Holds no credentials: every action is a typed message to the background (lib/messaging.ts).
 */
import '@/components/styles/composer.css';
import '@/components/styles/card.css';
import {defineContentScript, type ContentScriptContext} from '#imports';
import {isComposeScreen} from '@/lib/roundcube/page';
import {sendMessage} from '@/lib/messaging';
import {testBuild} from '@/lib/test-build';
import {initAddInvite} from './add-invite';
import {initInvitationCard} from './invitation-card';
import {addTestMarker} from './test-marker';

/** How long the content script keeps trying to reach a background that is still starting (a busy machine, a cold service worker). */
const pingBudgetMs = 20_000;

export default defineContentScript({
	matches: ['https://inbox.purelymail.com/*', 'https://purelymail.com/webmail/*'],
	runAt: 'document_idle',
	// Roundcube's preview pane is an iframe of the same origin: the invitation card goes into it.
	allFrames: true,
	// The composer's CSS goes into its shadow root only: Roundcube's CSS stays out of it and ours out of the page.
	cssInjectionMode: 'ui',
	async main(ctx) {
		// The e2e build's marker (tests read it); absent from production builds, where `testBuild` is false.
		const marker = testBuild ? addTestMarker(ctx, isComposeScreen(document)) : undefined;
		initAddInvite(ctx, {
			onComposeScreen() {
				marker?.compose();
			},
		});

		const reachable = await pingBackground(ctx);
		marker?.background(reachable);
		if (reachable) {
			// A message without a calendar, or one Roundcube will not give out, shows no card: nothing to report.
			await initInvitationCard(ctx).catch(() => undefined);
		}
	},
});

/**
 * True once the background answers. Chrome may still be starting the service worker when the page loads, and then
 * a message finds no receiver: try again, sooner at first, for up to `pingBudgetMs`.
 */
async function pingBackground(ctx: ContentScriptContext): Promise<boolean> {
	const started = Date.now();
	for (let wait = 250; ; wait = Math.min(wait * 2, 2000)) {
		try {
			const answer = await sendMessage('ping', undefined);
			return answer.ok;
		} catch {
			if (Date.now() - started + wait > pingBudgetMs || ctx.isInvalid) {
				return false;
			}

			await new Promise(resolve => ctx.setTimeout(() => {
				resolve(undefined);
			}, wait));
		}
	}
}

/*
Test URLs (the sandbox's Roundcube behind the e2e TLS front, or Purelymail itself):
https://inbox.purelymail.com/?_task=mail&_action=compose
https://inbox.purelymail.com/?_task=mail&_mbox=INBOX (no button)
*/
