/**
 * The relay's HTTP server: wiring only. Each request passes, in order: CORS headers, the Host guard,
 * routing, the bearer token, the rate limit, the body limit and JSON parsing, then its route.
 * Every request ends in one log line (method, path, status, time, bytes) and nothing else is logged.
 */
import {createHash} from 'node:crypto';
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import {performance} from 'node:perf_hooks';
import {bearerToken, defaultConfigDir, loadOrCreateToken, tokensMatch} from './auth.ts';
import {isLoopbackHost, resolveOptions, type RelayOptions, type ResolvedRelayOptions} from './config.ts';
import {corsHeaders} from './cors.ts';
import {withheldAnswer} from './hosted.ts';
import {RelayError} from './errors.ts';
import {ImapPool} from './imap-pool.ts';
import {discardRest, RateLimiter, readBody} from './limits.ts';
import type {RouteContext, RouteHandler} from './routes/context.ts';
import {answerChallenge} from './routes/challenge.ts';
import {health} from './routes/health.ts';
import {move} from './routes/move.ts';
import {replies} from './routes/replies.ts';
import {send} from './routes/send.ts';
import {verify} from './routes/verify.ts';
import {relayApiPrefix} from '../lib/relay-client/types.ts';

/** A route of the HTTP API: the shared handlers, plus the token for the challenge (which only HTTP has). */
type Route = {method: 'GET' | 'POST'; handler: RouteHandler | ((context: RouteContext, body: unknown, token: string) => Promise<unknown>); needsToken: boolean};

const routes: Record<string, Route> = {
	[`${relayApiPrefix}/health`]: {method: 'GET', handler: health, needsToken: false},
	// Token-free, like health: the relay proves it holds the token before the client sends it.
	[`${relayApiPrefix}/challenge`]: {method: 'POST', handler: async (_context, body, token) => answerChallenge(token, body), needsToken: false},
	[`${relayApiPrefix}/verify`]: {method: 'POST', handler: verify, needsToken: true},
	[`${relayApiPrefix}/send`]: {method: 'POST', handler: send, needsToken: true},
	[`${relayApiPrefix}/replies`]: {method: 'POST', handler: replies, needsToken: true},
	[`${relayApiPrefix}/move`]: {method: 'POST', handler: move, needsToken: true},
};

/** A running relay, as startRelay returns it. */
export type RunningRelay = {
	/** Base URL, e.g. http://127.0.0.1:8787 (the port actually bound when 0 was asked). */
	url: string;
	/** The bearer token clients must send. */
	token: string;
	/** Where the token is stored; undefined when it came from the options (RELAY_TOKEN). */
	tokenFile: string | undefined;
	/** True when the token file was created by this start. */
	tokenCreated: boolean;
	/** Stops listening, ends open HTTP connections and logs out of every pooled IMAP session. */
	close(): Promise<void>;
};

type Exchange = {status: number; bytesIn: number; bytesOut: number; code?: string};

function writeJson(response: ServerResponse, exchange: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const payload = Buffer.from(JSON.stringify(body));
	exchange.status = status;
	exchange.bytesOut = payload.length;
	response.writeHead(status, {
		...headers,
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(payload.length),
		'cache-control': 'no-store',
		'x-content-type-options': 'nosniff',
	});
	response.end(payload);
}

/** The token digest the rate limiter is keyed by (a token itself is never kept around). */
function limiterKey(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}

/**
 * When bound to loopback, the Host header must name loopback (or an allowed host): a web page whose name was
 * re-pointed at 127.0.0.1 (DNS rebinding) then cannot reach us even on the token-free health endpoint.
 */
function hostAllowed(request: IncomingMessage, options: ResolvedRelayOptions): boolean {
	if (!isLoopbackHost(options.host)) {
		return true;
	}

	const host = request.headers.host ?? '';
	const name = (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0] ?? '').toLowerCase();
	return isLoopbackHost(name) || options.allowedHosts.includes(name);
}

async function parseJsonBody(request: IncomingMessage, options: ResolvedRelayOptions, exchange: Exchange): Promise<unknown> {
	const type = request.headers['content-type'] ?? '';
	if (!/^application\/json\b/i.test(type)) {
		throw new RelayError('BAD_REQUEST', 'Content-Type must be application/json', {status: 415});
	}

	const raw = await readBody(request, options.limits.maxBodyBytes);
	exchange.bytesIn = raw.length;
	try {
		return JSON.parse(raw.toString('utf8')) as unknown;
	} catch {
		// Not JSON.parse's message: it quotes the body, which may hold a password.
		throw new RelayError('BAD_REQUEST', 'Body is not valid JSON');
	}
}

/** The limiters: requests per token, and (hosted mode) failed token attempts per client address. */
type Limiters = {requests: RateLimiter; failedTokens: RateLimiter};

/**
 * Hosted mode: a client address that failed the token too often is refused before its token is even compared, so a
 * right guess among many wrong ones is worth nothing until the minute has passed.
 */
function checkToken(request: IncomingMessage, token: string, options: ResolvedRelayOptions, limiters: Limiters): string {
	const address = request.socket.remoteAddress ?? 'unknown';
	const presented = bearerToken(request.headers.authorization);
	if (options.hosted && limiters.failedTokens.waitFor(address) > 0) {
		throw new RelayError('RATE_LIMITED', 'Too many wrong tokens from this address; try again in a minute', {headers: {'retry-after': String(limiters.failedTokens.waitFor(address))}});
	}

	if (presented === undefined || !tokensMatch(presented, token)) {
		if (options.hosted) {
			limiters.failedTokens.take(address);
		}

		throw new RelayError('AUTH_REQUIRED', presented === undefined ? 'Send the relay token as Authorization: Bearer <token>' : 'Wrong relay token', {
			headers: {'www-authenticate': 'Bearer realm="purelymail-invites-relay"'},
		});
	}

	return presented;
}

