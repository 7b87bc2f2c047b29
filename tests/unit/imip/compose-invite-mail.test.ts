import {readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {
	composeInviteMail,
	InvalidMailFieldError,
	readCalendarMail,
	type InviteMailOptions,
} from '../../../lib/imip/index.ts';
import {postalMimeTree, type PostalPart} from '../../helpers/postal-mime-tree.ts';
import {parseWithPython, pythonDefects, pythonPayload, type PythonPart} from '../../helpers/python-email.ts';
import {calendar, fixturePath} from './mail-builders.ts';

/** The part of a MIME tree that decides how clients show it: types, order, METHOD, attachment names. */
type Shape = {type: string; method?: string; disposition?: string; filename?: string; children?: Shape[]};

function shapeOf(part: PythonPart | PostalPart): Shape {
	const shape: Shape = {type: part.type};
	if (part.params.method !== undefined) {
		shape.method = part.params.method.toUpperCase();
	}

	if (part.disposition !== null) {
		shape.disposition = part.disposition;
	}

	if (part.filename !== null) {
		shape.filename = part.filename;
	}

	if (part.children !== undefined) {
		shape.children = part.children.map(child => shapeOf(child));
	}

	return shape;
}

function expectedShape(method: string, withHtml: boolean): Shape {
	return {
		type: 'multipart/mixed',
		children: [
			{
				type: 'multipart/alternative',
				children: [
					{type: 'text/plain'},
					...(withHtml ? [{type: 'text/html'}] : []),
					{type: 'text/calendar', method},
				],
			},
			{type: 'application/ics', disposition: 'attachment', filename: 'invite.ics'},
		],
	};
}

function leaves(part: PythonPart): PythonPart[] {
	return part.children === undefined ? [part] : part.children.flatMap(child => leaves(child));
}

const asciiCalendar = calendar('REQUEST', 'ascii-1@example.com', ['LOCATION:Room 4']);
const unicodeCalendar = calendar('REQUEST', 'unicode-1@example.com', ['LOCATION:Besprechungsraum Köln – 3. Stock', 'DESCRIPTION:Agenda: Überblick\\, Ziele\\, nächste Schritte']);
// ASCII, but a line longer than 76 characters (unfolded iCalendar as some producers write it): must not go out as 7bit.
const longLineCalendar = calendar('CANCEL', 'long-1@example.com', [`DESCRIPTION:${'word '.repeat(30).trim()}`, 'STATUS:CANCELLED']);
const koCalendar = readFileSync(fixturePath('samples/kde-korganizer-REQUEST-delegated-attach.ics'), 'utf8').replaceAll(/\r?\n/g, '\r\n');

function options(overrides: Partial<InviteMailOptions> = {}): InviteMailOptions {
	return {
		from: {email: 'ann@example.com', name: 'Ann Organizer'},
		to: [{email: 'bob@example.org', name: 'Bob'}],
		subject: 'Invitation: Project sync @ Mon 1 Dec 2026 16:00 – 17:00 (CET)',
		text: 'Ann invites you to: Project sync\r\n',
		calendar: asciiCalendar,
		method: 'REQUEST',
		date: new Date('2026-11-20T10:00:00Z'),
		...overrides,
	};
}

const cases = [
	{name: 'REQUEST, ASCII calendar, text only', calendar: asciiCalendar, method: 'REQUEST', html: undefined, encoding: '7bit'},
	{name: 'REQUEST, non-ASCII calendar, with HTML', calendar: unicodeCalendar, method: 'REQUEST', html: '<p>Ann invites you</p>', encoding: 'quoted-printable'},
	{name: 'CANCEL, long ASCII lines, with HTML', calendar: longLineCalendar, method: 'CANCEL', html: '<p>Cancelled</p>', encoding: 'quoted-printable'},
	{name: 'REQUEST, KOrganizer sample with inline binary ATTACH', calendar: koCalendar, method: 'REQUEST', html: undefined, encoding: 'quoted-printable'},
] as const;

describe('composeInviteMail: the tree', () => {
	test.each(cases)('$name: postal-mime reads exactly the expected tree', async ({calendar, method, html, encoding}) => {
		const raw = composeInviteMail(options({calendar, method, html}));
		const {tree, email} = await postalMimeTree(raw);
		expect(shapeOf(tree)).toEqual(expectedShape(method, html !== undefined));
		const calendarNode = tree.children?.[0]?.children?.at(-1);
		expect(calendarNode?.encoding).toBe(encoding);
		expect(calendarNode?.params.charset).toBe('UTF-8');

		// postal-mime's flat view: the calendar and the attachment, the calendar with its method.
		expect(email.attachments.map(attachment => [attachment.mimeType, attachment.method, attachment.filename])).toEqual([
			['text/calendar', method, null],
			['application/ics', undefined, 'invite.ics'],
		]);
		// postal-mime hands calendar text back with LF line ends (its documented normalisation), otherwise unchanged.
		const inline = new TextDecoder().decode(email.attachments[0]?.content as ArrayBuffer);
		expect(inline).toBe(calendar.replaceAll('\r\n', '\n'));
		// postal-mime keeps the line break that belongs to the next boundary (RFC 2046 §5.1.1), hence trimEnd.
		expect(email.text?.trimEnd()).toBe('Ann invites you to: Project sync');
	});

	test.each(cases)('$name: Python\'s email package reads exactly the expected tree, without defects', ({calendar, method, html, encoding}) => {
		const raw = composeInviteMail(options({calendar, method, html}));
		const python = parseWithPython(raw);
		expect(shapeOf(python.tree)).toEqual(expectedShape(method, html !== undefined));
		expect(pythonDefects(python.tree)).toEqual([]);
		const [plain, ...rest] = leaves(python.tree);
		const calendarPart = rest.at(-2);
		expect(plain?.params.charset).toBe('UTF-8');
		expect(calendarPart?.type).toBe('text/calendar');
		expect(calendarPart?.encoding).toBe(encoding);
		expect(calendarPart?.params).toEqual({charset: 'UTF-8', method});
	});

	test.each(cases)('$name: the calendar part and the attachment round-trip byte for byte', async ({calendar, method, html}) => {
		const raw = composeInviteMail(options({calendar, method, html}));
		const expected = new TextEncoder().encode(calendar);
		const python = parseWithPython(raw);
		const calendarLeaves = leaves(python.tree).filter(part => part.type === 'text/calendar' || part.type === 'application/ics');
		expect(calendarLeaves).toHaveLength(2);
		for (const part of calendarLeaves) {
			expect(pythonPayload(part)).toEqual(expected);
		}

		const read = await readCalendarMail(raw);
		expect(read.problems).toEqual([]);
		expect(read.parts).toEqual([{method, contentType: 'text/calendar', filename: null, text: calendar}]);
	});

	test('the tree is the tree of Google Calendar\'s real invitation (alternatives in the same order, attachment last)', async () => {
		const google = readFileSync(fixturePath('samples/google-REQUEST-2024-full-headers-dkim.eml'));
		const ours = composeInviteMail(options({html: '<p>Ann invites you</p>'}));
		const googleShape = shapeOf(parseWithPython(google).tree);
		expect(googleShape).toEqual(expectedShape('REQUEST', true));
		expect(shapeOf(parseWithPython(ours).tree)).toEqual(googleShape);
		expect(shapeOf((await postalMimeTree(ours)).tree)).toEqual(shapeOf((await postalMimeTree(google)).tree));
	});

	test('CANCEL has the same shape, with method=CANCEL', () => {
		const raw = composeInviteMail(options({calendar: calendar('CANCEL', 'c@example.com', ['STATUS:CANCELLED']), method: 'CANCEL', subject: 'Cancelled: Project sync'}));
		expect(shapeOf(parseWithPython(raw).tree)).toEqual(expectedShape('CANCEL', false));
	});

	test('a calendar without METHOD, or with LF line ends, goes out with METHOD untouched and CRLF line ends', () => {
		const lfCalendar = calendar(null, 'lf@example.com').replaceAll('\r\n', '\n');
		const python = parseWithPython(composeInviteMail(options({calendar: lfCalendar})));
		const part = leaves(python.tree).find(leaf => leaf.type === 'text/calendar');
		expect(new TextDecoder().decode(pythonPayload(part!))).toBe(lfCalendar.replaceAll('\n', '\r\n'));
	});
});

describe('composeInviteMail: headers and lines', () => {
	const nonAscii = options({
		from: {email: 'joerg@example.com', name: 'Jörg Müller-Lüdenscheidt'},
		to: [{email: 'zoe@example.org', name: 'Zoë Ångström'}, {email: 'li@example.net', name: '王小明'}, {email: 'plain@example.net'}],
		cc: [{email: 'doe@example.com', name: 'Doe, Jane "JD"'}],
		subject: 'Invitation: Weihnachtsfeier – Glühwein & Plätzchen für alle Kolleginnen und Kollegen @ Fri 18 Dec 2026 17:00 – 22:00 (CET)',
		text: 'Jörg lädt ein.\n',
		html: '<p>Jörg lädt ein.</p>',
		calendar: unicodeCalendar,
	});

	test('every line is CRLF-terminated ASCII of at most 76 characters', () => {
		const raw = composeInviteMail(nonAscii);
		expect(raw).toMatch(/^[\u0020-\u007E\r\n\t]*$/);
		expect(raw.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
		const longest = Math.max(...raw.split('\r\n').map(line => line.length));
		expect(longest).toBeLessThanOrEqual(76);
	});

	test('names and subject are RFC 2047 encoded and both parsers decode them back', async () => {
		const raw = composeInviteMail(nonAscii);
		expect(raw).toMatch(/^Subject: =\?UTF-8\?B\?/m);
		const python = parseWithPython(raw);
		expect(python.subject).toBe(nonAscii.subject);
		expect(python.from).toEqual([{name: 'Jörg Müller-Lüdenscheidt', email: 'joerg@example.com'}]);
		expect(python.to).toEqual([
			{name: 'Zoë Ångström', email: 'zoe@example.org'},
			{name: '王小明', email: 'li@example.net'},
			{name: '', email: 'plain@example.net'},
		]);
		expect(python.cc).toEqual([{name: 'Doe, Jane "JD"', email: 'doe@example.com'}]);

		const {email} = await postalMimeTree(raw);
		expect(email.subject).toBe(nonAscii.subject);
		expect(email.from).toEqual({name: 'Jörg Müller-Lüdenscheidt', address: 'joerg@example.com'});
		expect(email.to).toEqual([
			{name: 'Zoë Ångström', address: 'zoe@example.org'},
			{name: '王小明', address: 'li@example.net'},
			{name: '', address: 'plain@example.net'},
		]);
		expect(email.text?.trimEnd()).toBe('Jörg lädt ein.');
	});

	test('a run of non-ASCII words too long for one encoded word decodes exactly in postal-mime (RFC 2047 §6.2)', async () => {
		// 26 Cyrillic letters and two spaces: 50 bytes of UTF-8, more than one 75-character encoded word holds.
		const name = 'Александр Сергеевич Пушкин';
		const raw = composeInviteMail(options({to: [{email: 'pushkin@example.org', name}]}));
		expect(raw).toMatch(/^To: =\?UTF-8\?B\?\S+\?=\r\n =\?UTF-8\?B\?\S+\?= <pushkin@example.org>$/m);
		const {email} = await postalMimeTree(raw);
		expect(email.to).toEqual([{name, address: 'pushkin@example.org'}]);
		// Python's address parser keeps the whitespace between two encoded words (not what RFC 2047 §6.2 says),
		// so it reads one space too many where the words were split; the words themselves come back intact.
		expect(parseWithPython(raw).to[0]?.name.replaceAll(/\s+/g, ' ')).toBe(name);
	});

	test('Date, Message-ID on the sender\'s domain, and MIME-Version are set', () => {
		const python = parseWithPython(composeInviteMail(nonAscii));
		expect(python.date).toBe('Fri, 20 Nov 2026 10:00:00 +0000');
		expect(python.messageId).toMatch(/^<[\da-f]{32}@example\.com>$/);
		expect(python.mimeVersion).toBe('1.0');
	});

	test('two mails get different Message-IDs and boundaries', () => {
		const first = composeInviteMail(options());
		const second = composeInviteMail(options());
		const ids = [first, second].map(raw => /^Message-ID: (.*)$/m.exec(raw)?.[1]);
		const boundaries = [first, second].map(raw => /boundary="([^"]+)"/.exec(raw)?.[1]);
		expect(ids[0]).not.toBe(ids[1]);
		expect(boundaries[0]).not.toBe(boundaries[1]);
	});
});

describe('composeInviteMail: validation before building', () => {
	test.each([
		{what: 'CR LF in the sender\'s name (header injection)', overrides: {from: {email: 'ann@example.com', name: 'Ann\r\nBcc: eve@example.net'}}, field: 'from.name'},
		{what: 'LF in a recipient\'s name', overrides: {to: [{email: 'bob@example.org', name: 'Bob\nX'}]}, field: 'to[0].name'},
		{what: 'CR in the subject', overrides: {subject: 'Hello\rBcc: eve@example.net'}, field: 'subject'},
		{what: 'LF in an address', overrides: {to: [{email: 'bob@example.org'}, {email: 'eve@example.net\nBcc: x@example.net'}]}, field: 'to[1].email'},
		{what: 'a sender address that is not one', overrides: {from: {email: 'ann at example.com'}}, field: 'from.email'},
		{what: 'a recipient address without domain', overrides: {to: [{email: 'bob@'}]}, field: 'to[0].email'},
		{what: 'a cc address with a display name in it', overrides: {cc: [{email: 'Bob <bob@example.org>'}]}, field: 'cc[0].email'},
		{what: 'a non-ASCII address', overrides: {to: [{email: 'zoë@example.org'}]}, field: 'to[0].email'},
		{what: 'no recipient', overrides: {to: []}, field: 'to'},
		{what: 'a control character in a name', overrides: {from: {email: 'ann@example.com', name: 'Ann\u0000'}}, field: 'from.name'},
		{what: 'a method the calendar contradicts', overrides: {method: 'CANCEL' as const}, field: 'method'},
		{what: 'an unknown method', overrides: {method: 'INVITE' as unknown as 'REQUEST'}, field: 'method'},
		{what: 'a calendar that is no iCalendar', overrides: {calendar: 'hello'}, field: 'calendar'},
		{what: 'an invalid date', overrides: {date: new Date('nope')}, field: 'date'},
	])('$what → InvalidMailFieldError naming $field', ({overrides, field}) => {
		const build = (): string => composeInviteMail(options(overrides as Partial<InviteMailOptions>));
		expect(build).toThrow(InvalidMailFieldError);
		expect(build).toThrow(expect.objectContaining({field, code: 'ERR_IMIP_INVALID_FIELD', message: expect.stringContaining(field) as unknown}));
	});
});
