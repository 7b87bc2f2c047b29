import {describe, expect, test} from 'vitest';
import {parseRepliesRequest, parseSendRequest, parseVerifyRequest} from '../../../relay/validate.ts';
import {mayUseSender, messageIdOf, toCrlf} from '../../../relay/routes/send.ts';

const account = {user: 'organizer@sandbox.test', password: 'secret'};

describe('request validation', () => {
	test('a full send request passes', () => {
		expect(parseSendRequest({account: {...account, smtp: {host: '127.0.0.1', port: 2525, secure: false}}, envelope: {from: account.user, to: ['a@b.test']}, raw: 'x', copyToSent: true}))
			.toEqual({account: {...account, smtp: {host: '127.0.0.1', port: 2525, secure: false}}, envelope: {from: account.user, to: ['a@b.test']}, raw: 'x', copyToSent: true});
	});

	test.each([
		['no account', {envelope: {from: 'a@b.test', to: ['c@d.test']}, raw: 'x'}, /account must be an object/],
		['no password', {account: {user: 'a@b.test'}, envelope: {from: 'a@b.test', to: ['c@d.test']}, raw: 'x'}, /account.password/],
		['no recipients', {account, envelope: {from: account.user, to: []}, raw: 'x'}, /at least one recipient/],
		['a display name in the envelope', {account, envelope: {from: account.user, to: ['Bob <bob@b.test>']}, raw: 'x'}, /envelope.to\[0]/],
		['a line break in an address (SMTP injection)', {account, envelope: {from: 'a@b.test\r\nRCPT TO:<x@y>', to: ['c@d.test']}, raw: 'x'}, /envelope.from/],
		['a port as a string', {account: {...account, imap: {host: 'h', port: '993', secure: true}}, envelope: {from: account.user, to: ['c@d.test']}, raw: 'x'}, /account.imap.port/],
		['no raw', {account, envelope: {from: account.user, to: ['c@d.test']}}, /raw/],
	])('send: %s → BAD_REQUEST', (_name, body, message) => {
		expect(() => parseSendRequest(body)).toThrow(message);
		expect(() => parseSendRequest(body)).toThrow(expect.objectContaining({code: 'BAD_REQUEST', status: 400}) as Error);
	});

	test('verify needs an account', () => {
		expect(parseVerifyRequest({account})).toEqual({account});
		expect(() => parseVerifyRequest(null)).toThrow(/body must be an object/);
	});

	test('replies: folders and cursor', () => {
		expect(parseRepliesRequest({account, folders: ['INBOX'], cursor: {folders: {INBOX: {uidValidity: '17', highestUid: 3}}}}))
			.toEqual({account, folders: ['INBOX'], cursor: {folders: {INBOX: {uidValidity: '17', highestUid: 3}}}});
		expect(() => parseRepliesRequest({account, cursor: {folders: {INBOX: {uidValidity: 17, highestUid: 3}}}})).toThrow(/uidValidity/);
		expect(() => parseRepliesRequest({account, folders: []})).toThrow(/folders/);
	});

	test('a cursor folder called __proto__ stays data', () => {
		const parsed = parseRepliesRequest(JSON.parse('{"account": {"user": "a@b.test", "password": "p"}, "cursor": {"folders": {"__proto__": {"uidValidity": "1", "highestUid": 1}}}}'));
		expect(Object.getPrototypeOf(parsed.cursor?.folders)).toBe(Object.prototype);
		expect(Object.keys(parsed.cursor?.folders ?? {})).toEqual(['__proto__']);
	});
});

describe('send helpers', () => {
	test.each([
		[account.user, true],
		['ORGANIZER@sandbox.test', true],
		['alias@sandbox.test', true],
		['boss@sandbox.test', false],
	])('may send as %s: %s', (from, expected) => {
		expect(mayUseSender({...account, allowedSenders: ['alias@sandbox.test']}, from, {hosted: false, sendAliases: {}})).toBe(expected);
	});

	test.each([
		['Subject: x\r\nMessage-ID: <a@b>\r\n\r\nbody', '<a@b>'],
		['Message-Id:\r\n <folded@b>\nSubject: x\n\nbody', '<folded@b>'],
		['Subject: x\r\n\r\nMessage-ID: <in-body@b>', null],
	])('messageIdOf %#', (raw, expected) => {
		expect(messageIdOf(raw)).toBe(expected);
	});

	test('toCrlf makes every line end CRLF once', () => {
		expect(toCrlf('a\nb\r\nc\n').toString()).toBe('a\r\nb\r\nc\r\n');
	});
});
