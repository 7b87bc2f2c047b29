import {describe, expect, test} from 'vitest';
import {decodedSizeBound, isTooLarge, maxCalendarBytes, partKind, startsWithVcalendar} from '../../../lib/imip/calendar-part-rule.ts';
import {replyMessageOf} from '../../../lib/imip/reply-message.ts';

describe('partKind', () => {
	test.each([
		['text/calendar', null, 'calendar'],
		['Application/ICS', null, 'calendar'],
		['text/x-vcalendar', null, 'calendar'],
		['application/octet-stream', 'Invite.ICS', 'calendar'],
		['application/octet-stream', 'busy.ifb', 'calendar'],
		['application/octet-stream', 'old.vcs', 'calendar'],
		['text/plain', 'meeting.ical', 'calendar'],
		['application/octet-stream', 'invite', 'sniff'],
		['application/octet-stream', null, 'sniff'],
		['application/ms-tnef', 'winmail.dat', 'tnef'],
		['application/octet-stream', 'WINMAIL.DAT', 'tnef'],
		['message/rfc822', null, 'forwarded'],
		['message/rfc822', 'forwarded.ics', 'forwarded'],
		['application/pdf', 'agenda.pdf', undefined],
		['text/plain', null, undefined],
	])('%s named %s: %s', (contentType, filename, expected) => {
		expect(partKind({contentType, filename})).toBe(expected);
	});
});

test.each([
	['BEGIN:VCALENDAR\r\n', true],
	['\uFEFF  \r\nbegin:vcalendar\r\n', true],
	['%PDF-1.7', false],
	['', false],
])('startsWithVcalendar(%j) is %s', (text, expected) => {
	expect(startsWithVcalendar(new TextEncoder().encode(text))).toBe(expected);
});

test('the size limit is judged on decoded bytes; base64 counts three bytes per four characters', () => {
	expect(isTooLarge(maxCalendarBytes)).toBe(false);
	expect(isTooLarge(maxCalendarBytes + 1)).toBe(true);
	expect(isTooLarge(decodedSizeBound(Math.ceil(maxCalendarBytes * 4 / 3), 'base64'))).toBe(false);
	expect(isTooLarge(decodedSizeBound(maxCalendarBytes + 1, 'quoted-printable'))).toBe(true);
});

describe('replyMessageOf', () => {
	const calendar = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:a@b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
	function mail(parts: Array<{type: string; name?: string; body: string}>): string {
		return [
			'From: Alex <alex@example.org>', 'To: org@example.com', 'Subject: x', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=b', '',
			...parts.flatMap(part => ['--b', `Content-Type: ${part.type}${part.name ? `; name="${part.name}"` : ''}`, ...(part.name ? [`Content-Disposition: attachment; filename="${part.name}"`] : []), '', part.body]),
			'--b--', '',
		].join('\r\n');
	}

	test('an octet-stream is a calendar only if it starts with BEGIN:VCALENDAR; a forwarded message is not entered', async () => {
		const forwarded = ['From: x@y', 'Content-Type: text/calendar; method=REQUEST', '', calendar].join('\r\n');
		const message = await replyMessageOf(mail([
			{type: 'text/plain', body: 'hello'},
			{type: 'application/octet-stream', name: 'data', body: 'not a calendar'},
			{type: 'application/octet-stream', name: 'reply', body: calendar},
			{type: 'message/rfc822', body: forwarded},
		]));
		expect(message.headers.from).toEqual({name: 'Alex', address: 'alex@example.org'});
		expect(message.calendarParts).toEqual([{part: '#2', contentType: 'application/octet-stream', filename: 'reply', encoding: 'utf-8', text: calendar}]);
	});

	test('a calendar over the limit is listed as skipped, not read', async () => {
		const big = calendar.replace('END:VEVENT', `COMMENT:${'x'.repeat(maxCalendarBytes)}\r\nEND:VEVENT`);
		const message = await replyMessageOf(mail([{type: 'text/calendar; method=REPLY', body: big}]));
		expect(message.calendarParts).toEqual([]);
		expect(message.skippedParts).toMatchObject([{part: '#1', contentType: 'text/calendar', filename: null}]);
		expect(message.skippedParts![0]!.size).toBeGreaterThan(maxCalendarBytes);
	});
});
