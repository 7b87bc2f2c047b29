/**
 * What each page of the browser did, kept so that a failed test can say it: the console (and uncaught errors),
 * and every network request with when it started and how it ended, so the requests still pending at the failure
 * are known. Attached to the whole browser context, so pages the test did not open itself are recorded too.
 */
import type {BrowserContext, Page, Request} from 'playwright-core';

type RequestRecord = {started: number; method: string; url: string; ended?: number; outcome?: string};

export type PageRecord = {console: string[]; requests: Map<Request, RequestRecord>};

export type PageRecorder = {
	/** The console lines, requests and pending requests of one page, as text. */
	describe(page: Page): string;
};

const keepLines = 500;

function timestamp(ms: number): string {
	return new Date(ms).toISOString().slice(11, 23);
}

function push(lines: string[], line: string): void {
	lines.push(line);
	if (lines.length > keepLines) {
		lines.shift();
	}
}

export function recordPages(context: BrowserContext): PageRecorder {
	const records = new WeakMap<Page, PageRecord>();
	const watch = (page: Page): void => {
		const record: PageRecord = {console: [], requests: new Map()};
		records.set(page, record);
		page.on('console', message => {
			push(record.console, `${timestamp(Date.now())} ${message.type()}: ${message.text()}`);
		});
		page.on('pageerror', error => {
			push(record.console, `${timestamp(Date.now())} uncaught: ${error.stack ?? error.message}`);
		});
		page.on('request', request => {
			record.requests.set(request, {started: Date.now(), method: request.method(), url: request.url()});
		});
		page.on('requestfinished', request => {
			const entry = record.requests.get(request);
			if (entry) {
				entry.ended = Date.now();
				entry.outcome = 'finished';
				void request.response().then(response => {
					entry.outcome = `HTTP ${response?.status() ?? '?'}`;
				}, () => undefined);
			}
		});
		page.on('requestfailed', request => {
			const entry = record.requests.get(request);
			if (entry) {
				entry.ended = Date.now();
				entry.outcome = `failed: ${request.failure()?.errorText ?? 'unknown'}`;
			}
		});
	};

	for (const page of context.pages()) {
		watch(page);
	}

	context.on('page', watch);
	return {
		describe(page) {
			const record = records.get(page);
			if (!record) {
				return `${page.url()}\n(not recorded)\n`;
			}

			const now = Date.now();
			const all = [...record.requests.values()];
			const pending = all.filter(entry => entry.ended === undefined);
			return [
				`URL: ${page.url()}`,
				`at: ${timestamp(now)}`,
				'',
				`## Requests still pending (${pending.length})`,
				...pending.map(entry => `${timestamp(entry.started)} +${now - entry.started} ms ${entry.method} ${entry.url}`),
				'',
				`## All requests (${all.length}, oldest first)`,
				...all.map(entry => `${timestamp(entry.started)} ${entry.method} ${entry.url} → ${entry.outcome ?? 'PENDING'}${entry.ended === undefined ? '' : ` in ${entry.ended - entry.started} ms`}`),
				'',
				'## Console',
				...record.console,
				'',
			].join('\n');
		},
	};
}
