import {fakeBrowser} from 'wxt/testing/fake-browser';
import {beforeEach, expect, test} from 'vitest';
import {createStorageEvents} from '../../../lib/invites/index.ts';
import type {TrackedEvent} from '../../../lib/model.ts';
import {createStorageStore} from '../../../lib/reply-loop/storage-store.ts';
import {eventsItem} from '../../../lib/storage.ts';

beforeEach(() => {
	fakeBrowser.reset();
});

function event(uid: string): TrackedEvent {
	return {
		uid, href: `/${uid}.ics`, etag: '"1"', calendarUrl: '/', summary: uid, start: '2026-12-01T10:00:00Z', end: '2026-12-01T11:00:00Z',
		timeZone: 'UTC', allDay: false, sequence: 0, attendees: [], delivery: {state: 'sent', at: '2026-11-20T00:00:00Z', rejected: []}, cancelled: false,
		spec: {organizer: {email: 'o@example.org', name: 'O'}, attendees: [], summary: uid, start: '2026-12-01T10:00', end: '2026-12-01T11:00', timeZone: 'UTC'},
		createdAt: '2026-11-20T00:00:00Z', updatedAt: '2026-11-20T00:00:00Z',
	};
}

test('the reply loop\'s commit and the invite flow\'s writes at the same moment both survive', async () => {
	const events = createStorageEvents();
	const store = createStorageStore();
	await Promise.all([
		events.update('new-invite', () => event('new-invite')),
		store.commit({events: [event('answered')], outcomes: []}),
		events.update('another-invite', () => event('another-invite')),
	]);
	expect(Object.keys(await eventsItem.getValue()).sort()).toEqual(['another-invite', 'answered', 'new-invite']);
});

test('a change made from the record as it is now keeps what a tick stored meanwhile, and the tick keeps the flow\'s fields', async () => {
	const events = createStorageEvents();
	const store = createStorageStore();
	await events.update('x', () => ({...event('x'), delivery: {state: 'not-sent', error: 'Not sent yet.', at: '2026-11-20T00:00:00Z'}}));
	const answered = {...event('x'), etag: '"2"', attendees: [{email: 'a@example.org', name: 'A', optional: false, partstat: 'ACCEPTED' as const}]};
	await Promise.all([
		store.commit({events: [answered], outcomes: []}),
		events.update('x', current => current && {...current, delivery: {state: 'sent', at: '2026-11-20T00:01:00Z', rejected: []}}),
		events.update('x', current => current && {...current, cancelled: true}),
	]);
	expect((await eventsItem.getValue())['x']).toMatchObject({etag: '"2"', attendees: answered.attendees, delivery: {state: 'sent'}, cancelled: true});
});
