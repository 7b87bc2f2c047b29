/** The IMAP pool with fake clients: reuse, isolation by password, one task at a time, idle close, stale retry. */
import {EventEmitter} from 'node:events';
import type {ImapFlow} from 'imapflow';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {ImapPool} from '../../../relay/imap-pool.ts';
import type {ImapLogin} from '../../../relay/imap.ts';

class FakeClient extends EventEmitter {
	usable = true;
	loggedOut = false;
	async logout(): Promise<void> {
		this.loggedOut = true;
		this.usable = false;
	}

	close(): void {
		this.usable = false;
	}

	async list(): Promise<[]> {
		return [];
	}
}

const endpoint = {host: '127.0.0.1', port: 143, secure: false};
const alex = {endpoint, user: 'alex@sandbox.test', password: 'alex-pass'};

function fakePool(options: {idleMs?: number; fail?: (login: ImapLogin) => Error | undefined} = {}): {pool: ImapPool; opened: FakeClient[]} {
	const opened: FakeClient[] = [];
	const pool = new ImapPool({
		idleMs: options.idleMs ?? 60_000,
		connectTimeoutMs: 1000,
		async open(login) {
			const failure = options.fail?.(login);
			if (failure) {
				throw failure;
			}

			const client = new FakeClient();
			opened.push(client);
			return client as unknown as ImapFlow;
		},
	});
	return {pool, opened};
}

afterEach(() => {
	vi.useRealTimers();
});

describe('ImapPool', () => {
	test('reuses one session per account; the second use is warm', async () => {
		const {pool, opened} = fakePool();
		expect(await pool.use(alex, async session => session.warm)).toBe(false);
		expect(await pool.use({...alex, user: 'ALEX@sandbox.test'}, async session => session.warm)).toBe(true);
		expect(opened).toHaveLength(1);
		await pool.close();
		expect(opened[0]?.loggedOut).toBe(true);
	});

	test('a different password never gets the logged-in session', async () => {
		const {pool, opened} = fakePool({fail: login => login.password === 'wrong' ? new Error('auth') : undefined});
		await pool.use(alex, async () => undefined);
		await expect(pool.use({...alex, password: 'wrong'}, async () => undefined)).rejects.toThrow('auth');
		expect(opened).toHaveLength(1);
		expect(pool.size).toBe(1);
		await pool.close();
	});

	test('tasks on one session run one at a time, in order', async () => {
		const {pool} = fakePool();
		const order: string[] = [];
		const task = (name: string, ms: number) => async (): Promise<void> => {
			order.push(`${name} start`);
			await new Promise(resolve => {
				setTimeout(resolve, ms);
			});
			order.push(`${name} end`);
		};

		await Promise.all([pool.use(alex, task('a', 20)), pool.use(alex, task('b', 1))]);
		expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
		await pool.close();
	});

	test('an idle session is logged out after idleMs', async () => {
		vi.useFakeTimers();
		const {pool, opened} = fakePool({idleMs: 1000});
		await pool.use(alex, async () => undefined);
		await vi.advanceTimersByTimeAsync(999);
		expect(pool.size).toBe(1);
		await vi.advanceTimersByTimeAsync(2);
		expect(pool.size).toBe(0);
		expect(opened[0]?.loggedOut).toBe(true);
		await pool.close();
	});

	test('a warm session the server dropped is replaced and the task retried once', async () => {
		const {pool, opened} = fakePool();
		await pool.use(alex, async () => undefined);
		let attempts = 0;
		const result = await pool.use(alex, async session => {
			attempts++;
			if (session.warm) {
				(session.client as unknown as FakeClient).usable = false;
				throw new Error('Connection not available');
			}

			return 'fresh';
		});
		expect(result).toBe('fresh');
		expect(attempts).toBe(2);
		expect(opened).toHaveLength(2);
		await pool.close();
	});

	test('a task error on a live session is passed on, the session kept', async () => {
		const {pool, opened} = fakePool();
		await expect(pool.use(alex, async () => {
			throw new Error('NO mailbox');
		})).rejects.toThrow('NO mailbox');
		expect(await pool.use(alex, async session => session.warm)).toBe(true);
		expect(opened).toHaveLength(1);
		await pool.close();
	});

	test('a session the server closes leaves the pool', async () => {
		const {pool, opened} = fakePool();
		await pool.use(alex, async () => undefined);
		opened[0]!.usable = false;
		opened[0]!.emit('close');
		expect(pool.size).toBe(0);
		await pool.close();
	});
});
