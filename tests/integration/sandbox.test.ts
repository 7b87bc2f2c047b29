/** The sandbox starts real servers that accept the demo accounts, and leaves nothing behind when stopped. */
import {spawn} from 'node:child_process';
import {access, readdir, readFile} from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {ImapFlow} from 'imapflow';
import nodemailer from 'nodemailer';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startSandbox, type RunningSandbox} from '../sandbox/index.ts';
import {repoRoot} from '../sandbox/paths.ts';

async function isListening(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => {
			resolve(false);
		});
	});
}

/** Command lines of every process that mentions `needle` (its state folder or its port). */
async function processesMentioning(needle: string): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await readdir('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) {
			continue;
		}

		 
		const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
		if (commandLine.includes(needle)) {
			found.push(commandLine.replaceAll('\0', ' '));
		}
	}

	return found;
}

function basicAuth(user: string, password: string): string {
	return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}

describe('a running sandbox', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await sandbox?.stop();
	});

	test('Roundcube answers with its login page', async () => {
		const response = await fetch(sandbox.webmail!.url);
		expect(response.status).toBe(200);
		const page = await response.text();
		expect(page).toContain('id="rcmloginuser"');
		expect(page).toContain('skins/elastic');
	});

	test('Roundcube\'s scripts and styles come with caching headers, and a repeat request is answered 304', async () => {
		const asset = new URL('skins/elastic/deps/bootstrap.min.css?s=1', sandbox.webmail!.url);
		const first = await fetch(asset);
		expect(first.status).toBe(200);
		expect(first.headers.get('content-type')).toBe('text/css; charset=UTF-8');
		expect(first.headers.get('cache-control')).toBe('public, max-age=604800');
		expect((await first.text()).length).toBe(Number(first.headers.get('content-length')));
		const etag = first.headers.get('etag');
		expect(etag).toMatch(/^"[\da-f]+-[\da-f]+"$/);
		const again = await fetch(asset, {headers: {'if-none-match': etag!}});
		expect(again.status).toBe(304);
		// PHP is not a static file: Roundcube still runs it.
		const php = await fetch(new URL('index.php', sandbox.webmail!.url));
		expect(await php.text()).toContain('id="rcmloginuser"');
		expect((await fetch(new URL('skins/elastic/../../config/config.inc.php', sandbox.webmail!.url))).headers.get('cache-control')).toBeNull();
	});

	test.each(['organizer@sandbox.test', 'alex@sandbox.test', 'sam@sandbox.test'])('IMAP accepts %s and has the usual folders', async email => {
		const account = sandbox.accounts.find(candidate => candidate.email === email)!;
		const client = new ImapFlow({...sandbox.imap, secure: false, auth: {user: account.email, pass: account.password}, logger: false});
		await client.connect();
		const folders = await client.list();
		await client.logout();
		expect(folders.map(folder => folder.specialUse).filter(Boolean).sort()).toEqual(['\\Drafts', '\\Inbox', '\\Junk', '\\Sent', '\\Trash']);
	});

	test('IMAP refuses a wrong password', async () => {
		const client = new ImapFlow({...sandbox.imap, secure: false, auth: {user: 'alex@sandbox.test', pass: 'wrong'}, logger: false});
		await expect(client.connect()).rejects.toThrow();
	});

	test('SMTP requires AUTH, accepts the demo accounts and delivers to local mailboxes and the catch-all', async () => {
		const anonymous = nodemailer.createTransport({...sandbox.smtp, secure: false});
		await expect(anonymous.sendMail({from: 'organizer@sandbox.test', to: 'alex@sandbox.test', text: 'x'})).rejects.toThrow(/auth/i);
		const wrong = nodemailer.createTransport({...sandbox.smtp, secure: false, auth: {user: 'organizer@sandbox.test', pass: 'nope'}});
		await expect(wrong.sendMail({from: 'organizer@sandbox.test', to: 'alex@sandbox.test', text: 'x'})).rejects.toThrow(/535/);

		const organizer = sandbox.accounts[0]!;
		const transport = nodemailer.createTransport({...sandbox.smtp, secure: false, auth: {user: organizer.email, pass: organizer.password}});
		const subject = `sandbox delivery ${Date.now()}`;
		const info = await transport.sendMail({from: organizer.email, to: ['sam@sandbox.test', 'someone@example.org'], subject, text: 'hello'});
		expect(info.accepted).toEqual(['sam@sandbox.test', 'someone@example.org']);
		await expect(transport.sendMail({from: organizer.email, to: 'nobody@rejected.test', subject, text: 'x'})).rejects.toThrow(/550/);

		for (const account of [sandbox.accounts.find(candidate => candidate.id === 'sam')!, sandbox.catchAll]) {
			const client = new ImapFlow({...sandbox.imap, secure: false, auth: {user: account.email, pass: account.password}, logger: false});
			 
			await client.connect();
			 
			const lock = await client.getMailboxLock('INBOX');
			try {
				 
				const found = await client.search({subject});
				expect(found, account.email).toHaveLength(1);
			} finally {
				lock.release();
			}

			 
			await client.logout();
		}
	});

	test('Radicale answers PROPFIND under /webdav/ with a principal and a calendar per account', async () => {
		const organizer = sandbox.accounts[0]!;
		const root = await fetch(sandbox.caldav.url, {
			method: 'PROPFIND',
			headers: {authorization: basicAuth(organizer.email, organizer.password), depth: '0', 'content-type': 'application/xml'},
			body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>',
		});
		expect(root.status).toBe(207);
		expect(await root.text()).toContain('<href>/webdav/organizer/</href>');

		const home = await fetch(new URL('organizer/', sandbox.caldav.url), {
			method: 'PROPFIND', headers: {authorization: basicAuth(organizer.email, organizer.password), depth: '1'},
		});
		expect(home.status).toBe(207);
		const listing = await home.text();
		expect(listing).toContain('<href>/webdav/organizer/calendar/</href>');
		expect(listing).toMatch(/<C:calendar\s*\/>/);

		const unauthorized = await fetch(sandbox.caldav.url, {method: 'PROPFIND', headers: {depth: '0'}});
		expect(unauthorized.status).toBe(401);
	});

	test('an injected CalDAV fault answers once, then the server is itself again', async () => {
		const organizer = sandbox.accounts[0]!;
		sandbox.caldavControl!.injectFault({method: 'PROPFIND', status: 500});
		const request = async (): Promise<number> => (await fetch(sandbox.caldav.url, {
			method: 'PROPFIND', headers: {authorization: basicAuth(organizer.email, organizer.password), depth: '0'},
		})).status;
		expect(await request()).toBe(500);
		expect(await request()).toBe(207);
	});
});

