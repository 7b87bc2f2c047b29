/**
 * Issue 12, item 11: every message the background handles, sent from each kind of sender, through the background's own
 * wiring (entrypoints/background.ts under WXT's fake browser). Popup-only actions refuse the webmail's content script,
 * the options page's refuse everything else, and nothing outside the extension gets an answer.
 */
import {beforeAll, describe, expect, test, vi} from 'vitest';
import {fakeBrowser} from 'wxt/testing';
import background from '../../../entrypoints/background.ts';
import {allowedSenders, payloadRules, type ProtocolMap} from '../../../lib/messaging.ts';
import type {TrackedEvent} from '../../../lib/model.ts';
import {eventsItem, invitationsItem} from '../../../lib/storage.ts';
import {invitationCopy} from '../../helpers/invitation-records.ts';
import type {MessageSender, SenderKind} from '../../../lib/sender-check.ts';

type Listener = (message: unknown, sender: MessageSender, sendResponse: (response: unknown) => void) => unknown;
type Answer = {res?: unknown; err?: {name?: string; message?: string}};

const base = fakeBrowser.runtime.getURL('/');
const ownId = fakeBrowser.runtime.id;
const tab = {id: 7, index: 0, pinned: false, highlighted: false, windowId: 1, active: true, incognito: false, selected: true, discarded: false, autoDiscardable: true, groupId: -1, frozen: false};

/** Each kind of context that can message the background, as the browser would describe it. */
const senders: Record<SenderKind | 'web page' | 'other extension' | 'unknown page', MessageSender> = {
	popup: {id: ownId, url: `${base}popup.html`},
	options: {id: ownId, url: `${base}options.html`},
	edit: {id: ownId, url: `${base}edit.html?uid=u1`, tab},
	content: {id: ownId, url: 'https://inbox.purelymail.com/?_task=mail&_action=compose', tab, frameId: 0},
	// A web page (no id of ours) and another extension's page.
	'web page': {url: 'https://evil.example/', tab},
	'other extension': {id: 'someone-else', url: 'chrome-extension://someone-else/popup.html'},
	// One of our own pages that is none of the three (e.g. a resource a page could frame).
	'unknown page': {id: ownId, url: `${base}icon/128.png`, tab},
};

/** The payload each message would carry; refused senders never get far enough to read it. */
const payloads: Partial<Record<keyof ProtocolMap, unknown>> = {
	applyAnyway: {key: 'k'}, dismissOutcome: {key: 'k'}, resendInvite: {uid: 'u'}, cancelEvent: {uid: 'u'},
	cancelOccurrence: {uid: 'u', recurrenceId: '20261201T100000Z'}, openEditor: {uid: 'u'}, answerCounter: {key: 'k', answer: 'decline'},
	getEditContext: {uid: 'u'}, updateEvent: {uid: 'u', changes: {}},
};

let listener: Listener | undefined;

beforeAll(() => {
	fakeBrowser.reset();
	// WXT's fake browser has no permissions or scripting API; the background only subscribes to them here.
	Object.assign(fakeBrowser.permissions, {
		contains: async () => false,
		onAdded: {addListener() {}},
		onRemoved: {addListener() {}},
	});
	Object.assign(fakeBrowser.scripting, {
		getRegisteredContentScripts: async () => [],
		registerContentScripts: async () => undefined,
		unregisterContentScripts: async () => undefined,
	});
	const addListener = fakeBrowser.runtime.onMessage.addListener.bind(fakeBrowser.runtime.onMessage);
	vi.spyOn(fakeBrowser.runtime.onMessage, 'addListener').mockImplementation(added => {
		listener = added as unknown as Listener;
		addListener(added);
	});
	background.main();
});

async function send(type: keyof ProtocolMap, sender: MessageSender, data: unknown = payloads[type]): Promise<Answer> {
	if (!listener) {
		throw new Error('The background registered no message listener');
	}

	const registered = listener;
	return new Promise<Answer>(resolve => {
		const handled = registered({id: 1, type, data, timestamp: Date.now()}, sender, response => {
			resolve(response as Answer);
		});
		if (handled !== true) {
			resolve({err: {name: 'unhandled', message: `No handler for ${type}`}});
		}
	});
}

const cases = (Object.keys(allowedSenders) as Array<keyof ProtocolMap>).flatMap(type =>
	(Object.keys(senders) as Array<keyof typeof senders>).map(kind => ({type, kind, allowed: (allowedSenders[type] as readonly string[]).includes(kind)})));

