// @vitest-environment happy-dom
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {ContentScriptContext} from '#imports';
import {initAddInvite} from '../../../entrypoints/purelymail.content/add-invite.ts';

/** Elastic's compose screen, as far as the content script looks at it. */
const composeScreen = `
	<div id="layout-content">
		<ul class="menu toolbar listing iconized" id="toolbar-menu">
			<li role="menuitem"><a class="save draft" href="#"><span class="inner">Save</span></a></li>
			<li role="menuitem"><a class="responses" href="#responses"><span class="inner">Responses</span></a></li>
		</ul>
		<input id="compose-subject" name="_subject">
	</div>`;

const mailList = '<div id="layout-content"><ul id="toolbar-menu"><li><a class="reply">Reply</a></li></ul></div>';

async function nextFrames(): Promise<void> {
	// Mutation records, then the animation frame the check waits for.
	await new Promise(resolve => setTimeout(resolve, 0));
	await new Promise(resolve => requestAnimationFrame(() => {
		resolve(undefined);
	}));
}

let ctx: ContentScriptContext;
let composeScreens = 0;

beforeEach(() => {
	composeScreens = 0;
	ctx = new ContentScriptContext('purelymail');
});

afterEach(() => {
	ctx.abort();
	document.body.innerHTML = '';
});

describe('the Add invite button on compose screens', () => {
	test('appears once on a compose screen, not on the mail list', async () => {
		document.body.innerHTML = mailList;
		initAddInvite(ctx, {onComposeScreen() {
			composeScreens++;
		}});
		await nextFrames();
		expect(document.querySelectorAll('.pmi-add-invite')).toHaveLength(0);

		// Roundcube swaps the screen without loading a page.
		document.body.innerHTML = composeScreen;
		await nextFrames();
		expect(document.querySelectorAll('.pmi-add-invite')).toHaveLength(1);
		expect(composeScreens).toBe(1);

		// Unrelated changes (the recipient widget, the editor) do not add a second one.
		document.querySelector('#layout-content')!.append(document.createElement('div'));
		await nextFrames();
		expect(document.querySelectorAll('.pmi-add-invite')).toHaveLength(1);

		// A new compose screen gets its own button.
		document.body.innerHTML = composeScreen;
		await nextFrames();
		expect(document.querySelectorAll('.pmi-add-invite')).toHaveLength(1);
		expect(composeScreens).toBe(2);
	});

	test('is taken away, and stops watching, when the content script ends', async () => {
		document.body.innerHTML = composeScreen;
		initAddInvite(ctx, {onComposeScreen() {
			composeScreens++;
		}});
		expect(document.querySelectorAll('.pmi-add-invite')).toHaveLength(1);
		ctx.abort();
		expect(document.querySelectorAll('.pmi-add-invite')).toHaveLength(0);
		document.body.innerHTML = composeScreen;
		await nextFrames();
		expect(document.querySelectorAll('.pmi-add-invite')).toHaveLength(0);
	});
});