test('a sandbox never takes another process\'s server for its own: a fixed port that is taken fails clearly', async () => {
	const stranger = net.createServer(socket => {
		// The sandbox's checks connect and hang up at once.
		socket.on('error', () => undefined);
		socket.end('HTTP/1.1 200 OK\r\n\r\nnot roundcube');
	});
	await new Promise<void>(resolve => {
		stranger.listen(0, '127.0.0.1', () => {
			resolve();
		});
	});
	const port = (stranger.address() as net.AddressInfo).port;
	try {
		await expect(startSandbox({services: ['webmail'], ports: {webmail: port}})).rejects.toThrow(`port ${port} is taken by another process`);
		await expect(startSandbox({services: ['imap'], ports: {imap: port}})).rejects.toThrow(`port ${port} is taken by another process`);
		await expect(startSandbox({services: ['caldav'], ports: {caldav: port}})).rejects.toThrow(`port ${port} is taken by another process`);
	} finally {
		stranger.close();
	}

	// Nothing of the failed starts is left running.
	expect(await processesMentioning(`127.0.0.1:${port}`)).toEqual([]);
});

test('two sandboxes started at the same moment each get servers of their own', async () => {
	const [first, second] = await Promise.all([startSandbox({services: ['webmail']}), startSandbox({services: ['webmail']})]);
	try {
		const ports = [first.imap.port, first.smtp.port, new URL(first.webmail!.url).port, second.imap.port, second.smtp.port, new URL(second.webmail!.url).port].map(Number);
		expect(new Set(ports).size).toBe(6);
		for (const sandbox of [first, second]) {
			expect((await fetch(sandbox.webmail!.url)).status).toBe(200);
		}
	} finally {
		await Promise.all([first.stop(), second.stop()]);
	}
});

test('a stopped sandbox leaves no process, port or file behind', async () => {
	const sandbox = await startSandbox();
	const ports = [sandbox.imap.port, sandbox.smtp.port, new URL(sandbox.caldav.url).port, new URL(sandbox.webmail!.url).port].map(Number);
	for (const port of ports) {
		 
		expect(await isListening(port)).toBe(true);
	}

	expect((await processesMentioning(sandbox.stateDir)).length).toBeGreaterThan(0);
	await sandbox.stop();
	for (const port of ports) {
		 
		expect(await isListening(port), `port ${port}`).toBe(false);
	}

	expect(await processesMentioning(sandbox.stateDir)).toEqual([]);
	expect(await processesMentioning(`127.0.0.1:${ports[3]}`)).toEqual([]);
	await expect(access(sandbox.stateDir)).rejects.toThrow();
});

test.each(['SIGINT', 'SIGTERM'] as const)('npm run sandbox stops everything on %s', async signal => {
	const child = spawn('npm', ['run', '-s', 'sandbox'], {cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	await new Promise<void>((resolve, reject) => {
		const timer = setInterval(() => {
			if (output.includes('Press Ctrl-C to stop.')) {
				clearInterval(timer);
				resolve();
			}
		}, 100);
		child.once('exit', code => {
			clearInterval(timer);
			reject(new Error(`npm run sandbox exited early (${code}):\n${output}`));
		});
	});
	expect(output).toContain('organizer@sandbox.test');
	const stateDir = /State folder\s+(\S+)/.exec(output)![1]!;
	const webmailPort = /Webmail \(Roundcube\)\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)![1]!;
	expect(await isListening(Number(webmailPort))).toBe(true);
	// As a terminal does on Ctrl-C: the signal goes to the whole foreground process group.
	process.kill(-child.pid!, signal);
	// 'close' waits for every process holding npm's output, i.e. until the sandbox has finished stopping.
	await new Promise(resolve => child.once('close', resolve));
	expect(output).toContain('Stopped; the state folder is removed.');
	expect(await processesMentioning(stateDir)).toEqual([]);
	expect(await processesMentioning(`127.0.0.1:${webmailPort}`)).toEqual([]);
	expect(await isListening(Number(webmailPort))).toBe(false);
	await expect(access(path.join(stateDir))).rejects.toThrow();
});
