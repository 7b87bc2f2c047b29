/**
 * relay/hosted.ts checkMailTarget: what a relay connects to. In hosted mode the address it checked, with the name
 * kept for TLS, so a mail library never resolves the name again (DNS rebinding; the real relay in
 * tests/integration/relay/dns-rebinding.test.ts); on loopback the endpoint as given.
 */
import {describe, expect, test} from 'vitest';
import type {MailEndpoint} from '../../../lib/relay-client/types.ts';
import {resolveOptions} from '../../../relay/config.ts';
import {checkMailTarget, type Lookup} from '../../../relay/hosted.ts';

describe('checkMailTarget', () => {
	const hosted = resolveOptions({host: '0.0.0.0', insecurePublic: true, mailHosts: ['mail.example.test', '203.0.113.9']});
	const endpoint: MailEndpoint = {host: 'Mail.Example.Test.', port: 993, secure: true};
	const publicLookup: Lookup = async () => ['203.0.113.7', '203.0.113.8'];

	test('hosted: the first checked address, and the name (as checked: lower case, no final dot) for TLS', async () => {
		await expect(checkMailTarget(endpoint, hosted, publicLookup)).resolves.toEqual({host: '203.0.113.7', servername: 'mail.example.test', port: 993, secure: true});
	});

	test('hosted: an address is connected to as given, with no server name and no lookup', async () => {
		const asked: string[] = [];
		const target = await checkMailTarget({host: '203.0.113.9', port: 465, secure: true}, hosted, async host => {
			asked.push(host);
			return [];
		});
		expect(target).toEqual({host: '203.0.113.9', port: 465, secure: true});
		expect(asked).toEqual([]);
	});

	test('hosted: one refused answer among public ones refuses the name', async () => {
		await expect(checkMailTarget(endpoint, hosted, async () => ['203.0.113.7', '127.0.0.1'])).rejects.toMatchObject({code: 'BAD_REQUEST'});
	});

	test('on loopback (the user\'s own relay) the name is passed on as given, unresolved', async () => {
		const own = resolveOptions({});
		await expect(checkMailTarget(endpoint, own, publicLookup)).resolves.toEqual(endpoint);
	});
});
