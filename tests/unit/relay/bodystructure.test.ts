/**
 * Calendar-part selection from BODYSTRUCTURE. The structures are what imapflow parsed from Dovecot for the
 * named fixtures in /work/shared/fixtures/itip/samples/, plus hand-made ones for the edge cases.
 */
import type {MessageStructureObject} from 'imapflow';
import {describe, expect, test} from 'vitest';
import {calendarPartText, maxCalendarParts} from '../../../lib/imip/calendar-part-rule.ts';
import {decodeQuotedPrintable, decodeTransferEncoding, findCalendarParts} from '../../../relay/bodystructure.ts';

/** apple-style-REPLY-no-organizer-cyrus.eml: the whole message is the calendar. */
const singlePartReply: MessageStructureObject = {
	type: 'text/calendar', parameters: {method: 'REPLY', component: 'VEVENT', charset: 'us-ascii'}, encoding: '7bit', size: 283, lineCount: 11,
};

/** exchange-REPLY-tnef-winmail-zugesagt.eml: the reply exists only as winmail.dat. */
const tnefReply: MessageStructureObject = {
	type: 'multipart/mixed',
	childNodes: [
		{part: '1', type: 'text/plain', parameters: {charset: 'iso-8859-1'}, encoding: 'quoted-printable', size: 4},
		{part: '2', type: 'application/ms-tnef', parameters: {name: 'winmail.dat'}, encoding: 'base64', size: 14_730, disposition: 'attachment', dispositionParameters: {filename: 'winmail.dat'}},
	],
};

/** roundcube-REQUEST-application-ics-qp.eml. */
const applicationIcs: MessageStructureObject = {
	type: 'multipart/mixed',
	childNodes: [
		{part: '1', type: 'text/plain', parameters: {charset: 'UTF-8', format: 'flowed'}, encoding: 'quoted-printable', size: 18},
		{part: '2', type: 'application/ics', parameters: {charset: 'UTF-8', method: 'REQUEST', name: 'event.ics'}, encoding: 'quoted-printable', size: 569},
	],
};

/** icloud-REQUEST-raw-email-french.eml: alternative text and HTML, the calendar as an attachment. */
const icloudRequest: MessageStructureObject = {
	type: 'multipart/mixed',
	childNodes: [
		{
			part: '1',
			type: 'multipart/alternative',
			childNodes: [
				{part: '1.1', type: 'text/plain', parameters: {charset: 'UTF-8'}, encoding: 'quoted-printable', size: 1311},
				{part: '1.2', type: 'text/html', parameters: {charset: 'UTF-8'}, encoding: 'quoted-printable', size: 24_528},
			],
		},
		{part: '2', type: 'text/calendar', parameters: {method: 'REQUEST', charset: 'us-ascii'}, encoding: 'base64', size: 6600, disposition: 'attachment', dispositionParameters: {filename: 'iCal-20150315-205933.ics'}},
	],
};

/** A reply with a large attachment beside it (the /v1/replies byte test). */
const replyWithPdf: MessageStructureObject = {
	type: 'multipart/mixed',
	childNodes: [
		{part: '1', type: 'text/calendar', parameters: {method: 'REPLY', charset: 'UTF-8'}, encoding: '7bit', size: 600},
		{part: '2', type: 'application/pdf', parameters: {name: 'agenda.pdf'}, encoding: 'base64', size: 6_990_000, disposition: 'attachment', dispositionParameters: {filename: 'agenda.pdf'}},
	],
};

const octetStreamIcs: MessageStructureObject = {
	type: 'multipart/mixed',
	childNodes: [
		{part: '1', type: 'text/plain', encoding: '7bit', size: 10},
		{part: '2', type: 'application/octet-stream', encoding: 'base64', size: 900, dispositionParameters: {filename: 'Invite.ICS'}},
	],
};

/** A forwarded invitation: the calendar sits inside an attached message, which is not a reply to us. */
const forwarded: MessageStructureObject = {
	type: 'multipart/mixed',
	childNodes: [
		{part: '1', type: 'text/plain', encoding: '7bit', size: 10},
		{part: '2', type: 'message/rfc822', size: 2000, childNodes: [{part: '2.1', type: 'text/calendar', encoding: '7bit', size: 500}]},
	],
};

/** An attachment typed application/octet-stream without a calendar name: a calendar only if its bytes say so. */
const octetStreamUnnamed: MessageStructureObject = {
	type: 'multipart/mixed',
	childNodes: [
		{part: '1', type: 'text/plain', encoding: '7bit', size: 10},
		{part: '2', type: 'application/octet-stream', encoding: 'base64', size: 400, dispositionParameters: {filename: 'invite'}},
	],
};

