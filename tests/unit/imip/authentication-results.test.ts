/** Issue 12 item 2: the user's provider's Authentication-Results verdict (RFC 8601), failures only, first header only. */
import {describe, expect, test} from 'vitest';
import {authenticationFailure} from '../../../lib/imip/authentication-results.ts';

describe('authenticationFailure', () => {
	test.each([
		['dmarc=fail from Purelymail', ['mx.purelymail.com; spf=pass smtp.mailfrom=example.org; dkim=none; dmarc=fail (p=NONE) header.from=example.org'], 'dmarc=fail for example.org'],
		['dkim=fail for the From domain', ['purelymail.com; dkim=fail (bad signature) header.d=example.org header.s=s1'], 'dkim=fail for example.org'],
		['dkim=fail for a parent domain (relaxed alignment)', ['purelymail.com; dkim=fail header.d=example.org'], 'dkim=fail for mail.example.org'],
		['a comment holding a semicolon', ['purelymail.com (a; b); dmarc=fail header.from="example.org"'], 'dmarc=fail for example.org'],
	])('%s is a failure', (_label, headers, expected) => {
		const from = expected.endsWith('mail.example.org') ? 'alex@mail.example.org' : 'alex@example.org';
		expect(authenticationFailure(headers, from)).toBe(expected);
	});

	test.each([
		['no header', []],
		['a pass', ['mx.purelymail.com; dkim=pass header.d=example.org; dmarc=pass header.from=example.org']],
		['dkim=fail for another domain (a mailing list\'s signature)', ['mx.purelymail.com; dkim=fail header.d=lists.test; dmarc=pass header.from=example.org']],
		['a failure written by another server (the sender can write any header)', ['mx.example.net; dmarc=fail header.from=example.org']],
		['a failure further down, below the provider\'s own pass', ['mx.purelymail.com; dmarc=pass header.from=example.org', 'purelymail.com; dmarc=fail header.from=example.org']],
		['dmarc=none', ['purelymail.com; dmarc=none header.from=example.org']],
	])('%s changes nothing', (_label, headers) => {
		expect(authenticationFailure(headers, 'alex@example.org')).toBeUndefined();
	});

	test('the authserv-id is configurable', () => {
		const headers = ['mx.example.com; dmarc=fail header.from=example.org'];
		expect(authenticationFailure(headers, 'alex@example.org')).toBeUndefined();
		expect(authenticationFailure(headers, 'alex@example.org', 'example.com')).toBe('dmarc=fail for example.org');
	});
});
