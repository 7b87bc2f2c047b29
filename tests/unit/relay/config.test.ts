import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {isLoopbackHost, optionsFromEnvironment, purelymailImap, purelymailSmtp, resolveOptions} from '../../../relay/config.ts';

describe('isLoopbackHost', () => {
	test.each([
		['127.0.0.1', true],
		['127.1.2.3', true],
		['localhost', true],
		['::1', true],
		['[::1]', true],
		['0.0.0.0', false],
		['192.168.1.5', false],
		['imap.purelymail.com', false],
		['localhost.evil.example', false],
	])('%s → %s', (host, expected) => {
		expect(isLoopbackHost(host)).toBe(expected);
	});
});

describe('resolveOptions', () => {
	test('defaults', () => {
		const resolved = resolveOptions();
		expect(resolved).toMatchObject({
			host: '127.0.0.1',
			port: 8787,
			insecurePublic: false,
			allowedOrigins: [],
			limits: {maxBodyBytes: 25 * 1024 * 1024, maxRecipients: 100, requestsPerMinute: 120},
			imapIdleMs: 180_000,
			defaultImap: purelymailImap,
			defaultSmtp: purelymailSmtp,
		});
		expect(purelymailImap).toEqual({host: 'imap.purelymail.com', port: 993, secure: true});
		expect(purelymailSmtp).toEqual({host: 'smtp.purelymail.com', port: 465, secure: true});
	});

	test.each([
		[{port: 70_000}, /port/],
		[{port: 1.5}, /port/],
		[{token: 'short'}, /token/],
		[{host: '0.0.0.0'}, /--insecure-public/],
		[{allowedOrigins: ['example.com']}, /origin/],
		[{allowedHosts: ['https://relay.example.com']}, /allowedHosts/],
		[{limits: {maxBodyBytes: 0}}, /maxBodyBytes/],
		[{tls: {cert: 'x', key: ''}}, /cert and key/],
	])('rejects %j with a TypeError', (options, message) => {
		expect(() => resolveOptions(options)).toThrow(TypeError);
		expect(() => resolveOptions(options)).toThrow(message);
	});

	test('a public address is allowed with TLS or --insecure-public', () => {
		expect(resolveOptions({host: '0.0.0.0', insecurePublic: true}).host).toBe('0.0.0.0');
		expect(resolveOptions({host: '0.0.0.0', tls: {cert: 'c', key: 'k'}}).host).toBe('0.0.0.0');
	});
});

describe('optionsFromEnvironment', () => {
	test('maps RELAY_* variables and the flag', async () => {
		const dir = await mkdtemp(path.join(os.tmpdir(), 'relay-config-'));
		try {
			await writeFile(path.join(dir, 'cert.pem'), 'CERT');
			await writeFile(path.join(dir, 'key.pem'), 'KEY');
			const options = optionsFromEnvironment({
				RELAY_HOST: '0.0.0.0',
				RELAY_PORT: '9000',
				RELAY_TOKEN: 'a-token-from-the-environment',
				RELAY_CONFIG_DIR: dir,
				RELAY_TLS_CERT: path.join(dir, 'cert.pem'),
				RELAY_TLS_KEY: path.join(dir, 'key.pem'),
				RELAY_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
				RELAY_ALLOWED_HOSTS: 'relay.example.com',
				RELAY_MAX_RECIPIENTS: '10',
			}, ['--insecure-public']);
			expect(options).toMatchObject({
				host: '0.0.0.0',
				port: 9000,
				token: 'a-token-from-the-environment',
				configDir: dir,
				insecurePublic: true,
				allowedOrigins: ['https://a.example', 'https://b.example'],
				allowedHosts: ['relay.example.com'],
				limits: {maxRecipients: 10},
			});
			expect(options.tls?.cert.toString()).toBe('CERT');
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});

	test.each([
		[{}, ['--verbose'], /Unknown argument/],
		[{RELAY_PORT: 'eighty'}, [], /RELAY_PORT/],
		[{RELAY_TLS_CERT: '/x'}, [], /go together/],
	])('rejects %j %j', (environment, argv, message) => {
		expect(() => optionsFromEnvironment(environment, argv)).toThrow(message);
	});
});
