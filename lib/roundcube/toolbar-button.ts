/**
 * The "Add invite" button in Roundcube's compose toolbar, built from the page's own classes so that it looks
 * like its neighbours in light and dark mode without any CSS of ours.
 *
 * Elastic (Debian's Roundcube 1.6.5, `ul#toolbar-menu`) draws each item as `li[role=menuitem] > a > span.inner`,
 * the icon being the `a`'s `:before` in the skin's Font Awesome font; `.menu a.calendar:before` is already the
 * calendar icon (skins/elastic/styles/widgets/menu.less), which is why the link carries the class `calendar`.
 * Larry (`#messagetoolbar`) draws `a.button` with the label as text.
 */

/** Marks our button, so that it is added once and can be found again. */
export const inviteButtonClass = 'pmi-add-invite';

/** Where the button goes in Elastic's toolbar: after the first of these items that the page has. */
export const inviteButtonAfter = [
	'a.responses', // Elastic compose: "Responses", the last visible item of the toolbar
	'a.signature', // Elastic compose without the responses menu
	'a.attach', // Elastic compose, older layouts
] as const;

/** The label and tooltip, shared with the tests. */
export const inviteButtonLabel = 'Add invite';
export const inviteButtonTitle = 'Add a meeting invitation with RSVP';

/** The button in this toolbar, if it is there already. */
export function findInviteButton(toolbar: Element): HTMLAnchorElement | undefined {
	return toolbar.querySelector<HTMLAnchorElement>(`a.${inviteButtonClass}`) ?? undefined;
}

function elasticItem(document_: Document): {item: HTMLLIElement; link: HTMLAnchorElement} {
	const item = document_.createElement('li');
	item.setAttribute('role', 'menuitem');
	const link = document_.createElement('a');
	link.className = `calendar ${inviteButtonClass}`;
	link.href = '#add-invite';
	link.setAttribute('role', 'button');
	link.title = inviteButtonTitle;
	link.setAttribute('aria-label', inviteButtonLabel);
	link.setAttribute('aria-haspopup', 'dialog');
	// Roundcube gives its compose toolbar buttons tabindex 2 (after the form's fields); ours follows suit.
	link.tabIndex = 2;
	const inner = document_.createElement('span');
	inner.className = 'inner';
	inner.textContent = inviteButtonLabel;
	link.append(inner);
	item.append(link);
	return {item, link};
}

function larryLink(document_: Document): HTMLAnchorElement {
	const link = document_.createElement('a');
	link.className = `button ${inviteButtonClass}`;
	link.href = '#add-invite';
	link.setAttribute('role', 'button');
	link.title = inviteButtonTitle;
	link.setAttribute('aria-label', inviteButtonLabel);
	link.setAttribute('aria-haspopup', 'dialog');
	link.textContent = inviteButtonLabel;
	return link;
}

/**
 * Adds the button to the toolbar unless it is there already, and returns it with a function that takes it out
 * again. The click handler gets the button, so that the focus can go back to it when the composer closes.
 */
export function addInviteButton(toolbar: Element, onClick: (button: HTMLAnchorElement) => void): {button: HTMLAnchorElement; remove(): void; added: boolean} {
	const existing = findInviteButton(toolbar);
	if (existing) {
		return {
			button: existing,
			remove() {
				(existing.closest('li[role="menuitem"]') ?? existing).remove();
			},
			added: false,
		};
	}

	const document_ = toolbar.ownerDocument;
	const listener = (event: Event): void => {
		event.preventDefault();
		onClick(event.currentTarget as HTMLAnchorElement);
	};

	/** A link with role=button answers Space as well as Enter, as a button would. */
	const onKeyDown = (event: KeyboardEvent): void => {
		if (event.key === ' ') {
			event.preventDefault();
			(event.currentTarget as HTMLAnchorElement).click();
		}
	};

	if (toolbar.tagName === 'UL') {
		const {item, link} = elasticItem(document_);
		const anchor = inviteButtonAfter.map(selector => toolbar.querySelector(selector)?.closest('li')).find(Boolean);
		if (anchor && anchor.parentElement === toolbar) {
			anchor.after(item);
		} else {
			toolbar.append(item);
		}

		link.addEventListener('click', listener);
		link.addEventListener('keydown', onKeyDown);
		return {button: link, remove: () => item.remove(), added: true};
	}

	const link = larryLink(document_);
	toolbar.append(link);
	link.addEventListener('click', listener);
	link.addEventListener('keydown', onKeyDown);
	return {button: link, remove: () => link.remove(), added: true};
}
