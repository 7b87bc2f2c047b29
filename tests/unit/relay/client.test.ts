/** The typed relay client against a fake fetch: what it sends, and how answers and failures come back. */
import {describe, expect, test} from 'vitest';
import {createRelayClient, RelayClientError} from '../../../lib/relay-client/index.ts';

type Call = {url: string; init: RequestInit};

function fakeFetch(answer: (call: Call) => Response | Promise<Response>): {fetch: typeof fetch; calls: Call[]} {
	const calls: Call[] = [];
	const fetchFunction = (async (url: string | URL | Request, init?: RequestInit) => {
		const call = {url: String(url), init: init ?? {}};
		calls.push(call);
		return answer(call);
	}) as typeof fetch;
	return {fetch: fetchFunction, calls};
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), {status, headers: {'content-type': 'application/json'}});
const account = {user: 'alex@sandbox.test', password: 'alex-pass'};

describe('createRelayClient', () => {
	test('sends the token and JSON to the versioned path', async () => {
		const {fetch, calls} = fakeFetch(() => json(200, {messages: [], cursor: {folders: {}}, notices: []}));
		const client = createRelayClient({url: 'http://127.0.0.1:8787/', token: 't0ken', fetch});
		expect(await client.replies({account})).toEqual({messages: [], cursor: {folders: {}}, notices: []});
		expect(calls[0]?.url).toBe('http://127.0.0.1:8787/v1/replies');
		expect(calls[0]?.init.method).toBe('POST');
		expect(calls[0]?.init.headers).toMatchObject({authorization: 'Bearer t0ken', 'content-type': 'application/json'});
		expect(JSON.parse(String(calls[0]?.init.body))).toEqual({account});
	});

	test('health sends no token', async () => {
		const {fetch, calls} = fakeFetch(() => json(200, {ok: true, version: '0.1.0'}));
		await createRelayClient({url: 'http://relay', token: 't0ken', fetch}).health();
		expect(calls[0]?.init.headers).not.toHaveProperty('authorization');
		expect(calls[0]?.init.method).toBe('GET');
	});

	test('verify wraps the account', async () => {
		const {fetch, calls} = fakeFetch(() => json(200, {imap: {ok: true}, smtp: {ok: true}}));
		await createRelayClient({url: 'http://relay', token: 't', fetch}).verify(account);
		expect(JSON.parse(String(calls[0]?.init.body))).toEqual({account});
	});

	test.each([
		['a coded error', json(422, {error: {code: 'MAILBOX_AUTH_FAILED', message: 'IMAP login failed'}}), 'MAILBOX_AUTH_FAILED', 422, 'IMAP login failed'],
		['an unknown code', json(500, {error: {code: 'WHAT', message: 'x'}}), 'BAD_RESPONSE', 500, 'without an error code'],
		['HTML from something else', new Response('<html>', {status: 502}), 'BAD_RESPONSE', 502, 'without JSON'],
	])('%s → RelayClientError %s', async (_name, response, code, status, message) => {
		const {fetch} = fakeFetch(() => response);
		const error = await createRelayClient({url: 'http://relay', token: 't', fetch}).send({account, envelope: {from: account.user, to: ['a@b.test']}, raw: 'x'}).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(RelayClientError);
		expect(error).toMatchObject({code, status});
		expect((error as Error).message).toContain(message);
	});

	test('a relay that does not answer → RELAY_UNREACHABLE', async () => {
		const {fetch} = fakeFetch(() => {
			throw new TypeError('fetch failed');
		});
		await expect(createRelayClient({url: 'http://relay', token: 't', fetch}).health()).rejects.toMatchObject({code: 'RELAY_UNREACHABLE', status: 0});
	});

	test('an aborted call rejects with the abort, not as unreachable', async () => {
		const {fetch} = fakeFetch(async ({init}) => new Promise((_resolve, reject) => {
			init.signal?.addEventListener('abort', () => {
				reject(init.signal?.reason as Error);
			});
		}));
		const controller = new AbortController();
		const pending = createRelayClient({url: 'http://relay', token: 't', fetch}).health({signal: controller.signal});
		controller.abort();
		await expect(pending).rejects.toMatchObject({name: 'AbortError'});
	});

	test('needs url and token', () => {
		expect(() => createRelayClient({url: '', token: 't'})).toThrow(TypeError);
	});
});
