import {describe, expect, test} from 'vitest';
import {RelayError, toRelayError} from '../../../relay/errors.ts';

function coded(message: string, fields: Record<string, unknown>): Error {
	return Object.assign(new Error(message), fields);
}

describe('toRelayError', () => {
	test.each([
		['imapflow AuthenticationFailure', coded('Authentication failed', {authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED'}), 'IMAP', 'MAILBOX_AUTH_FAILED', 422],
		['nodemailer EAUTH', coded('Invalid login: 535 5.7.8', {code: 'EAUTH', responseCode: 535}), 'SMTP', 'MAILBOX_AUTH_FAILED', 422],
		['connection refused', coded('connect ECONNREFUSED 127.0.0.1:1', {code: 'ECONNREFUSED'}), 'IMAP', 'UNREACHABLE', 502],
		['DNS failure', coded('getaddrinfo ENOTFOUND imap.nowhere', {code: 'ENOTFOUND'}), 'IMAP', 'UNREACHABLE', 502],
		['imapflow connect timeout', coded('Connection timed out', {code: 'CONNECT_TIMEOUT'}), 'IMAP', 'UNREACHABLE', 502],
		['nodemailer socket error wrapping a refusal', coded('connect ECONNREFUSED', {code: 'ESOCKET', originalCode: 'ECONNREFUSED'}), 'SMTP', 'UNREACHABLE', 502],
		['TLS to a plaintext port', coded('ssl3_get_record:wrong version number', {code: 'ERR_SSL_WRONG_VERSION_NUMBER'}), 'IMAP', 'TLS_FAILED', 502],
		['self-signed certificate', coded('self-signed certificate', {code: 'DEPTH_ZERO_SELF_SIGNED_CERT'}), 'SMTP', 'TLS_FAILED', 502],
		['STARTTLS required but missing', coded('Can\'t upgrade', {code: 'ETLS'}), 'SMTP', 'TLS_FAILED', 502],
		['a server NO', coded('Command failed', {responseText: 'Mailbox is full', responseStatus: 'NO'}), 'IMAP', 'UPSTREAM', 502],
		['something unknown', 'a string', 'SMTP', 'UPSTREAM', 502],
	])('%s → %s', (_name, error, server, code, status) => {
		const mapped = toRelayError(error, server as 'IMAP' | 'SMTP');
		expect(mapped).toBeInstanceOf(RelayError);
		expect(mapped.code).toBe(code);
		expect(mapped.status).toBe(status);
		expect(mapped.message).toContain(server);
	});

	test('UPSTREAM carries the server\'s own words', () => {
		expect(toRelayError(coded('Command failed', {responseText: 'Quota exceeded (mailbox for user is full)'}), 'IMAP').message)
			.toBe('IMAP server: Quota exceeded (mailbox for user is full)');
	});

	test('a RelayError passes through unchanged', () => {
		const error = new RelayError('BAD_REQUEST', 'no');
		expect(toRelayError(error, 'IMAP')).toBe(error);
	});

	test('body shape is {error: {code, message}}', () => {
		expect(new RelayError('TOO_LARGE', 'big').toBody()).toEqual({error: {code: 'TOO_LARGE', message: 'big'}});
	});
});
