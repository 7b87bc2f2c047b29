/** The typed relay client against a fake fetch: what it sends, and how answers and failures come back. */
import {describe, expect, test} from 'vitest';
import {relayProof} from '../../../lib/relay-client/challenge.ts';
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

/** A fake relay that holds `token`: it answers the challenge as the real one does, and everything else with `answer`. */
function relayFetch(token: string, answer: (call: Call) => Response | Promise<Response>): {fetch: typeof fetch; calls: Call[]} {
	return fakeFetch(async call => call.url.endsWith('/v1/challenge')
		? json(200, {proof: await relayProof(token, (JSON.parse(String(call.init.body)) as {nonce: string}).nonce)})
		: answer(call));
}

/** The calls after the challenge. */
const credentialed = (calls: Call[]): Call[] => calls.filter(call => !call.url.endsWith('/v1/challenge'));
const relay = 'http://127.0.0.1:8787';

describe('createRelayClient', () => {
	test('sends the token and JSON to the versioned path', async () => {
		const {fetch, calls} = relayFetch('t0ken', () => json(200, {messages: [], cursor: {folders: {}}, notices: []}));
		const client = createRelayClient({url: 'http://127.0.0.1:8787/', token: 't0ken', fetch});
		expect(await client.replies({account})).toEqual({messages: [], cursor: {folders: {}}, notices: []});
		expect(calls.map(call => call.url)).toEqual(['http://127.0.0.1:8787/v1/challenge', 'http://127.0.0.1:8787/v1/replies']);
		expect(calls[0]?.init.headers).not.toHaveProperty('authorization');
		expect(calls[1]?.init.method).toBe('POST');
		expect(calls[1]?.init.headers).toMatchObject({authorization: 'Bearer t0ken', 'content-type': 'application/json'});
		expect(JSON.parse(String(calls[1]?.init.body))).toEqual({account});
	});

	test('health sends no token', async () => {
		const {fetch, calls} = fakeFetch(() => json(200, {ok: true, version: '0.1.0'}));
		await createRelayClient({url: relay, token: 't0ken', fetch}).health();
		expect(calls[0]?.init.headers).not.toHaveProperty('authorization');
		expect(calls[0]?.init.method).toBe('GET');
	});

	test('verify wraps the account', async () => {
		const {fetch, calls} = relayFetch('t', () => json(200, {imap: {ok: true}, smtp: {ok: true}}));
		await createRelayClient({url: relay, token: 't', fetch}).verify(account);
		expect(JSON.parse(String(credentialed(calls)[0]?.init.body))).toEqual({account});
	});

	test.each([
		['a coded error', json(422, {error: {code: 'MAILBOX_AUTH_FAILED', message: 'IMAP login failed'}}), 'MAILBOX_AUTH_FAILED', 422, 'IMAP login failed'],
		['an unknown code', json(500, {error: {code: 'WHAT', message: 'x'}}), 'BAD_RESPONSE', 500, 'without an error code'],
		['HTML from something else', new Response('<html>', {status: 502}), 'BAD_RESPONSE', 502, 'without JSON'],
	])('%s → RelayClientError %s', async (_name, response, code, status, message) => {
		const {fetch} = relayFetch('t', () => response);
		const error = await createRelayClient({url: relay, token: 't', fetch}).send({account, envelope: {from: account.user, to: ['a@b.test']}, raw: 'x'}).catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(RelayClientError);
		expect(error).toMatchObject({code, status});
		expect((error as Error).message).toContain(message);
	});

	test('a relay that does not answer → RELAY_UNREACHABLE', async () => {
		const {fetch} = fakeFetch(() => {
			throw new TypeError('fetch failed');
		});
		await expect(createRelayClient({url: relay, token: 't', fetch}).health()).rejects.toMatchObject({code: 'RELAY_UNREACHABLE', status: 0});
	});

	test('an aborted call rejects with the abort, not as unreachable', async () => {
		const {fetch} = fakeFetch(async ({init}) => new Promise((_resolve, reject) => {
			init.signal?.addEventListener('abort', () => {
				reject(init.signal?.reason as Error);
			});
		}));
		const controller = new AbortController();
		const pending = createRelayClient({url: relay, token: 't', fetch}).health({signal: controller.signal});
		controller.abort();
		await expect(pending).rejects.toMatchObject({name: 'AbortError'});
	});

	test.each([
		['answers no proof', () => json(200, {ok: true})],
		['answers a wrong proof', () => json(200, {proof: 'AAAA'})],
		['answers with another token\'s proof', async (call: Call) => json(200, {proof: await relayProof('another-token', (JSON.parse(String(call.init.body)) as {nonce: string}).nonce)})],
		['has no challenge endpoint (404)', () => json(404, {error: {code: 'BAD_REQUEST', message: 'No such endpoint'}})],
		['answers HTML', () => new Response('<html>', {status: 200})],
	])('a listener that %s gets neither the token nor the password (RELAY_NOT_VERIFIED)', async (_name, answer) => {
		const {fetch, calls} = fakeFetch(answer);
		const client = createRelayClient({url: relay, token: 'the-real-token', fetch});
		for (const attempt of [async () => client.replies({account}), async () => client.verify(account), async () => client.send({account, envelope: {from: account.user, to: ['a@b.test']}, raw: 'x'})]) {
			await expect(attempt()).rejects.toMatchObject({code: 'RELAY_NOT_VERIFIED'});
		}

		expect(calls.map(call => call.url)).toEqual(Array.from({length: 3}, () => `${relay}/v1/challenge`));
		for (const call of calls) {
			expect(JSON.stringify(call.init)).not.toContain('the-real-token');
			expect(JSON.stringify(call.init)).not.toContain(account.password);
		}
	});

	test('the challenge is fresh for every call, so a recorded proof cannot be replayed', async () => {
		const {fetch, calls} = relayFetch('t', () => json(200, {imap: {ok: true}, smtp: {ok: true}}));
		const client = createRelayClient({url: relay, token: 't', fetch});
		await client.verify(account);
		await client.verify(account);
		const nonces = calls.filter(call => call.url.endsWith('/challenge')).map(call => (JSON.parse(String(call.init.body)) as {nonce: string}).nonce);
		expect(nonces).toHaveLength(2);
		expect(new Set(nonces).size).toBe(2);
	});

	test.each([
		'http://relay.localhost:8787', 'http://127.0.0.1.nip.io:8787', 'http://relay.example.org', 'http://192.168.1.20:8787', 'ftp://127.0.0.1',
	])('plain http:// to %s sends nothing at all (INSECURE_RELAY_URL)', async url => {
		const {fetch, calls} = relayFetch('t', () => json(200, {ok: true, version: '1'}));
		const client = createRelayClient({url, token: 't', fetch});
		await expect(client.health()).rejects.toMatchObject({code: 'INSECURE_RELAY_URL'});
		await expect(client.verify(account)).rejects.toMatchObject({code: 'INSECURE_RELAY_URL'});
		expect(calls).toEqual([]);
	});

	test.each(['http://127.0.0.1:8787', 'http://[::1]:8787', 'http://localhost:8787', 'https://relay.example.org'])('%s may be used', async url => {
		const {fetch, calls} = relayFetch('t', () => json(200, {imap: {ok: true}, smtp: {ok: true}}));
		await createRelayClient({url, token: 't', fetch}).verify(account);
		expect(credentialed(calls)).toHaveLength(1);
	});

	test('needs url and token', () => {
		expect(() => createRelayClient({url: '', token: 't'})).toThrow(TypeError);
	});
});
