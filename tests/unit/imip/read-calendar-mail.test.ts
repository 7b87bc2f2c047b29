import {readdirSync, readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {
	composeInviteMail,
	maxCalendarParts,
	maxForwardDepth,
	maxMailBytes,
	maxMimeDepth,
	readCalendarMail,
	type CalendarMail,
	type ItipMethod,
	type RawMail,
} from '../../../lib/imip/index.ts';
import {base64, calendar, entity, firstUid, fixturePath, message, multipart} from './mail-builders.ts';

const samplesDirectory = fixturePath('samples');

function sample(name: string): Uint8Array {
	return readFileSync(fixturePath('samples', name));
}

function codes(mail: CalendarMail): string[] {
	return mail.problems.map(problem => problem.code);
}

/** What every returned calendar text must look like, whatever came in. */
function expectNormalised(text: string): void {
	expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
	expect(text).not.toContain('\r\n\t');
	expect(text).toMatch(/^(?:\r\n)*BEGIN:VCALENDAR\r\n/);
	expect(text).toMatch(/[^\r\n]\r\n$/);
}

/**
 * Expected results for every .eml sample, from reading each file (its MIME tree, Content-Type parameters and
 * iCalendar body): METHOD, the first UID, how many distinct calendars it holds, their type and file name,
 * and the problems a careful reader should note.
 */
const emlSamples = [
	{file: 'apple-REQUEST-recurring-nonmultipart.eml', method: 'REQUEST', uid: 'dbdb8baeedacae836230e3436fd-5e83dd24cf92', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	{file: 'apple-style-REPLY-multi-vevent-recurrence-id-cyrus.eml', method: 'REPLY', uid: '6de280c9-edff-4019-8ebd-cfebc73f8201', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	{file: 'apple-style-REPLY-no-organizer-cyrus.eml', method: 'REPLY', uid: '6de280c9-edff-4019-8ebd-cfebc73f8201', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	{file: 'apple-style-REPLY-partycrasher-cyrus.eml', method: 'REPLY', uid: '6de280c9-edff-4019-8ebd-cfebc73f8201', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	// Only a winmail.dat whose TNEF message class is IPM.Microsoft Schedule.MtgRespP (an acceptance).
	{file: 'exchange-REPLY-tnef-winmail-zugesagt.eml', method: null, uid: null, parts: 0, contentType: null, filename: null, problems: ['tnef']},
	{file: 'fastmail-REPLY-single-instance-recurrence-id.eml', method: 'REPLY', uid: '09b59913-30b2-4f90-982a-7ce6e2a56655', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	{file: 'fastmail-REPLY-two-instances-recurrence-id.eml', method: 'REPLY', uid: '09b59913-30b2-4f90-982a-7ce6e2a56655', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	// The outer multipart/mixed is never closed, and the QP calendar has hand-edited "CN=Receiver" and "EMAIL=other@…".
	{file: 'fastmail-style-CANCEL-single.eml', method: 'CANCEL', uid: '02e79b96', parts: 1, contentType: 'text/calendar', filename: null, problems: ['unterminated-multipart', 'bad-quoted-printable']},
	// text/calendar (QP) and invite.ics (base64) hold the same calendar: counted once.
	{file: 'google-REQUEST-2024-full-headers-dkim.eml', method: 'REQUEST', uid: '1utaf3eftt1agbnisfcc3a5ps0@google.com', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	{file: 'google-REQUEST-meet-invite-qp.eml', method: 'REQUEST', uid: '65m17hsdolmotv3kvmrtg40ont@google.com', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	{file: 'google-REQUEST-nextcloudmail-fixture.eml', method: 'REQUEST', uid: '69d4c40b4a274636bf23517938df9673@example.org', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	// The trimmed test fixture's invite.ics lists one more attendee than its text/calendar part: same event, different text.
	{file: 'google-REQUEST-pykolab-multipart.eml', method: 'REQUEST', uid: '0BE2F640-5814-47C9-ABAE-E7E959204E76', parts: 1, contentType: 'text/calendar', filename: null, problems: ['duplicate-differs']},
	{file: 'google-style-CANCEL-recurring-missing-dtstart.eml', method: 'CANCEL', uid: '02e79b96', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	{file: 'google-style-REQUEST-recurrence-exception.eml', method: 'REQUEST', uid: '02e79b96', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	{file: 'icloud-REQUEST-raw-email-french.eml', method: 'REQUEST', uid: '65BEB44C-9B9F-4DE3-BA5F-8153629CA077', parts: 1, contentType: 'text/calendar', filename: 'iCal-20150315-205933.ics', problems: []},
	{file: 'outlook-REQUEST-teams-meeting.eml', method: 'REQUEST', uid: '056000008200E00074C5B7101A82E008000000001AF84C64CBC8D601000000000000000010000000403B5AC10A0EB444A947D2B499A4B98C', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	{file: 'outlook-REQUEST-testaus-base64.eml', method: 'REQUEST', uid: '030000008200E00074C5B7101A82E0080000000060B608D090DDD7010000000000000000100000004BE0CFFA54BCF64E956E34143362C3C0', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	// The UID is tab-folded in the middle.
	{file: 'outlook16-REQUEST-singlepart-xmsolk.eml', method: 'REQUEST', uid: '040000008200E00074C5B7101A82E008000000003080B2796B37D9010000000000000000100000001236CD1CD93CA9449C6FF1AC4DEAC44E', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	{file: 'outlookcom-REQUEST-base64-lf.eml', method: 'REQUEST', uid: '1F0BD3F6FEFC421AAA5BE992D6992B6A', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	// No method= parameter: METHOD comes from the body.
	{file: 'protonbridge-REQUEST-no-method-param.eml', method: 'REQUEST', uid: '69d4c40b4a274636bf23517938df9673@example.org', parts: 1, contentType: 'text/calendar', filename: null, problems: []},
	{file: 'roundcube-REQUEST-application-ics-qp.eml', method: 'REQUEST', uid: '626421779C777FBE9C9B85A80D04DDFA-A4BF5BBB9FEAA271', parts: 1, contentType: 'application/ics', filename: 'event.ics', problems: []},
] as const;

/** The bare .ics samples, by reading each: the first METHOD and UID, and whether the file holds several METHODs. */
const icsSamples = [
	{file: 'apple-iphone-REQUEST-via-exchange.ics', method: 'REQUEST', uid: '091BD1D08D29478193C4AD1C0E60965400000000000000000000000000000000', problems: []},
	{file: 'exchange-REQUEST-invite-w-rsvps.ics', method: 'REQUEST', uid: '040000008200E00074C5B7101A82E00800000000F9125A30B06BD0010000000000000000100000009D791C7548BFD144BFA54F14213CAD25', problems: []},
	{file: 'google-CANCEL.ics', method: 'CANCEL', uid: 'c74p2nmutcd0kt69ku7rs8vu2g@google.com', problems: []},
	{file: 'google-REPLY-declined.ics', method: 'REPLY', uid: 'cccc@nylas.com', problems: []},
	{file: 'google-REPLY-tentative-xmicrosoft-cdo.ics', method: 'REPLY', uid: 'cccc@nylas.com', problems: []},
	{file: 'google-REPLY-unknown-uid.ics', method: 'REPLY', uid: '234252cccc@google.com', problems: []},
	{file: 'icloud-CANCEL.ics', method: 'CANCEL', uid: '5919D444-7C99-4687-A526-FC5D10091318', problems: []},
	{file: 'icloud-REQUEST-multiple-vevents.ics', method: 'REQUEST', uid: '8153F823-B9F1-4BE0-ADFB-5FEEB01C08A9', problems: []},
	{file: 'kde-korganizer-REQUEST-delegated-attach.ics', method: 'REQUEST', uid: 'ac6b0aee-2519-4e5c-9a25-48c57064c9f0', problems: []},
	// 15 VCALENDARs in one stream: REQUESTs, REPLYs and more.
	{file: 'libical-incoming-itip-sequence.ics', method: 'REQUEST', uid: 'calsrv.example.com-873970198738776@example.com', problems: ['several-methods']},
	{file: 'sabre-REPLY-broker-generated-template.ics', method: 'REPLY', uid: 'foobar', problems: []},
	// 53 VCALENDARs, starting with a PUBLISH.
	{file: 'spec-rfc2446-all-methods-COUNTER-DECLINECOUNTER-REFRESH.ics', method: 'PUBLISH', uid: '0981234-1234234-23@example.com', problems: ['several-methods']},
] as const;

describe('readCalendarMail: every sample', () => {
	test('the tables cover every file in the samples folder', () => {
		const covered = [...emlSamples, ...icsSamples].map(row => row.file).sort();
		const tnef = ['outlook-REQUEST-tnef-meetingrequest.b64.txt', 'outlook-REQUEST-tnef-winmail2.dat'];
		expect([...covered, ...tnef].sort()).toEqual(readdirSync(samplesDirectory).sort());
	});

	test.each(emlSamples)('$file: $method $uid, $parts part(s), problems $problems', async row => {
		const mail = await readCalendarMail(sample(row.file));
		expect(codes(mail)).toEqual(row.problems);
		expect(mail.parts).toHaveLength(row.parts);
		for (const part of mail.parts) {
			expect(part.method).toBe(row.method);
			expect(firstUid(part.text)).toBe(row.uid);
			expect(part.contentType).toBe(row.contentType);
			expect(part.filename).toBe(row.filename);
			expectNormalised(part.text);
		}
	});

	test.each(icsSamples)('$file, attached as application/octet-stream: $method $uid', async row => {
		const bytes = sample(row.file);
		const raw = message(multipart('mixed', 'b1', [
			entity(['Content-Type: text/plain; charset=us-ascii'], 'The calendar is attached.'),
			entity([`Content-Type: application/octet-stream; name="${row.file}"`, `Content-Disposition: attachment; filename="${row.file}"`, 'Content-Transfer-Encoding: base64'], base64(bytes)),
		]));
		const mail = await readCalendarMail(raw);
		expect(codes(mail)).toEqual(row.problems);
		expect(mail.parts).toHaveLength(1);
		expect(mail.parts[0]).toMatchObject({method: row.method, contentType: 'application/octet-stream', filename: row.file});
		expect(firstUid(mail.parts[0]!.text)).toBe(row.uid);
		expectNormalised(mail.parts[0]!.text);
		// Nothing but line ends changed.
		expect(mail.parts[0]!.text.replaceAll('\r\n', '\n').trim()).toBe(new TextDecoder().decode(bytes).replaceAll('\r\n', '\n').trim());
	});

	test.each(icsSamples.filter(row => row.problems.length === 0))('$file, sent by composeInviteMail: read back unchanged', async row => {
		const text = new TextDecoder().decode(sample(row.file)).replaceAll(/\r?\n/g, '\r\n');
		const raw = composeInviteMail({
			from: {email: 'ann@example.com'}, to: [{email: 'bob@example.org'}], subject: row.file, text: 'See the calendar.', calendar: text, method: row.method as ItipMethod,
		});
		const mail = await readCalendarMail(raw);
		expect(mail.problems).toEqual([]);
		expect(mail.parts).toEqual([{method: row.method, contentType: 'text/calendar', filename: null, text}]);
	});

	test.each([
		{what: 'winmail2.dat', bytes: base64(sample('outlook-REQUEST-tnef-winmail2.dat'))},
		{what: 'the TNEF meeting request (already base64)', bytes: new TextDecoder().decode(sample('outlook-REQUEST-tnef-meetingrequest.b64.txt'))},
	])('an Outlook TNEF meeting request ($what) is a problem, not a silent nothing', async ({bytes}) => {
		const raw = message(multipart('mixed', 'b1', [
			entity(['Content-Type: text/plain'], 'Meeting request'),
			entity(['Content-Type: application/ms-tnef; name="winmail.dat"', 'Content-Disposition: attachment; filename="winmail.dat"', 'Content-Transfer-Encoding: base64'], bytes),
		]));
		const mail = await readCalendarMail(raw);
		expect(mail.parts).toEqual([]);
		expect(mail.problems).toEqual([{code: 'tnef', message: 'Outlook TNEF invitation: not readable yet'}]);
	});

	test('the Exchange TNEF-only reply is reported in the words of the issue', async () => {
		const mail = await readCalendarMail(sample('exchange-REPLY-tnef-winmail-zugesagt.eml'));
		expect(mail.problems).toEqual([{code: 'tnef', message: 'Outlook TNEF reply: not readable yet'}]);
		expect(mail.subject).toBe('Zugesagt: Infoveranstaltung VDI/VDE Jena "Digitalisierung Medizintechnik"');
	});

	test('headers: From, Sender, Reply-To, To, Subject, Message-ID, Date and Authentication-Results', async () => {
		const google = await readCalendarMail(sample('google-REQUEST-2024-full-headers-dkim.eml'));
		expect(google).toMatchObject({
			from: {name: 'Andris Reinman', email: 'andris@postalsys.com'},
			to: [{name: '', email: 'andris@ethereal.email'}],
			messageId: '<calendar-7791cb16-a4f3-43ae-a9a0-ed4003535ae7@google.com>',
			date: '2024-04-11T06:19:44.000Z',
		});
		expect(google.subject).toMatch(/^Invitation: Test event ⏰ @ Thu Apr 11, 2024/);
		expect(google.authenticationResults).toHaveLength(1);
		expect(google.authenticationResults[0]).toMatch(/dkim=pass/);

		const icloud = await readCalendarMail(sample('icloud-REQUEST-raw-email-french.eml'));
		expect(icloud.replyTo).toHaveLength(1);
		expect(icloud.replyTo[0]?.email).toMatch(/@imip\.me\.com$/);
		expect(icloud.subject).toMatch(/^Karim Hamidou vous a invité à «\s*Nilas test drive\s*»$/u);
	});

	test('LF-only lines (Outlook.com) and tab folds (Outlook 16) come back as CRLF with space folds', async () => {
		const outlookCom = await readCalendarMail(sample('outlookcom-REQUEST-base64-lf.eml'));
		expectNormalised(outlookCom.parts[0]!.text);
		const outlook16Raw = new TextDecoder().decode(sample('outlook16-REQUEST-singlepart-xmsolk.eml'));
		expect(outlook16Raw).toContain('\n\t0100000001236CD1CD93CA9449C6FF1AC4DEAC44E');
		const outlook16 = await readCalendarMail(outlook16Raw);
		expect(outlook16.parts[0]!.text).toContain('\r\n 0100000001236CD1CD93CA9449C6FF1AC4DEAC44E\r\n');
	});
});

const inviteCalendar = calendar('REQUEST', 'rule@example.com');

function calendarPart(headers: readonly string[], body: string = inviteCalendar): string {
	return entity(headers, body);
}

describe('readCalendarMail: where calendars hide', () => {
	test.each([
		{what: 'text/calendar at the top level', raw: message(calendarPart(['Content-Type: text/calendar; method=REQUEST; charset=UTF-8'])), contentType: 'text/calendar', filename: null},
		{what: 'application/ics with method=', raw: message(calendarPart(['Content-Type: application/ics; method=REQUEST'])), contentType: 'application/ics', filename: null},
		{
			what: 'application/octet-stream named *.ics',
			raw: message(multipart('mixed', 'b', [entity(['Content-Type: text/plain'], 'hi'), calendarPart(['Content-Type: application/octet-stream; name="Meeting.ICS"', 'Content-Transfer-Encoding: base64'], base64(inviteCalendar))])),
			contentType: 'application/octet-stream',
			filename: 'Meeting.ICS',
		},
		{
			what: 'text/plain attachment named invite.ics',
			raw: message(multipart('mixed', 'b', [entity(['Content-Type: text/plain'], 'hi'), calendarPart(['Content-Type: text/plain; charset=utf-8', 'Content-Disposition: attachment; filename=invite.ics'])])),
			contentType: 'text/plain',
			filename: 'invite.ics',
		},
		{
			what: 'unnamed application/octet-stream starting with BEGIN:VCALENDAR',
			raw: message(multipart('mixed', 'b', [entity(['Content-Type: text/plain'], 'hi'), calendarPart(['Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64'], base64(inviteCalendar))])),
			contentType: 'application/octet-stream',
			filename: null,
		},
		{
			what: 'deep in nested multiparts',
			raw: message(multipart('mixed', 'b1', [multipart('related', 'b2', [multipart('alternative', 'b3', [entity(['Content-Type: text/plain'], 'hi'), calendarPart(['Content-Type: text/calendar; method=REQUEST'])])])])),
			contentType: 'text/calendar',
			filename: null,
		},
		{
			what: 'inside a forwarded message/rfc822 (inline)',
			raw: message(multipart('mixed', 'outer', [entity(['Content-Type: text/plain'], 'FYI'), entity(['Content-Type: message/rfc822'], message(multipart('alternative', 'inner', [entity(['Content-Type: text/plain'], 'Invitation'), calendarPart(['Content-Type: text/calendar; method=REQUEST', 'Content-Transfer-Encoding: quoted-printable'])])))])),
			contentType: 'text/calendar',
			filename: null,
		},
		{
			what: 'inside a forwarded message/rfc822 (attachment, base64)',
			raw: message(multipart('mixed', 'outer', [entity(['Content-Type: text/plain'], 'FYI'), entity(['Content-Type: message/rfc822; name="fwd.eml"', 'Content-Disposition: attachment; filename="fwd.eml"', 'Content-Transfer-Encoding: base64'], base64(message(calendarPart(['Content-Type: text/calendar; method=REQUEST'])))), ])),
			contentType: 'text/calendar',
			filename: null,
		},
		{
			what: 'inside a message/rfc822 inside a message/rfc822',
			raw: message(entity(['Content-Type: message/rfc822'], message(entity(['Content-Type: message/rfc822'], message(calendarPart(['Content-Type: text/calendar; method=REQUEST'])))))),
			contentType: 'text/calendar',
			filename: null,
		},
	])('$what', async ({raw, contentType, filename}) => {
		const mail = await readCalendarMail(raw);
		expect(mail.problems).toEqual([]);
		expect(mail.parts).toEqual([{method: 'REQUEST', contentType, filename, text: inviteCalendar}]);
	});

	test.each([
		{what: 'octet-stream that is not a calendar', part: entity(['Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64'], base64('%PDF-1.4 not a calendar'))},
		{what: 'an inline text/plain body mentioning BEGIN:VCALENDAR', part: entity(['Content-Type: text/plain'], inviteCalendar)},
		{what: 'an ordinary Outlook winmail.dat (IPM.Note)', part: entity(['Content-Type: application/ms-tnef; name="winmail.dat"', 'Content-Transfer-Encoding: base64'], base64('\u0078\u009F\u003E\u0022 IPM.Note rich text'))},
	])('not a calendar: $what', async ({part}) => {
		const mail = await readCalendarMail(message(multipart('mixed', 'b', [entity(['Content-Type: text/plain'], 'hi'), part])));
		expect(mail.parts).toEqual([]);
		expect(mail.problems).toEqual([]);
	});
});

describe('readCalendarMail: encodings, charsets, METHOD, duplicates', () => {
	const latin = calendar('REQUEST', 'latin@example.com', ['LOCATION:Café Übersee']);

	test.each([
		{what: 'quoted-printable with soft breaks, ISO-8859-1', headers: ['Content-Type: text/calendar; charset=ISO-8859-1; method=REQUEST', 'Content-Transfer-Encoding: quoted-printable'], body: latin.replace('Café Übersee', 'Caf=E9 =\r\n=DCbersee')},
		{what: 'base64, windows-1252', headers: ['Content-Type: text/calendar; charset=windows-1252; method=REQUEST', 'Content-Transfer-Encoding: base64'], body: Buffer.from(latin, 'latin1').toString('base64')},
		{what: '8bit UTF-8', headers: ['Content-Type: text/calendar; charset=utf-8; method=REQUEST', 'Content-Transfer-Encoding: 8bit'], body: latin},
		{what: '7bit with LF-only lines and tab folds', headers: ['Content-Type: text/calendar; method=REQUEST'], body: latin.replace('LOCATION:Café Übersee', 'LOCATION:Café\r\n\tÜbersee').replaceAll('\r\n', '\n')},
		{what: 'a UTF-8 BOM', headers: ['Content-Type: text/calendar; method=REQUEST; charset=utf-8'], body: `\uFEFF${latin}`},
	])('$what', async ({headers, body}) => {
		const mail = await readCalendarMail(message(entity(headers, body)));
		expect(mail.problems).toEqual([]);
		expect(mail.parts).toHaveLength(1);
		expect(mail.parts[0]!.text.replace('Café\r\n Übersee', 'Café Übersee')).toBe(latin);
	});

	test('a *.ics attachment that is not UTF-8 is read as Windows-1252, and said so', async () => {
		const raw = message(multipart('mixed', 'b', [entity(['Content-Type: text/plain'], 'hi'), entity(['Content-Type: application/octet-stream; name=x.ics', 'Content-Transfer-Encoding: base64'], Buffer.from(latin, 'latin1').toString('base64'))]));
		const mail = await readCalendarMail(raw);
		expect(codes(mail)).toEqual(['charset']);
		expect(mail.parts[0]?.text).toBe(latin);
	});

	test.each([
		{what: 'parameter only', type: 'text/calendar; method=REPLY', body: calendar(null, 'm@example.com'), method: 'REPLY', problems: []},
		{what: 'body only (Proton Bridge)', type: 'text/calendar', body: calendar('CANCEL', 'm@example.com'), method: 'CANCEL', problems: []},
		{what: 'both, agreeing, different case', type: 'text/calendar; method=request', body: calendar('REQUEST', 'm@example.com'), method: 'REQUEST', problems: []},
		{what: 'both, disagreeing: the body wins', type: 'text/calendar; method=REQUEST', body: calendar('CANCEL', 'm@example.com'), method: 'CANCEL', problems: ['method-mismatch']},
		{what: 'neither', type: 'text/calendar', body: calendar(null, 'm@example.com'), method: null, problems: ['no-method']},
	])('METHOD from $what', async ({type, body, method, problems}) => {
		const mail = await readCalendarMail(message(entity([`Content-Type: ${type}`], body)));
		expect(codes(mail)).toEqual(problems);
		expect(mail.parts.map(part => part.method)).toEqual([method]);
	});

	test('the same calendar inline and attached, in different encodings, counts once', async () => {
		const raw = message(multipart('mixed', 'b1', [
			multipart('alternative', 'b2', [entity(['Content-Type: text/plain'], 'hi'), entity(['Content-Type: text/calendar; method=REQUEST', 'Content-Transfer-Encoding: quoted-printable'], inviteCalendar)]),
			entity(['Content-Type: application/ics; name=invite.ics', 'Content-Disposition: attachment; filename=invite.ics', 'Content-Transfer-Encoding: base64'], base64(inviteCalendar)),
			entity(['Content-Type: application/octet-stream; name=copy.ics', 'Content-Transfer-Encoding: base64'], base64(inviteCalendar.replaceAll('\r\n', '\n'))),
		]));
		const mail = await readCalendarMail(raw);
		expect(mail.problems).toEqual([]);
		expect(mail.parts).toEqual([{method: 'REQUEST', contentType: 'text/calendar', filename: null, text: inviteCalendar}]);
	});

	test('two different calendars in one mail are both kept, in document order', async () => {
		const other = calendar('REQUEST', 'other@example.com');
		const raw = message(multipart('mixed', 'b', [entity(['Content-Type: text/calendar; method=REQUEST'], inviteCalendar), entity(['Content-Type: text/calendar; method=REQUEST'], other)]));
		const mail = await readCalendarMail(raw);
		expect(mail.parts.map(part => firstUid(part.text))).toEqual(['rule@example.com', 'other@example.com']);
	});

	test(`more than ${maxCalendarParts} calendars: the rest are dropped, and that is said once`, async () => {
		const parts = Array.from({length: maxCalendarParts + 3}, (_, index) => entity(['Content-Type: text/calendar; method=REQUEST'], calendar('REQUEST', `many-${index}@example.com`)));
		const mail = await readCalendarMail(message(multipart('mixed', 'b', parts)));
		expect(mail.parts).toHaveLength(maxCalendarParts);
		expect(codes(mail)).toEqual(['too-many-calendars']);
	});
});

describe('readCalendarMail: malformed MIME gives problems, never exceptions', () => {
	const invite = entity(['Content-Type: text/calendar; method=REQUEST'], inviteCalendar);
	const tenMegabytes = 10 * 1024 * 1024;
	// A calendar whose length is a multiple of 3, so its base64 has no padding and one more character is a cut group.
	const unpaddedBase64 = [0, 1, 2].map(length => base64(calendar('REQUEST', 'cut@example.com', [`X-PAD:${'x'.repeat(length)}`]))).find(encoded => !encoded.includes('='))!;
	const hugeCalendar = calendar('REQUEST', 'huge@example.com', [`DESCRIPTION:${'x'.repeat(tenMegabytes)}`]);
	const nestedMultiparts = (depth: number): string => {
		let body = invite;
		for (let level = depth; level > 0; level--) {
			body = multipart('mixed', `level-${level}`, [body]);
		}

		return message(body);
	};

	const nestedMessages = (depth: number): string => {
		let body = message(invite);
		for (let level = 0; level < depth; level++) {
			body = message(entity(['Content-Type: message/rfc822'], body));
		}

		return body;
	};

	test.each<{what: string; raw: () => RawMail; problems: string[]; parts: number}>([
		{what: 'an unterminated boundary', raw: () => message(multipart('mixed', 'b', [entity(['Content-Type: text/plain'], 'hi'), invite], {close: false})), problems: ['unterminated-multipart'], parts: 1},
		{what: 'an unterminated inner boundary', raw: () => message(multipart('mixed', 'b1', [multipart('alternative', 'b2', [invite], {close: false})])), problems: ['unterminated-multipart'], parts: 1},
		{what: 'a multipart without boundary parameter', raw: () => message(entity(['Content-Type: multipart/mixed'], `--x\r\n${invite}\r\n--x--`)), problems: ['missing-boundary'], parts: 0},
		{what: 'a multipart whose boundary never occurs', raw: () => message(entity(['Content-Type: multipart/mixed; boundary="nowhere"'], invite)), problems: ['empty-multipart'], parts: 0},
		// postal-mime skips the stray characters and still decodes the calendar; the problem says it was damaged.
		{what: 'bad base64 (characters outside the alphabet)', raw: () => message(entity(['Content-Type: text/calendar; method=REQUEST', 'Content-Transfer-Encoding: base64'], `${base64(inviteCalendar).slice(0, 40)}!!*@@#\r\n${base64(inviteCalendar).slice(40)}`)), problems: ['bad-base64'], parts: 1},
		{what: 'base64 cut one character into a group', raw: () => message(entity(['Content-Type: text/calendar; method=REQUEST', 'Content-Transfer-Encoding: base64'], `${unpaddedBase64}\r\nQ`)), problems: ['bad-base64'], parts: 1},
		{what: 'a 10 MB calendar part', raw: () => message(entity(['Content-Type: text/calendar; method=REQUEST', 'Content-Transfer-Encoding: base64'], base64(hugeCalendar))), problems: ['calendar-too-large'], parts: 0},
		{what: 'a 10 MB non-calendar part next to the invitation', raw: () => message(multipart('mixed', 'b', [invite, entity(['Content-Type: application/pdf; name=agenda.pdf', 'Content-Transfer-Encoding: base64'], base64(new Uint8Array(tenMegabytes)))])), problems: [], parts: 1},
		{what: `a mail over ${maxMailBytes} bytes`, raw: () => new Uint8Array(maxMailBytes + 1).fill(0x41), problems: ['too-large'], parts: 0},
		{what: '50 levels of multipart nesting', raw: () => nestedMultiparts(50), problems: ['too-deep'], parts: 0},
		{what: `${maxMimeDepth - 1} levels of multipart nesting (within the limit)`, raw: () => nestedMultiparts(maxMimeDepth - 1), problems: [], parts: 1},
		{what: '50 levels of forwarded messages', raw: () => nestedMessages(50), problems: ['too-deep'], parts: 0},
		{what: `${maxForwardDepth} levels of forwarded messages (within the limit)`, raw: () => nestedMessages(maxForwardDepth), problems: [], parts: 1},
		{what: '3 MB of headers (over postal-mime\'s 2 MB)', raw: () => `X-Junk: ${'a'.repeat(3 * 1024 * 1024)}\r\n${message(invite)}`, problems: ['unreadable'], parts: 0},
		{what: 'a calendar part without VCALENDAR', raw: () => message(entity(['Content-Type: text/calendar; method=REQUEST'], 'Hello, this is not iCalendar')), problems: ['not-icalendar'], parts: 0},
		{what: 'a calendar cut off before END:VCALENDAR', raw: () => message(entity(['Content-Type: text/calendar; method=REQUEST'], inviteCalendar.slice(0, 120))), problems: ['truncated-calendar'], parts: 1},
		{what: 'no header/body separator at all', raw: () => 'just some text\r\nwithout any structure', problems: [], parts: 0},
		{what: 'an empty mail', raw: () => '', problems: [], parts: 0},
		{what: 'a number instead of a mail', raw: () => 42 as unknown as RawMail, problems: ['unreadable'], parts: 0},
		{what: 'binary junk', raw: () => Uint8Array.from({length: 4096}, (_, index) => (index * 131) % 256), problems: [], parts: 0},
	])('$what', async ({raw, problems, parts}) => {
		const mail = await readCalendarMail(raw());
		expect(codes(mail)).toEqual(problems);
		expect(mail.parts).toHaveLength(parts);
		for (const problem of mail.problems) {
			expect(problem.message.length).toBeGreaterThan(10);
		}
	});

	test('a message too deep to read still shows who sent it', async () => {
		const mail = await readCalendarMail(nestedMultiparts(50));
		expect(mail.from).toEqual({name: 'Ann Organizer', email: 'ann@example.com'});
		expect(mail.problems[0]?.message).toMatch(new RegExp(`deeper than ${maxMimeDepth} levels`));
	});
});
