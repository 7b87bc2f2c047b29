/** The Basic header is UTF-8 then base64 (RFC 7617 §2.1), where tsdav's own encoder throws or sends Latin-1. */
import {getBasicAuthHeaders} from 'tsdav';
import {describe, expect, test} from 'vitest';
import {basicAuthorization} from '../../../lib/caldav/auth.ts';

function decoded(header: string): string {
	expect(header.startsWith('Basic ')).toBe(true);
	return Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
}

describe('basicAuthorization', () => {
	test.each([
		['organizer@sandbox.test', 'organizer-pass', 'Basic b3JnYW5pemVyQHNhbmRib3gudGVzdDpvcmdhbml6ZXItcGFzcw=='],
		['me@example.com', 'pässwörd✓', 'Basic bWVAZXhhbXBsZS5jb206cMOkc3N3w7ZyZOKckw=='],
		['me@example.com', '密码🔑', 'Basic bWVAZXhhbXBsZS5jb2065a+G56CB8J+UkQ=='],
		['me@example.com', 'with:colon and space', 'Basic bWVAZXhhbXBsZS5jb206d2l0aDpjb2xvbiBhbmQgc3BhY2U='],
		['me@example.com', '', 'Basic bWVAZXhhbXBsZS5jb206'],
	])('%s / %s', (username, password, expected) => {
		const header = basicAuthorization(username, password);
		expect(header).toBe(expected);
		expect(decoded(header)).toBe(`${username}:${password}`);
		expect(header).toBe(`Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`);
	});

	test('tsdav\'s encoder throws outside Latin-1, ours does not', () => {
		expect(() => getBasicAuthHeaders({username: 'me@example.com', password: 'pässwörd✓'})).toThrow();
		expect(() => basicAuthorization('me@example.com', 'pässwörd✓')).not.toThrow();
	});

	test('tsdav sends Latin-1 bytes for ä, which a UTF-8 server reads as another password; ours sends UTF-8', () => {
		const theirs = getBasicAuthHeaders({username: 'me', password: 'pässwörd'}).authorization!;
		expect(Buffer.from(theirs.slice(6), 'base64')).toEqual(Buffer.from('me:pässwörd', 'latin1'));
		expect(Buffer.from(basicAuthorization('me', 'pässwörd').slice(6), 'base64')).toEqual(Buffer.from('me:pässwörd', 'utf8'));
	});

	test.each([[''], ['user:name']])('refuses the username %j', username => {
		expect(() => basicAuthorization(username, 'password')).toThrow(TypeError);
	});
});
