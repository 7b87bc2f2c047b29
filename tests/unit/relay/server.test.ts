/**
 * The relay's HTTP layer in-process, with no mail server behind it: token, CORS, limits, routing, validation
 * and logging. Everything here is refused before any mail server would be contacted.
 */
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startRelay, type RunningRelay} from '../../../relay/server.ts';

const chromeOrigin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const account = {user: 'organizer@sandbox.test', password: 'organizer-secret-password', smtp: {host: '127.0.0.1', port: 1, secure: false}};

let relay: RunningRelay;
let configDir: string;
const lines: string[] = [];

beforeAll(async () => {
	configDir = await mkdtemp(path.join(os.tmpdir(), 'relay-server-'));
	relay = await startRelay({port: 0, configDir, log: line => lines.push(line), limits: {maxBodyBytes: 64 * 1024, maxRecipients: 3, requestsPerMinute: 1000}});
});

afterAll(async () => {
	await relay.close();
	await rm(configDir, {recursive: true, force: true});
});

async function post(pathname: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
	return fetch(`${relay.url}${pathname}`, {
		method: 'POST',
		headers: {authorization: `Bearer ${relay.token}`, 'content-type': 'application/json', ...headers},
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

describe('start-up', () => {
	test('creates the token file, 0600, and listens on loopback', async () => {
		expect(relay.tokenCreated).toBe(true);
		expect(relay.tokenFile).toBe(path.join(configDir, 'relay-token'));
		expect((await stat(relay.tokenFile!)).mode & 0o777).toBe(0o600);
		expect(relay.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	});

	test('RELAY_TOKEN (options.token) wins over the file', async () => {
		const other = await startRelay({port: 0, configDir, token: 'a-token-given-by-the-operator', log: () => undefined});
		try {
			expect(other.token).toBe('a-token-given-by-the-operator');
			expect(other.tokenFile).toBeUndefined();
		} finally {
			await other.close();
		}
	});

	test('refuses a public address without TLS or --insecure-public', async () => {
		await expect(startRelay({host: '0.0.0.0', port: 0, configDir})).rejects.toThrow(TypeError);
	});

	test('warns on --insecure-public', async () => {
		const warnings: string[] = [];
		const open = await startRelay({host: '0.0.0.0', port: 0, configDir, insecurePublic: true, log: line => warnings.push(line)});
		await open.close();
		expect(warnings.join('\n')).toMatch(/WARNING: plain HTTP/);
	});
});

describe('TLS', () => {
	test('serves HTTPS with RELAY_TLS_CERT/RELAY_TLS_KEY', async () => {
		const keyFile = path.join(configDir, 'key.pem');
		const certFile = path.join(configDir, 'cert.pem');
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1'], {stdio: 'ignore'});
		const secure = await startRelay({port: 0, configDir, log: () => undefined, tls: {cert: await readFile(certFile), key: await readFile(keyFile)}});
		try {
			expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
			const body = await new Promise<string>((resolve, reject) => {
				https.get(`${secure.url}/v1/health`, {ca: readFileSync(certFile), checkServerIdentity: () => undefined}, response => {
					let text = '';
					response.on('data', (chunk: Buffer) => {
						text += chunk.toString();
					});
					response.on('end', () => {
						resolve(text);
					});
				}).on('error', reject);
			});
			expect(JSON.parse(body)).toMatchObject({ok: true});
		} finally {
			await secure.close();
		}
	});
});

describe('auth', () => {
	test('health needs no token', async () => {
		const response = await fetch(`${relay.url}/v1/health`);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ok: true, version: expect.any(String) as string});
	});

	test.each([
		['no token', {}],
		['a wrong token', {authorization: 'Bearer wrong-token-wrong-token'}],
		['another scheme', {authorization: `Basic ${Buffer.from('a:b').toString('base64')}`}],
	])('%s → 401 AUTH_REQUIRED', async (_name, headers) => {
		const response = await fetch(`${relay.url}/v1/verify`, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body: JSON.stringify({account})});
		expect(response.status).toBe(401);
		expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
		expect(await response.json()).toEqual({error: {code: 'AUTH_REQUIRED', message: expect.any(String) as string}});
	});
});

describe('CORS', () => {
	test('an extension origin is granted, on preflight and on the request', async () => {
		const preflight = await fetch(`${relay.url}/v1/replies`, {method: 'OPTIONS', headers: {origin: chromeOrigin, 'access-control-request-method': 'POST'}});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe(chromeOrigin);
		expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
		const response = await fetch(`${relay.url}/v1/health`, {headers: {origin: chromeOrigin}});
		expect(response.headers.get('access-control-allow-origin')).toBe(chromeOrigin);
	});

	test('a web page origin gets no grant', async () => {
		const preflight = await fetch(`${relay.url}/v1/replies`, {method: 'OPTIONS', headers: {origin: 'https://evil.example', 'access-control-request-method': 'POST'}});
		expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
		const response = await fetch(`${relay.url}/v1/health`, {headers: {origin: 'https://evil.example'}});
		expect(response.headers.get('access-control-allow-origin')).toBeNull();
	});
});

describe('limits', () => {
	test('an oversized body → 413 TOO_LARGE', async () => {
		const response = await post('/v1/send', {account, envelope: {from: account.user, to: ['a@b.test']}, raw: 'x'.repeat(100 * 1024)});
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({error: {code: 'TOO_LARGE'}});
	});

	test('an oversized chunked body (no Content-Length) → 413 too', async () => {
		const status = await new Promise<number>((resolve, reject) => {
			const url = new URL('/v1/send', relay.url);
			const request = http.request(url, {method: 'POST', headers: {authorization: `Bearer ${relay.token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked'}}, response => {
				response.resume();
				resolve(response.statusCode ?? 0);
			});
			request.on('error', reject);
			for (let index = 0; index < 10; index++) {
				request.write('x'.repeat(10 * 1024));
			}

			request.end();
		});
		expect(status).toBe(413);
	});

	test('more recipients than allowed → 413 TOO_LARGE', async () => {
		const response = await post('/v1/send', {account, envelope: {from: account.user, to: ['a@b.test', 'c@b.test', 'd@b.test', 'e@b.test']}, raw: 'x'});
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({error: {code: 'TOO_LARGE', message: expect.stringContaining('3 recipients') as string}});
	});

	test('over the requests per minute → 429 RATE_LIMITED with Retry-After', async () => {
		const limited = await startRelay({port: 0, configDir, log: () => undefined, limits: {requestsPerMinute: 2}});
		try {
			const call = async (): Promise<Response> => fetch(`${limited.url}/v1/replies`, {method: 'POST', headers: {authorization: `Bearer ${limited.token}`, 'content-type': 'application/json'}, body: '{}'});
			expect((await call()).status).toBe(400);
			expect((await call()).status).toBe(400);
			const response = await call();
			expect(response.status).toBe(429);
			expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
			expect(await response.json()).toMatchObject({error: {code: 'RATE_LIMITED'}});
		} finally {
			await limited.close();
		}
	});
});

describe('requests', () => {
	test('a spoofed envelope.from → 400 BAD_REQUEST, before any SMTP', async () => {
		const response = await post('/v1/send', {account, envelope: {from: 'ceo@sandbox.test', to: ['a@b.test']}, raw: 'x'});
		expect(response.status).toBe(400);
		expect(await response.json()).toMatchObject({error: {code: 'BAD_REQUEST', message: expect.stringContaining('ceo@sandbox.test') as string}});
	});

	test.each([
		['not JSON', '{"account": organizer-secret-password', 400, /not valid JSON/],
		['a missing account', {}, 400, /account must be an object/],
	])('%s → %i', async (_name, body, status, message) => {
		const response = await post('/v1/replies', body);
		expect(response.status).toBe(status);
		const {error} = await response.json() as {error: {code: string; message: string}};
		expect(error.code).toBe('BAD_REQUEST');
		expect(error.message).toMatch(message);
		expect(error.message).not.toContain('organizer-secret-password');
	});

	test.each([
		['an unknown path', 'POST', '/v1/nothing', 404],
		['GET on a POST endpoint', 'GET', '/v1/send', 405],
	])('%s → %i', async (_name, method, pathname, status) => {
		const response = await fetch(`${relay.url}${pathname}`, {method, headers: {authorization: `Bearer ${relay.token}`}});
		expect(response.status).toBe(status);
		expect(await response.json()).toMatchObject({error: {code: 'BAD_REQUEST'}});
	});

	test('a body that is not JSON-typed → 415', async () => {
		const response = await post('/v1/replies', '{}', {'content-type': 'text/plain'});
		expect(response.status).toBe(415);
	});

	test('a Host header naming another machine (DNS rebinding) → 403', async () => {
		const status = await new Promise<number>((resolve, reject) => {
			http.get(`${relay.url}/v1/health`, {headers: {host: 'rebind.evil.example'}}, response => {
				response.resume();
				resolve(response.statusCode ?? 0);
			}).on('error', reject);
		});
		expect(status).toBe(403);
	});

	test('a host named in allowedHosts (a reverse proxy passing its name on) is let through', async () => {
		const proxied = await startRelay({port: 0, configDir, log: () => undefined, allowedHosts: ['relay.example.com']});
		try {
			const status = await new Promise<number>((resolve, reject) => {
				http.get(`${proxied.url}/v1/health`, {headers: {host: 'relay.example.com'}}, response => {
					response.resume();
					resolve(response.statusCode ?? 0);
				}).on('error', reject);
			});
			expect(status).toBe(200);
		} finally {
			await proxied.close();
		}
	});

	test('an unreachable SMTP server → UNREACHABLE (loopback port 1 is closed)', async () => {
		const response = await post('/v1/send', {account, envelope: {from: account.user, to: ['a@b.test']}, raw: 'Subject: x\r\n\r\nx'});
		expect(response.status).toBe(502);
		expect(await response.json()).toMatchObject({error: {code: 'UNREACHABLE'}});
	});
});

describe('log', () => {
	test('one line per request, with method, path, status, time and bytes, and never a token or password', () => {
		expect(lines.length).toBeGreaterThan(10);
		for (const line of lines) {
			expect(line).toMatch(/^\S+ (?:GET|POST|OPTIONS) \/\S* \d{3} \d+ms in=\d+B out=\d+B(?: [A-Z_]+)?$/);
			expect(line).not.toContain(relay.token);
			expect(line).not.toContain('organizer-secret-password');
		}
	});
});
