/**
 * Discovery against the sandbox's Radicale (behind the Purelymail-shaped proxy): principal, account id, calendar
 * home and calendars; the well-known fallback; wrong passwords; PROPFIND 500s under load; a password outside
 * Latin-1 logging in for real.
 */
import {appendFile} from 'node:fs/promises';
import path from 'node:path';
import {getBasicAuthHeaders} from 'tsdav';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {
	basicAuthorization, CaldavAuthFailed, CaldavError, CaldavUnavailable, discoverCalendars, withBackoff,
} from '../../../lib/caldav/index.ts';
import {startSandbox, type RunningSandbox} from '../../sandbox/index.ts';
import {organizerOf, recordingFetch} from './helpers.ts';

describe('discoverCalendars', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({services: ['caldav']});
	});
	afterAll(async () => {
		await sandbox?.stop();
	});

	test('finds the principal, the account id, the home and the calendar with its name and color, in three PROPFINDs', async () => {
		const organizer = organizerOf(sandbox);
		const recorder = recordingFetch();
		const discovery = await discoverCalendars({serverUrl: sandbox.caldav.url, username: organizer.email, password: organizer.password, fetch: recorder.fetch});
		expect(discovery).toEqual({
			principalUrl: `${sandbox.caldav.url}organizer/`,
			accountId: 'organizer',
			homeUrl: `${sandbox.caldav.url}organizer/`,
			calendars: [{name: 'Calendar', url: `${sandbox.caldav.url}organizer/calendar/`, color: '#37beff'}],
		});
		expect(recorder.requests.map(request => `${request.method} ${request.url} ${request.headers.get('depth')}`)).toEqual([
			`PROPFIND ${sandbox.caldav.url} 0`,
			`PROPFIND ${sandbox.caldav.url}organizer/ 0`,
			`PROPFIND ${sandbox.caldav.url}organizer/ 1`,
		]);
		// Our UTF-8 header on every request (a Latin-1-safe demo password: same bytes as the naive encoding).
		for (const request of recorder.requests) {
			expect(request.headers.get('authorization')).toBe(basicAuthorization(organizer.email, organizer.password));
		}
	});

	test('each account sees its own principal and calendar', async () => {
		const alex = sandbox.accounts.find(account => account.email === 'alex@sandbox.test')!;
		const discovery = await discoverCalendars({serverUrl: sandbox.caldav.url, username: alex.email, password: alex.password});
		expect(discovery.accountId).toBe('alex');
		expect(discovery.calendars).toEqual([{name: 'Calendar', url: `${sandbox.caldav.url}alex/calendar/`, color: '#ff8a65'}]);
	});

	test('starting from the site root, it follows /.well-known/caldav (RFC 6764) to the same answer', async () => {
		const organizer = organizerOf(sandbox);
		const siteRoot = new URL('/', sandbox.caldav.url).href;
		const recorder = recordingFetch();
		const discovery = await discoverCalendars({serverUrl: siteRoot, username: organizer.email, password: organizer.password, fetch: recorder.fetch});
		expect(discovery.principalUrl).toBe(`${sandbox.caldav.url}organizer/`);
		expect(discovery.calendars.map(calendar => calendar.url)).toEqual([`${sandbox.caldav.url}organizer/calendar/`]);
		expect(recorder.requests[1]?.url).toBe(`${siteRoot}.well-known/caldav`);
	});

	test('a wrong password is CaldavAuthFailed (401), not retried', async () => {
		let calls = 0;
		const failure = await withBackoff(async () => {
			calls++;
			return discoverCalendars({serverUrl: sandbox.caldav.url, username: 'organizer@sandbox.test', password: 'wrong'});
		}, {baseMs: 1}).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(CaldavAuthFailed);
		expect(failure).toMatchObject({code: 'ERR_CALDAV_AUTH_FAILED', status: 401, method: 'PROPFIND'});
		expect(calls).toBe(1);
	});

	test('PROPFIND answering 500 twice is CaldavUnavailable, and withBackoff gets through on the third try', async () => {
		const organizer = organizerOf(sandbox);
		const account = {serverUrl: sandbox.caldav.url, username: organizer.email, password: organizer.password};
		sandbox.caldavControl!.injectFault({method: 'PROPFIND', status: 500});
		await expect(discoverCalendars(account)).rejects.toMatchObject({name: 'CaldavUnavailable', code: 'ERR_CALDAV_UNAVAILABLE', status: 500, retryable: true});

		sandbox.caldavControl!.injectFault({method: 'PROPFIND', status: 500, times: 2});
		const attempts: number[] = [];
		const discovery = await withBackoff(async attempt => {
			attempts.push(attempt);
			return discoverCalendars(account);
		}, {baseMs: 10});
		expect(attempts).toEqual([1, 2, 3]);
		expect(discovery.accountId).toBe('organizer');
		expect(discovery.calendars).toHaveLength(1);
	});

	test('when the 500s outlast the attempts, the last CaldavUnavailable comes out (work left for the next tick)', async () => {
		const organizer = organizerOf(sandbox);
		sandbox.caldavControl!.injectFault({method: 'PROPFIND', status: 503, times: 3});
		let calls = 0;
		const failure = await withBackoff(async () => {
			calls++;
			return discoverCalendars({serverUrl: sandbox.caldav.url, username: organizer.email, password: organizer.password});
		}, {attempts: 3, baseMs: 1}).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(CaldavUnavailable);
		expect((failure as CaldavUnavailable).status).toBe(503);
		expect(calls).toBe(3);
		// The faults are used up: the next call works.
		await expect(discoverCalendars({serverUrl: sandbox.caldav.url, username: organizer.email, password: organizer.password})).resolves.toMatchObject({accountId: 'organizer'});
	});

	test('an aborted signal rejects with its reason, not a CaldavError', async () => {
		const organizer = organizerOf(sandbox);
		const controller = new AbortController();
		const reason = new Error('popup closed');
		controller.abort(reason);
		const failure = await discoverCalendars({serverUrl: sandbox.caldav.url, username: organizer.email, password: organizer.password, signal: controller.signal}).catch((error: unknown) => error);
		expect(failure).toBe(reason);
		expect(failure).not.toBeInstanceOf(CaldavError);
	});

	test('a password outside Latin-1 logs in: UTF-8 then base64, where tsdav\'s encoder throws', async () => {
		// The demo accounts cannot change, so this test adds a login to the running Radicale's htpasswd file (it is
		// read on every login). The proxy passes logins that are not demo e-mail addresses through unchanged.
		const password = 'pässwörd✓';
		await appendFile(path.join(sandbox.stateDir, 'radicale', 'users'), `unicode:${password}\n`, 'utf8');
		expect(() => getBasicAuthHeaders({username: 'unicode', password})).toThrow();

		const discovery = await discoverCalendars({serverUrl: sandbox.caldav.url, username: 'unicode', password});
		expect(discovery.principalUrl).toBe(`${sandbox.caldav.url}unicode/`);
		expect(discovery.accountId).toBe('unicode');
		expect(discovery.calendars).toEqual([]);

		// And the server really checks it: the same password without its ✓ is refused.
		await expect(discoverCalendars({serverUrl: sandbox.caldav.url, username: 'unicode', password: 'pässwörd'})).rejects.toBeInstanceOf(CaldavAuthFailed);
	});
});
