/**
 * The e2e build's sign that the content script runs and reaches the background: `<meta name="purelymail-invites">`
 * in the page's head (tests/e2e/wiring.test.ts and the any-engine journeys read it). Only the e2e build creates it
 * (index.tsx calls this behind `testBuild`): in production a page could read it to learn the extension is there.
 */
import type {ContentScriptContext} from '#imports';

export type TestMarker = {
	/** A compose screen was found. */
	compose(): void;
	/** Whether the background answered the first ping. */
	background(reachable: boolean): void;
};

export function addTestMarker(ctx: ContentScriptContext, onCompose: boolean): TestMarker {
	const marker = document.createElement('meta');
	marker.name = 'purelymail-invites';
	marker.content = onCompose ? 'compose' : 'other';
	document.head.append(marker);
	ctx.onInvalidated(() => {
		marker.remove();
	});
	return {
		compose() {
			marker.content = 'compose';
		},
		background(reachable) {
			marker.dataset.background = reachable ? 'ok' : 'down';
		},
	};
}
