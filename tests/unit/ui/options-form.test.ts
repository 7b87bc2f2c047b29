import {describe, expect, test} from 'vitest';
import type {OptionsState} from '../../../lib/messaging.ts';
import {defaultRelayUrl, purelymailServers} from '../../../lib/model.ts';
import {
	addWebmailOrigin, clampPollMinutes, connectionRows, optionsFormFrom, optionsStateFrom, parseWebmailOrigin, validateOptionsForm, type OptionsForm,
} from '../../../lib/ui/options-form.ts';

const state: OptionsState = {
	settings: {
		servers: structuredClone(purelymailServers) as OptionsState['settings']['servers'],
		calendarUrl: null,
		relayMode: 'http',
		relayUrl: defaultRelayUrl,
		relayToken: 'token',
		pollMinutes: 5,
		notifications: true,
		webmailOrigins: [],
	},
	account: {email: 'me@example.org', name: 'Me', password: 'app-pass', aliases: ['alias@example.org']},
};

function form(overrides: Partial<OptionsForm> = {}, settings: Partial<OptionsState['settings']> = {}): OptionsForm {
	const base = optionsFormFrom(state);
	return {...base, ...overrides, settings: {...base.settings, ...settings}};
}

describe('the options form', () => {
	test('round-trips what the background holds', () => {
		expect(optionsFormFrom(state)).toMatchObject({email: 'me@example.org', name: 'Me', password: 'app-pass', aliases: 'alias@example.org'});
		expect(optionsStateFrom(optionsFormFrom(state))).toEqual(state);
	});

	test('aliases split on commas, spaces and lines; no address means no account', () => {
		expect(optionsStateFrom(form({aliases: 'a@x.org, b@x.org\nc@x.org'})).account?.aliases).toEqual(['a@x.org', 'b@x.org', 'c@x.org']);
		expect(optionsStateFrom(form({email: ' '})).account).toBeNull();
	});

	test('a complete form has no errors', () => {
		expect(validateOptionsForm(form())).toEqual({});
	});

	test.each<[string, Partial<OptionsForm>, Partial<OptionsState['settings']>, string, RegExp]>([
		['no address', {email: ''}, {}, 'email', /Purelymail address/],
		['a wrong address', {email: 'me'}, {}, 'email', /not an e-mail/],
		['no password', {password: ''}, {}, 'password', /app password/],
		['a wrong alias', {aliases: 'x@y.org, nope'}, {}, 'aliases', /nope/],
		['CalDAV over http', {}, {servers: {...state.settings.servers, caldavUrl: 'http://purelymail.com/webdav/'}}, 'caldavUrl', /https/],
		['CalDAV not a URL', {}, {servers: {...state.settings.servers, caldavUrl: 'purelymail'}}, 'caldavUrl', /full address/],
		['IMAP port 0', {}, {servers: {...state.settings.servers, imap: {host: 'h', port: 0, secure: true}}}, 'imapPort', /1 to 65535/],
		['no SMTP host', {}, {servers: {...state.settings.servers, smtp: {host: ' ', port: 465, secure: true}}}, 'smtpHost', /SMTP/],
		['relay not a URL', {}, {relayUrl: 'relay'}, 'relayUrl', /full address/],
		['plain http:// to a *.localhost relay, which may resolve elsewhere', {}, {relayUrl: 'http://relay.localhost:8787'}, 'relayUrl', /only for 127\.0\.0\.1, \[::1] and localhost/],
		['plain http:// to a relay on another machine', {}, {relayUrl: 'http://192.168.1.20:8787'}, 'relayUrl', /must start with https:\/\//],
		['no relay token', {}, {relayToken: ''}, 'relayToken', /token/],
		['poll 45 minutes', {}, {pollMinutes: 45}, 'pollMinutes', /1 to 30/],
	])('invalid: %s', (_name, overrides, settings, field, message) => {
		expect(validateOptionsForm(form(overrides, settings))[field as keyof ReturnType<typeof validateOptionsForm>]).toMatch(message);
	});

	test.each(['http://127.0.0.1:8787', 'http://[::1]:8787', 'http://localhost:8787', 'https://relay.example.org'])('the relay at %s is fine', relayUrl => {
		expect(validateOptionsForm(form({}, {relayMode: 'http', relayUrl, relayToken: 't'})).relayUrl).toBeUndefined();
	});

	test('the relay started by the browser needs no address or token', () => {
		expect(validateOptionsForm(form({}, {relayMode: 'native', relayUrl: '', relayToken: ''}))).toEqual({});
	});

	test('CalDAV over http is fine on this computer (the sandbox)', () => {
		expect(validateOptionsForm(form({}, {servers: {...state.settings.servers, caldavUrl: 'http://127.0.0.1:5232/webdav/'}}))).toEqual({});
	});

	test.each([
		[0, 1],
		[1, 1],
		[7.4, 7],
		[30, 30],
		[99, 30],
		[Number.NaN, 1],
	])('poll %d → %d', (value, expected) => {
		expect(clampPollMinutes(value)).toBe(expected);
	});
});

describe('webmail origins', () => {
	test.each([
		['mail.example.org', {ok: true, origin: 'https://mail.example.org'}],
		['https://mail.example.org/roundcube/?_task=mail', {ok: true, origin: 'https://mail.example.org'}],
		['https://mail.example.org:8443', {ok: true, origin: 'https://mail.example.org:8443'}],
		['http://localhost:8080', {ok: true, origin: 'http://localhost:8080'}],
		['http://mail.example.org', {ok: false, error: 'Webmail must be served over https://.'}],
		['', {ok: false, error: 'Type the webmail\'s address.'}],
	])('%j', (text, expected) => {
		expect(parseWebmailOrigin(text)).toEqual(expected);
	});

	test('adding skips duplicates and Purelymail\'s own', () => {
		expect(addWebmailOrigin([], 'mail.example.org')).toEqual({ok: true, origins: ['https://mail.example.org']});
		expect(addWebmailOrigin(['https://mail.example.org'], 'https://mail.example.org/x')).toMatchObject({ok: false, error: /already/});
		expect(addWebmailOrigin([], 'inbox.purelymail.com')).toMatchObject({ok: false, error: /Purelymail's own/});
	});
});

test('connection rows come in a fixed order', () => {
	const ok = {ok: true} as const;
	expect(connectionRows({caldav: ok, imap: ok, smtp: ok, relay: ok}).map(row => row.key)).toEqual(['caldav', 'relay', 'imap', 'smtp']);
});
