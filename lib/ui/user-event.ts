/**
 * The one trust rule for the extension's controls inside the webmail page (issue 12): they act only on the user's
 * own input. A script of the page can dispatch a click, a key or a submit on anything it reaches, and the browser
 * marks those events untrusted (`Event.isTrusted` false; HTML "Dispatching events": only the user agent's own
 * events are trusted). A `submit` proves nothing either way: the browser fires a trusted one for a script's
 * `button.click()` or `requestSubmit()`, so no control here acts on a submit.
 */

/** True for an event the browser made for the user's own click or key press. */
export function byUser(event: Event): boolean {
	return event.isTrusted;
}

/** `act`, called only for the user's own event; a page script's synthetic one does nothing. */
export function onUserEvent<E extends Event>(act: (event: E) => void): (event: E) => void {
	return event => {
		if (byUser(event)) {
			act(event);
		}
	};
}
