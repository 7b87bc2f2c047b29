/**
 * A new meeting the user organizes that carries our PRODID was made by our own invite flow, which mailed its
 * REQUESTs itself: calendar-app scheduling sends nothing for it (the agent cannot see the extension's known ETags).
 * Other apps' meetings, and later changes to ours, are scheduled as usual.
 */
import {describe, expect, test} from 'vitest';
import {buildInvite, changesToMessages} from '../../../lib/itip/index.ts';

const me = 'olivia@example.org';
const now = new Date('2026-12-02T12:00:00Z');
const built = buildInvite({
	organizer: {email: me, name: 'Olivia'},
	attendees: [{email: 'alex@example.org', name: 'Alex'}, {email: 'sam@example.org', name: 'Sam'}],
	summary: 'Team sync',
	start: '2027-01-15T10:00',
	end: '2027-01-15T11:00',
	timeZone: 'Europe/Berlin',
});
const fromOtherApp = built.caldav.replace(/^PRODID:.*$/m, 'PRODID:-//Apple Inc.//macOS 15//EN');

describe('a new meeting the user organizes', () => {
	test('made by Purelymail Invites (our PRODID): nothing sent, with the reason', () => {
		expect(built.caldav).toMatch(/^PRODID:-\/\/Purelymail Invites\/\//m);
		const change = changesToMessages(undefined, built.caldav, [me], {now});
		expect(change).toMatchObject({role: 'organizer', messages: [], skipped: 'Made by Purelymail Invites, which sent its invitations itself'});
	});

	test('made by another app: a REQUEST to every attendee', () => {
		const change = changesToMessages(undefined, fromOtherApp, [me], {now});
		expect(change.messages.map(message => [message.method, [...message.recipients].sort()])).toEqual([['REQUEST', ['alex@example.org', 'sam@example.org']]]);
	});

	test('ours, moved later in another app that kept our PRODID: scheduled as any change', () => {
		const moved = built.caldav.replace(/DTSTART;TZID=Europe\/Berlin:20270115T100000/, 'DTSTART;TZID=Europe/Berlin:20270115T110000').replace(/DTEND;TZID=Europe\/Berlin:20270115T110000/, 'DTEND;TZID=Europe/Berlin:20270115T120000');
		expect(moved).not.toBe(built.caldav);
		const change = changesToMessages(built.caldav, moved, [me], {now});
		expect(change.messages.map(message => message.method)).toEqual(['REQUEST']);
	});
});
