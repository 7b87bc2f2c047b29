/**
 * Events as the browser makes them for the user's own input: `isTrusted` true. testing-library's `fireEvent`
 * dispatches events the way a page's script does, which browsers mark untrusted (happy-dom leaves `isTrusted`
 * undefined, as falsy); a control that acts on the user's events only (the composer's Send, issue 12) is driven
 * with these where a test stands in for the user.
 */
import {act} from 'preact/test-utils';

/** Inside `act`, as testing-library's fireEvent does, so Preact has rendered what the event changed. */
function dispatchTrusted(element: Element, event: Event): boolean {
	Object.defineProperty(event, 'isTrusted', {value: true});
	let notCancelled = true;
	// A synchronous callback: act has flushed the render when it returns (its thenable is for async callbacks).
	void act(() => {
		notCancelled = element.dispatchEvent(event);
	});
	return notCancelled;
}

/** A click by the user; false when a handler cancelled it. */
export function userClick(element: Element): boolean {
	return dispatchTrusted(element, new MouseEvent('click', {bubbles: true, cancelable: true, composed: true}));
}

/** A key pressed by the user (its keydown); false when a handler cancelled it. */
export function userKeyDown(element: Element, init: KeyboardEventInit): boolean {
	return dispatchTrusted(element, new KeyboardEvent('keydown', {bubbles: true, cancelable: true, composed: true, ...init}));
}
