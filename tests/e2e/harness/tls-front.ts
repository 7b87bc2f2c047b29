/**
 * An HTTPS front for the sandbox's Roundcube, so the browser can reach it as https://inbox.purelymail.com/
 * (Chromium maps that host to this server with --host-resolver-rules). The built extension's real content-script
 * match patterns then apply unchanged. The certificate is self-signed, made with openssl for each run.
 */
import {execFile} from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);

export type TlsFront = {port: number; close(): Promise<void>};

export async function startTlsFront(target: URL, hostname: string): Promise<TlsFront> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'pmi-tls-'));
	await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
		'-subj', `/CN=${hostname}`, '-addext', `subjectAltName=DNS:${hostname}`,
		'-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]);
	const [key, cert] = await Promise.all([readFile(path.join(dir, 'key.pem')), readFile(path.join(dir, 'cert.pem'))]);
	await rm(dir, {recursive: true, force: true});
	const server = https.createServer({key, cert}, (request, response) => {
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
			response.writeHead(502).end(error.message);
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
