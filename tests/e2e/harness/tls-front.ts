/**
 * An HTTPS front for the sandbox's Roundcube, so the browser can reach it as https://inbox.purelymail.com/
 * (Chromium maps that host to this server with --host-resolver-rules). The built extension's real content-script
 * match patterns then apply unchanged. The certificate is self-signed, made with openssl for each run.
 */
import {createHash, X509Certificate} from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {selfSignedCertificate} from '../../helpers/self-signed.ts';

export type TlsFront = {
	port: number;
	/**
	 * The base64 SHA-256 of the certificate's public key, for Chromium's --ignore-certificate-errors-spki-list: the
	 * browser then trusts this certificate as if a CA had signed it. (With --ignore-certificate-errors instead, every
	 * page counts as having a certificate error, and Chromium keeps nothing from such pages in its HTTP cache, so each
	 * page view fetched all of Roundcube's scripts and styles again.)
	 */
	spkiHash: string;
	/** One line per request (start, method, path, upstream status or error, time taken), and those still open. */
	log(): string;
	close(): Promise<void>;
};

type FrontEntry = {id: number; started: number; method: string; url: string; ended?: number; outcome?: string};

export async function startTlsFront(target: URL, hostname: string): Promise<TlsFront> {
	const {key, cert} = await selfSignedCertificate(hostname);
	const spkiHash = createHash('sha256').update(new X509Certificate(cert).publicKey.export({type: 'spki', format: 'der'})).digest('base64');
	const entries: FrontEntry[] = [];
	let nextId = 0;
	const server = https.createServer({key, cert}, (request, response) => {
		const entry: FrontEntry = {id: ++nextId, started: Date.now(), method: request.method ?? '?', url: request.url ?? '?'};
		entries.push(entry);
		const end = (outcome: string): void => {
			entry.ended ??= Date.now();
			entry.outcome ??= outcome;
		};

		response.once('finish', () => {
			end(`HTTP ${response.statusCode}`);
		});
		response.once('close', () => {
			end(`closed before the answer was sent (HTTP ${response.statusCode})`);
		});
		const upstream = http.request({
			host: target.hostname,
			port: target.port,
			method: request.method,
			path: request.url,
			headers: {...request.headers, host: `${target.hostname}:${target.port}`},
			// A fresh connection per request: PHP's built-in server closes each one, and a reused socket races that close.
			agent: false,
		}, upstreamResponse => {
			response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
			upstreamResponse.pipe(response);
		});
		upstream.on('error', error => {
			end(`upstream error: ${error.message}`);
			if (!response.headersSent) {
				response.writeHead(502);
			}

			response.end(error.message);
		});
		request.pipe(upstream);
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', () => {
			resolve();
		});
	});
	const address = server.address();
	if (!address || typeof address !== 'object') {
		throw new Error('The TLS front did not get a port');
	}

	return {
		port: address.port,
		spkiHash,
		log() {
			const now = Date.now();
			const time = (ms: number): string => new Date(ms).toISOString().slice(11, 23);
			const open = entries.filter(entry => entry.ended === undefined);
			return [
				`## Still open (${open.length})`,
				...open.map(entry => `#${entry.id} ${time(entry.started)} +${now - entry.started} ms ${entry.method} ${entry.url}`),
				'',
				`## All requests (${entries.length})`,
				...entries.map(entry => `#${entry.id} ${time(entry.started)} ${entry.method} ${entry.url} → ${entry.outcome ?? 'OPEN'}${entry.ended === undefined ? '' : ` in ${entry.ended - entry.started} ms`}`),
				'',
			].join('\n');
		},
		async close() {
			server.closeAllConnections();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}
