import {describe, expect, test} from 'vitest';
import {ownAddresses, relayAccountOf} from '../../../lib/account.ts';
import {answerSentence} from '../../../lib/background/check-replies.ts';
import {missingSetup} from '../../../lib/background/context.ts';
import {popupState} from '../../../lib/background/popup-state.ts';
import {pollPeriod} from '../../../lib/background/schedule.ts';
import {CaldavAuthFailed, CaldavUnavailable} from '../../../lib/caldav/index.ts';
import type {Account, MessageOutcome, TrackedEvent} from '../../../lib/model.ts';
import {RelayClientError} from '../../../lib/relay-client/index.ts';
import {defaultSettings} from '../../../lib/storage.ts';
import {startRelayCommand, toUserFacingError} from '../../../lib/user-errors.ts';

const account: Account = {email: 'Olivia@Example.org', name: 'Olivia', password: 'app-pass', aliases: ['events@example.org']};

describe('answerSentence', () => {
	test.each([
		[{name: 'Alex', partstat: 'ACCEPTED'}, 'Alex accepted Project sync'],
		[{partstat: 'DECLINED', comment: 'Travelling that week'}, 'sam@example.org declined Project sync: Travelling that week'],
		[{name: 'Sam', partstat: 'TENTATIVE'}, 'Sam tentatively accepted Project sync'],
	])('%o → %s', (answer, sentence) => {
		expect(answerSentence({eventUid: 'u', summary: 'Project sync', attendee: 'sam@example.org', ...answer})).toBe(sentence);
	});
});

describe('pollPeriod keeps the interval within 1 to 30 minutes', () => {
	test.each([[0, 1], [1, 1], [7, 7], [30, 30], [90, 30], [Number.NaN, 1], [2.6, 3]])('%d → %d', (minutes, period) => {
		expect(pollPeriod(minutes)).toBe(period);
	});
});

describe('missingSetup', () => {
	test('names everything a first run lacks (the relay the browser starts needs no token)', () => {
		expect(defaultSettings.relayMode).toBe('native');
		expect(missingSetup(defaultSettings, null)).toEqual(['your Purelymail address and app password', 'a calendar']);
	});

	test('a relay over HTTP needs its token', () => {
		expect(missingSetup({...defaultSettings, relayMode: 'http'}, null)).toEqual(['your Purelymail address and app password', 'the relay token', 'a calendar']);
	});

	test('is empty once account, token and calendar are set', () => {
		expect(missingSetup({...defaultSettings, relayToken: 't', calendarUrl: 'https://purelymail.com/webdav/1/caldav/c/'}, account)).toEqual([]);
	});
});

describe('account helpers', () => {
	test('the user\'s own addresses are the account\'s and its aliases, lower case', () => {
		expect(ownAddresses(account)).toEqual(['olivia@example.org', 'events@example.org']);
	});

	test('the relay account carries the configured servers and the aliases as allowed senders', () => {
		expect(relayAccountOf(account, defaultSettings)).toEqual({
			user: 'Olivia@Example.org',
			password: 'app-pass',
			imap: {host: 'imap.purelymail.com', port: 993, secure: true},
			smtp: {host: 'smtp.purelymail.com', port: 465, secure: true},
			allowedSenders: ['events@example.org'],
		});
	});
});

describe('toUserFacingError says what to do', () => {
	const context = {relayUrl: 'http://127.0.0.1:8787'};
	test('relay not running → the command that starts it', () => {
		const error = toUserFacingError(new RelayClientError('RELAY_UNREACHABLE', 'fetch failed', 0), context);
		expect(error.code).toBe('relay-down');
		expect(error.message).toContain('http://127.0.0.1:8787');
		expect(error.action).toContain(startRelayCommand);
	});

	test.each([
		[new RelayClientError('MAILBOX_AUTH_FAILED', 'Authentication failed', 422), 'mailbox-auth'],
		[new RelayClientError('AUTH_REQUIRED', 'bad token', 401), 'relay-token'],
		[new CaldavAuthFailed('401 Unauthorized', {method: 'PUT', url: 'https://purelymail.com/webdav/x', status: 401}), 'caldav-auth'],
		[new CaldavUnavailable('500 Internal Server Error', {method: 'PROPFIND', url: 'https://purelymail.com/webdav/', status: 500}), 'caldav-unavailable'],
		[new Error('boom'), 'unknown'],
	])('%s → %s', (error, code) => {
		expect(toUserFacingError(error, context).code).toBe(code);
	});
});

describe('popupState', () => {
	const event = (uid: string, start: string): TrackedEvent => ({
		uid, href: `/${uid}.ics`, etag: '"1"', calendarUrl: '/', summary: uid, start, end: start, timeZone: 'UTC', allDay: false, sequence: 0,
		attendees: [], delivery: {state: 'sent', at: start, rejected: []}, cancelled: false,
		spec: {organizer: {email: 'o@example.org', name: 'O'}, attendees: [], summary: uid, start, end: start, timeZone: 'UTC'},
		createdAt: start, updatedAt: start,
	});
	const outcome = (key: string, kind: MessageOutcome['outcome'], dismissed = false): MessageOutcome => ({
		key, messageId: null, from: null, subject: key, eventUid: null, outcome: kind, reason: key, changes: [], recordedAt: '2026-11-20T00:00:00Z', dismissed,
	});

	test('lists events soonest first and the undismissed reviews newest first', () => {
		const state = popupState({
			configured: true,
			events: {b: event('b', '2026-12-02T10:00:00Z'), a: event('a', '2026-12-01T10:00:00Z')},
			outcomes: [outcome('1', 'review'), outcome('2', 'applied'), outcome('3', 'review', true), outcome('4', 'review')],
			status: {lastCheck: null, lastError: null, unseenAnswers: 2},
		});
		expect(state.events.map(view => view.uid)).toEqual(['a', 'b']);
		expect(state.review.map(item => item.key)).toEqual(['4', '1']);
	});
});
