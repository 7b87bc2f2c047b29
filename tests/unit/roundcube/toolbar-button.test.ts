// @vitest-environment happy-dom
import {afterEach, describe, expect, test, vi} from 'vitest';
import {addInviteButton, findInviteButton} from '../../../lib/roundcube/toolbar-button.ts';

/** Elastic's compose toolbar as Roundcube 1.6.5 writes it (trimmed to the items that matter). */
const elasticToolbar = `
	<ul class="menu toolbar listing iconized" id="toolbar-menu">
		<li role="menuitem"><a class="save draft" href="#"><span class="inner">Save</span></a></li>
		<li role="menuitem" class="spacer"></li>
		<li role="menuitem"><a class="attach" href="#"><span class="inner">Attach</span></a></li>
		<li role="menuitem"><a class="signature disabled" href="#"><span class="inner">Signature</span></a></li>
		<li role="menuitem"><a class="responses" href="#responses"><span class="inner">Responses</span></a></li>
		<li role="menuitem"><span class="dropbutton disabled" style="display:none"><a class="encrypt" href="#"></a></span></li>
	</ul>`;

afterEach(() => {
	document.body.innerHTML = '';
});

describe('the Add invite button', () => {
	test('Elastic: one li > a.calendar > span.inner after Responses, like its neighbours', () => {
		document.body.innerHTML = elasticToolbar;
		const toolbar = document.querySelector('#toolbar-menu')!;
		const onClick = vi.fn();
		const {button, added} = addInviteButton(toolbar, onClick);
		expect(added).toBe(true);
		expect(button.outerHTML).toMatch(/^<a class="calendar pmi-add-invite"/);
		expect(button.querySelector('span.inner')?.textContent).toBe('Add invite');
		expect(button.getAttribute('aria-label')).toBe('Add invite');
		expect(button.parentElement?.getAttribute('role')).toBe('menuitem');
		const labels = [...toolbar.querySelectorAll(':scope > li')].map(item => item.textContent?.trim());
		expect(labels).toEqual(['Save', '', 'Attach', 'Signature', 'Responses', 'Add invite', '']);
		button.click();
		expect(onClick).toHaveBeenCalledWith(button);
		button.dispatchEvent(new KeyboardEvent('keydown', {key: ' ', bubbles: true, cancelable: true}));
		expect(onClick).toHaveBeenCalledTimes(2);
	});

	test('adding twice keeps one button', () => {
		document.body.innerHTML = elasticToolbar;
		const toolbar = document.querySelector('#toolbar-menu')!;
		const first = addInviteButton(toolbar, () => undefined);
		const second = addInviteButton(toolbar, () => undefined);
		expect(second.added).toBe(false);
		expect(second.button).toBe(first.button);
		expect(toolbar.querySelectorAll('.pmi-add-invite')).toHaveLength(1);
		second.remove();
		expect(findInviteButton(toolbar)).toBeUndefined();
		expect(toolbar.querySelectorAll(':scope > li')).toHaveLength(6);
	});

	test('a toolbar without the known items gets the button at the end', () => {
		document.body.innerHTML = '<ul id="toolbar-menu"><li><a class="save">Save</a></li></ul>';
		const toolbar = document.querySelector('#toolbar-menu')!;
		addInviteButton(toolbar, () => undefined);
		expect(toolbar.lastElementChild?.textContent).toBe('Add invite');
	});

	test('Larry: an a.button in #messagetoolbar', () => {
		document.body.innerHTML = '<div id="messagetoolbar"><a class="button send" href="#">Send</a></div>';
		const toolbar = document.querySelector('#messagetoolbar')!;
		const {button, remove} = addInviteButton(toolbar, () => undefined);
		expect(button.className).toBe('button pmi-add-invite');
		expect(toolbar.lastElementChild).toBe(button);
		remove();
		expect(toolbar.querySelector('.pmi-add-invite')).toBeNull();
	});
});