async function handle(request: IncomingMessage, response: ServerResponse, context: RouteContext, token: string, limiters: Limiters, exchange: Exchange): Promise<void> {
	const {options} = context;
	const preflight = request.method === 'OPTIONS';
	for (const [name, value] of Object.entries(corsHeaders(request.headers.origin, options.allowedOrigins, preflight))) {
		response.setHeader(name, value);
	}

	if (!hostAllowed(request, options)) {
		throw new RelayError('BAD_REQUEST', 'The Host header must name this machine (127.0.0.1 or localhost)', {status: 403});
	}

	const path = new URL(request.url ?? '/', 'http://relay').pathname;
	const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
	if (preflight) {
		// Granted or not is in the CORS headers above; the browser decides from them.
		exchange.status = 204;
		response.writeHead(204).end();
		return;
	}

	if (!route) {
		throw new RelayError('BAD_REQUEST', `No such endpoint: ${path}`, {status: 404});
	}

	if (request.method !== route.method) {
		throw new RelayError('BAD_REQUEST', `${path} takes ${route.method}`, {status: 405, headers: {allow: route.method}});
	}

	if (route.needsToken) {
		limiters.requests.check(limiterKey(checkToken(request, token, options, limiters)));
	}

	const body = route.method === 'POST' ? await parseJsonBody(request, options, exchange) : undefined;
	writeJson(response, exchange, 200, withheldAnswer(await route.handler(context, body, token), options));
}

/** Longest path written to the log; a path is the caller's to choose. */
const maxLoggedPathLength = 200;

function logLine(request: IncomingMessage, exchange: Exchange, started: number): string {
	// The path only: a query string is never logged (someone may put a token there). URL parsing drops line breaks.
	const path = new URL(request.url ?? '/', 'http://relay').pathname.slice(0, maxLoggedPathLength);
	const milliseconds = Math.round(performance.now() - started);
	const code = exchange.code ? ` ${exchange.code}` : '';
	return `${new Date().toISOString()} ${request.method ?? '-'} ${path} ${exchange.status} ${milliseconds}ms in=${exchange.bytesIn}B out=${exchange.bytesOut}B${code}`;
}

/**
 * Starts the relay.
 * @param options see RelayOptions; validated, a bad one rejects with TypeError
 * @returns the URL, the token and close()
 * @example
 * const relay = await startRelay({port: 0, configDir: '/tmp/relay-test'});
 * await fetch(`${relay.url}/v1/health`);
 * await relay.close();
 */
export async function startRelay(options: RelayOptions = {}): Promise<RunningRelay> {
	const resolved = resolveOptions(options);
	const stored = resolved.token === undefined ? await loadOrCreateToken(resolved.configDir ?? defaultConfigDir()) : undefined;
	const token = stored?.token ?? resolved.token ?? '';
	const pool = new ImapPool({idleMs: resolved.imapIdleMs, connectTimeoutMs: resolved.connectTimeoutMs});
	const limiters: Limiters = {requests: new RateLimiter(resolved.limits.requestsPerMinute), failedTokens: new RateLimiter(resolved.failedTokensPerMinute)};
	const context: RouteContext = {options: resolved, pool};
	const listener = (request: IncomingMessage, response: ServerResponse): void => {
		const started = performance.now();
		const exchange: Exchange = {status: 500, bytesIn: 0, bytesOut: 0};
		// One line per request: when the answer is sent, or when the client went away first.
		let logged = false;
		const logOnce = (): void => {
			if (!logged) {
				logged = true;
				resolved.log(logLine(request, exchange, started));
			}
		};

		response.once('finish', logOnce);
		response.once('close', logOnce);
		handle(request, response, context, token, limiters, exchange).catch(async (error: unknown) => {
			const relayError = error instanceof RelayError
				? error
				: new RelayError('UPSTREAM', 'Internal relay error', {status: 500, cause: error});
			exchange.code = error instanceof RelayError ? relayError.code : 'INTERNAL';
			if (response.headersSent) {
				response.destroy();
				return;
			}

			const headers = {...relayError.headers};
			if (relayError.code === 'TOO_LARGE' && !request.complete) {
				// The rest of an oversized upload is read and dropped (up to four times the limit) before the
				// answer, and the connection closed after it.
				headers.connection = 'close';
				await discardRest(request, 4 * resolved.limits.maxBodyBytes);
			}

			if (!response.destroyed) {
				writeJson(response, exchange, relayError.status, withheldAnswer(relayError.toBody(), resolved), headers);
			}
		});
	};

	const server = resolved.tls ? https.createServer({cert: resolved.tls.cert, key: resolved.tls.key}, listener) : http.createServer(listener);
	if (resolved.hosted) {
		// Beyond the cap, Node closes new connections at once: one client cannot hold every socket open.
		server.maxConnections = resolved.maxConnections;
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(resolved.port, resolved.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	if (!resolved.tls && !isLoopbackHost(resolved.host)) {
		resolved.log(`WARNING: plain HTTP on ${resolved.host} (--insecure-public): the token and mailbox passwords cross the network unencrypted. Put TLS in front (RELAY_TLS_CERT/RELAY_TLS_KEY or a reverse proxy).`);
	}

	const address = server.address() as AddressInfo;
	const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	return {
		url: `${resolved.tls ? 'https' : 'http'}://${urlHost}:${address.port}`,
		token,
		tokenFile: stored?.file,
		tokenCreated: stored?.created ?? false,
		async close(): Promise<void> {
			const closed = new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
			server.closeAllConnections();
			await Promise.all([closed, pool.close()]);
		},
	};
}