/** More calendar parts than the rule keeps. */
const manyCalendars: MessageStructureObject = {
	type: 'multipart/mixed',
	childNodes: Array.from({length: maxCalendarParts + 4}, (_unused, index) => ({part: String(index + 1), type: 'text/calendar', encoding: '7bit', size: 300})),
};

const plainText: MessageStructureObject = {type: 'text/plain', parameters: {charset: 'utf-8'}, encoding: '7bit', size: 100};

describe('findCalendarParts', () => {
	test.each([
		['single-part text/calendar (Apple/Cyrus)', singlePartReply, [{part: '1', contentType: 'text/calendar', filename: null, transferEncoding: '7bit', charset: 'us-ascii', size: 283, binary: false, sniff: false}]],
		['TNEF winmail.dat (Exchange)', tnefReply, [{part: '2', contentType: 'application/ms-tnef', filename: 'winmail.dat', transferEncoding: 'base64', charset: null, size: 14_730, binary: true, sniff: false}]],
		['application/ics (Roundcube)', applicationIcs, [{part: '2', contentType: 'application/ics', filename: 'event.ics', transferEncoding: 'quoted-printable', charset: 'utf-8', size: 569, binary: false, sniff: false}]],
		['text/calendar attachment (iCloud)', icloudRequest, [{part: '2', contentType: 'text/calendar', filename: 'iCal-20150315-205933.ics', transferEncoding: 'base64', charset: 'us-ascii', size: 6600, binary: false, sniff: false}]],
		['calendar beside a PDF: only the calendar', replyWithPdf, [{part: '1', contentType: 'text/calendar', filename: null, transferEncoding: '7bit', charset: 'utf-8', size: 600, binary: false, sniff: false}]],
		['application/octet-stream named *.ics', octetStreamIcs, [{part: '2', contentType: 'application/octet-stream', filename: 'Invite.ICS', transferEncoding: 'base64', charset: null, size: 900, binary: false, sniff: false}]],
		['application/octet-stream, no calendar name: fetched to look at its first bytes', octetStreamUnnamed, [{part: '2', contentType: 'application/octet-stream', filename: 'invite', transferEncoding: 'base64', charset: null, size: 400, binary: false, sniff: true}]],
	])('%s', (_name, structure, expected) => {
		expect(findCalendarParts(structure)).toEqual(expected);
	});

	test('at most maxCalendarParts parts, the first ones in message order', () => {
		const parts = findCalendarParts(manyCalendars);
		expect(parts.map(part => part.part)).toEqual(manyCalendars.childNodes!.slice(0, maxCalendarParts).map(node => node.part));
	});

	test.each([
		['plain text', plainText],
		['a forwarded message holding an invitation', forwarded],
	])('nothing in %s', (_name, structure) => {
		expect(findCalendarParts(structure)).toEqual([]);
	});
});

describe('decoding a fetched part', () => {
	test.each([
		['base64 with line breaks', Buffer.from('QkVHSU46VkNB\r\nTEVOREFS\r\n'), 'base64', 'BEGIN:VCALENDAR'],
		['quoted-printable with a soft break and escapes', Buffer.from('SUMMARY:Caf=C3=A9 =\r\nmeeting=3D1'), 'quoted-printable', 'SUMMARY:Café meeting=1'],
		['7bit as is', Buffer.from('BEGIN:VCALENDAR'), '7bit', 'BEGIN:VCALENDAR'],
	])('%s', (_name, raw, encoding, expected) => {
		expect(calendarPartText(decodeTransferEncoding(raw, encoding), 'text/calendar', 'utf-8').text).toBe(expected);
	});

	test('quoted-printable keeps a lone = that is no escape, and LF soft breaks', () => {
		expect(decodeQuotedPrintable(Buffer.from('a=zz b=\nc')).toString()).toBe('a=zz bc');
	});

	test.each([
		['iso-8859-1', Buffer.from([0x5A, 0x75, 0x67, 0x65, 0x73, 0x61, 0x67, 0x74, 0x3A, 0x20, 0xE4]), 'Zugesagt: ä'],
		[null, Buffer.from('Zugesagt: ä'), 'Zugesagt: ä'],
		['x-unknown-charset', Buffer.from('ä'), 'ä'],
	])('charset %s', (charset, bytes, expected) => {
		expect(calendarPartText(bytes, 'text/calendar', charset).text).toBe(expected);
	});

	test('a part of another type is UTF-8, or Windows-1252 when it is not valid UTF-8', () => {
		expect(calendarPartText(Buffer.from('Zugesagt: ä'), 'application/octet-stream', 'iso-8859-1')).toEqual({text: 'Zugesagt: ä', fallback: false});
		expect(calendarPartText(Buffer.from([0x5A, 0xE4]), 'application/octet-stream', null)).toEqual({text: 'Zä', fallback: true});
	});
});
