/**
 * The invite flow through the real relay, SMTP (AUTH), Dovecot and Radicale (issue 6, "Must show"): after
 * createInvite the event is on the calendar without METHOD, each attendee's INBOX holds a REQUEST
 * (text/calendar; method=REQUEST inside multipart/alternative) and the organizer's Sent the same mail. Also: a
 * failed send keeps the event for resendInvite; updateInvite and cancelInvite reach the calendar and the mailboxes.
 */
import {describe, expect, test} from 'vitest';
import {topLevelMethod} from '../../../lib/ical-lines.ts';
import {cancelInvite, createInvite, resendInvite, updateInvite} from '../../../lib/invites/index.ts';
import {eventsItem} from '../../../lib/storage.ts';
import {
	downloadPart, expectCalendarMail, invite, inviteDeps, leafParts, listMessages, methodOf, partstats, readBack, sentIds, waitForMessages,
	useRelayFlow, type Flow,
} from './helpers.ts';

let flow: Flow;

useRelayFlow(started => {
	flow = started;
});

describe('createInvite', () => {
	test('writes the event to Radicale without METHOD, mails a REQUEST to each attendee and keeps a copy in Sent', async () => {
		const {result, tracked} = await invite(flow, {summary: 'Budget review', location: 'Room 4'});
		expect(result.accepted.sort()).toEqual([flow.alex.email, flow.sam.email]);
		expect(result.rejected).toEqual([]);
		expect(result.steps.map(step => `${step.step} ${step.state}`)).toEqual(['calendar done', 'mail done']);

		// The calendar: our href, our ETag, no METHOD (RFC 4791 §4.1), everyone still to answer.
		const stored = await readBack(flow, tracked.href);
		expect(tracked.href.startsWith(flow.calendarUrl)).toBe(true);
		expect(stored.etag).toBe(tracked.etag);
		expect(topLevelMethod(stored.ics)).toBeUndefined();
		expect(stored.ics).toContain(`UID:${tracked.uid}`);
		expect(stored.ics).toContain('SUMMARY:Budget review');
		expect(stored.partstats).toEqual({master: {[flow.organizer.email]: 'ACCEPTED', [flow.alex.email]: 'NEEDS-ACTION', [flow.sam.email]: 'NEEDS-ACTION'}});
		expect((await eventsItem.getValue())[tracked.uid]).toMatchObject({delivery: {state: 'sent'}, cancelled: false, sequence: 0});

		// The mail: the one message in the organizer's Sent (a fresh sandbox), then the same Message-ID in each INBOX.
		const sent = await listMessages(flow.sandbox.imap, flow.organizer, 'Sent');
		expect(sent).toHaveLength(1);
		const requestId = sent[0]!.messageId!;
		for (const [account, folder] of [[flow.alex, 'INBOX'], [flow.sam, 'INBOX'], [flow.organizer, 'Sent']] as const) {
			const [message] = await waitForMessages(flow.sandbox.imap, account, folder, [requestId]);
			const parts = leafParts(message!.structure!);
			const calendarParts = parts.filter(part => part.type === 'text/calendar');
			expect(calendarParts, `${account.email} ${folder}`).toHaveLength(1);
			expect(calendarParts[0]).toMatchObject({parentType: 'multipart/alternative', parameters: expect.objectContaining({method: 'REQUEST'}) as object});
			expect(calendarParts[0]!.encoding).not.toBe('base64');
			const calendar = await downloadPart(flow.sandbox.imap, account, folder, message!.uid, calendarParts[0]!.part!);
			expect(topLevelMethod(calendar)).toBe('REQUEST');
			expect(partstats(calendar).master).toMatchObject({[flow.alex.email]: 'NEEDS-ACTION', [flow.sam.email]: 'NEEDS-ACTION'});
			expect(calendar.replaceAll(/\r\n[ \t]/g, '')).toContain(`UID:${tracked.uid}`);
		}
	});

	test('a send that fails leaves the event on the calendar, marked not sent; resendInvite sends it once the relay is back', async () => {
		const before = await sentIds(flow);
		await flow.stopRelay();
		let failed;
		try {
			failed = await createInvite({
				attendees: [{email: flow.alex.email}, {email: flow.sam.email}],
				summary: 'Retro', start: '2026-12-02T10:00', end: '2026-12-02T11:00', timeZone: 'Europe/Berlin',
			}, inviteDeps(flow));
		} finally {
			await flow.restartRelay();
		}

		if (failed.ok) {
			throw new Error('createInvite reported a send while the relay was down');
		}

		expect(failed.error.code).toBe('relay-down');
		expect(failed.steps.map(step => `${step.step} ${step.state}`)).toEqual(['calendar done', 'mail failed']);
		const tracked = (await eventsItem.getValue())[failed.uid!]!;
		expect(tracked.delivery).toMatchObject({state: 'not-sent'});
		expect(tracked.spec.summary).toBe('Retro');
		expect((await readBack(flow, tracked.href)).partstats.master).toMatchObject({[flow.alex.email]: 'NEEDS-ACTION'});
		expect(await sentIds(flow)).toEqual(before);

		const resent = await resendInvite(tracked.uid, inviteDeps(flow));
		if (!resent.ok) {
			throw new Error(`resendInvite failed: ${resent.error.message}`);
		}

		expect(resent.uid).toBe(tracked.uid);
		expect(resent.accepted.sort()).toEqual([flow.alex.email, flow.sam.email]);
		expect((await eventsItem.getValue())[tracked.uid]!.delivery).toMatchObject({state: 'sent'});
		const [requestId] = (await sentIds(flow)).filter(id => !before.includes(id));
		await expectCalendarMail(flow, flow.alex, 'INBOX', requestId!, 'REQUEST', tracked.uid);
		await expectCalendarMail(flow, flow.sam, 'INBOX', requestId!, 'REQUEST', tracked.uid);
	});

	test('a create whose answer was lost (500 after Radicale stored it) is recognised on the retry: one event, one mail', async () => {
		const before = await sentIds(flow);
		flow.sandbox.caldavControl!.injectFault({method: 'PUT', status: 500, afterForwarding: true});
		flow.exchanges.length = 0;
		const {result, tracked} = await invite(flow, {summary: 'Lost answer'});
		// Stored but answered 500, then If-None-Match: * meets our own event (412), which is read and recognised.
		expect(flow.exchanges.filter(exchange => exchange.method === 'PUT').map(exchange => exchange.status)).toEqual([500, 412]);
		expect(result.accepted.sort()).toEqual([flow.alex.email, flow.sam.email]);
		const stored = await readBack(flow, tracked.href);
		expect(stored.etag).toBe(tracked.etag);
		expect(stored.partstats).toEqual({master: {[flow.organizer.email]: 'ACCEPTED', [flow.alex.email]: 'NEEDS-ACTION', [flow.sam.email]: 'NEEDS-ACTION'}});
		const found = await flow.otherDevice.findEventByUid(flow.calendarUrl, tracked.uid);
		expect(found?.href).toBe(tracked.href);
		expect((await sentIds(flow)).filter(id => !before.includes(id))).toHaveLength(1);
	});

	test('updateInvite: SEQUENCE+1 on Radicale, an updated REQUEST to those still invited and the new one, a CANCEL to the one taken off', async () => {
		const {tracked} = await invite(flow, {summary: 'Roadmap'});
		const before = await sentIds(flow);
		const result = await updateInvite(tracked.uid, {location: 'Room 9', start: '2026-12-01T17:00', end: '2026-12-01T18:00', addAttendees: [{email: 'pat@example.org', name: 'Pat'}], removeAttendees: [flow.sam.email]}, inviteDeps(flow));
		expect(result).toMatchObject({ok: true});
		const stored = await readBack(flow, tracked.href);
		expect(stored.ics).toContain('SEQUENCE:1');
		expect(stored.ics).toContain('LOCATION:Room 9');
		expect(stored.partstats.master).toEqual({[flow.organizer.email]: 'ACCEPTED', [flow.alex.email]: 'NEEDS-ACTION', 'pat@example.org': 'NEEDS-ACTION'});
		expect((await eventsItem.getValue())[tracked.uid]).toMatchObject({sequence: 1, etag: stored.etag, delivery: {state: 'sent'}});
		const added = (await sentIds(flow)).filter(id => !before.includes(id));
		expect(added).toHaveLength(2);
		const methods = await Promise.all(added.map(async id => methodOf(flow, flow.organizer, 'Sent', id)));
		const request = added[methods.indexOf('REQUEST')]!;
		const cancel = added[methods.indexOf('CANCEL')]!;
		await expectCalendarMail(flow, flow.alex, 'INBOX', request, 'REQUEST', tracked.uid);
		// Mail to outside addresses lands in the sandbox's catch-all mailbox.
		await expectCalendarMail(flow, flow.sandbox.catchAll, 'INBOX', request, 'REQUEST', tracked.uid);
		await expectCalendarMail(flow, flow.sam, 'INBOX', cancel, 'CANCEL', tracked.uid);
	});

	test('cancelInvite: STATUS:CANCELLED on Radicale and a CANCEL to everyone', async () => {
		const {tracked} = await invite(flow, {summary: 'Offsite planning'});
		const before = await sentIds(flow);
		const result = await cancelInvite(tracked.uid, inviteDeps(flow));
		expect(result).toMatchObject({ok: true});
		const stored = await readBack(flow, tracked.href);
		expect(stored.ics).toContain('STATUS:CANCELLED');
		expect(topLevelMethod(stored.ics)).toBeUndefined();
		expect((await eventsItem.getValue())[tracked.uid]).toMatchObject({cancelled: true, etag: stored.etag});
		const [cancel] = (await sentIds(flow)).filter(id => !before.includes(id));
		await expectCalendarMail(flow, flow.alex, 'INBOX', cancel!, 'CANCEL', tracked.uid);
		await expectCalendarMail(flow, flow.sam, 'INBOX', cancel!, 'CANCEL', tracked.uid);
	});
});