describe('the background answers each message only from the senders it declares', () => {
	test.each(cases.filter(({allowed}) => !allowed))('$type from the $kind is refused', async ({type, kind}) => {
		const answer = await send(type, senders[kind]);
		expect(answer.res).toBeUndefined();
		expect(answer.err?.name).toBe(type === 'inviteProgress' ? 'unhandled' : 'MessageRefused');
	});

	test.each(cases.filter(({allowed}) => allowed))('$type from the $kind reaches its handler', async ({type, kind}) => {
		const answer = await send(type, senders[kind]);
		// The handler ran: it answered, or failed on the fake browser's missing parts, but was not refused.
		expect(answer.err?.name).not.toBe('MessageRefused');
		expect(answer.err?.name).not.toBe('unhandled');
	});
});

describe('the declared senders follow the issue', () => {
	const popupActions = ['getPopupState', 'checkNow', 'applyAnyway', 'dismissOutcome', 'resendInvite', 'cancelEvent', 'cancelOccurrence', 'answerCounter', 'openEditor'] as const;
	const optionsActions = ['getOptions', 'saveOptions', 'getRelaySetup', 'registerWebmails', 'testConnection', 'discoverCalendars'] as const;

	test.each(popupActions)('%s is the popup\'s alone', type => {
		expect(allowedSenders[type]).toEqual(['popup']);
	});

	test.each(optionsActions)('%s is the options page\'s alone', type => {
		expect(allowedSenders[type]).toEqual(['options']);
	});

	test('a content script may open the editor only under a payload rule, and no other popup action', () => {
		expect(Object.keys(payloadRules)).toEqual(['openEditor']);
		expect(Object.keys(payloadRules.openEditor!)).toEqual(['content']);
	});

	test('a content script may only ping, use the composer and the invitation card, and open the options page', () => {
		const forContent = (Object.keys(allowedSenders) as Array<keyof ProtocolMap>).filter(type => allowedSenders[type].includes('content'));
		expect(forContent.sort()).toEqual(['addInvitation', 'answerInvitation', 'getComposerContext', 'inspectInvitation', 'openOptions', 'ping', 'removeInvitation', 'sendInvite']);
	});
});

describe('issue 15: the invitation card of the user\'s own event opens the editor, and nothing else does', () => {
	/** An event the user organizes, as the extension stores it (only what the rule reads matters here). */
	function organized(uid: string, cancelled = false): TrackedEvent {
		return {uid, href: `https://dav.example/cal/${uid}.ics`, cancelled} as unknown as TrackedEvent;
	}

	beforeAll(async () => {
		await eventsItem.setValue({'own-1': organized('own-1'), 'gone-1': organized('gone-1', true)});
		// An invitation the user received: someone else's event, in the user's calendar.
		await invitationsItem.setValue({'theirs-1': invitationCopy('theirs-1')});
	});

	test('the webmail page opens the edit page for an event the user organizes and stores, beside its own tab', async () => {
		const create = vi.spyOn(fakeBrowser.tabs, 'create');
		create.mockClear();
		const answer = await send('openEditor', senders.content, {uid: 'own-1'});
		expect(answer.err).toBeUndefined();
		expect(create).toHaveBeenCalledExactlyOnceWith({url: `${base}edit.html?uid=own-1`, openerTabId: tab.id});
	});

	test.each([
		['an unknown UID', 'nobody-knows'],
		['a received invitation (someone else\'s event)', 'theirs-1'],
		['a cancelled event of the user\'s', 'gone-1'],
		['an empty UID', ''],
	])('the webmail page asking for %s is refused, and no tab opens', async (_, uid) => {
		const create = vi.spyOn(fakeBrowser.tabs, 'create');
		create.mockClear();
		const answer = await send('openEditor', senders.content, {uid});
		expect(answer.err?.name).toBe('MessageRefused');
		expect(create).not.toHaveBeenCalled();
	});

	test('the rule is only for the webmail page: another extension or a web page naming the user\'s own event is refused', async () => {
		for (const kind of ['web page', 'other extension', 'unknown page', 'options', 'edit'] as const) {
			expect((await send('openEditor', senders[kind], {uid: 'own-1'})).err?.name, kind).toBe('MessageRefused');
		}
	});
});
