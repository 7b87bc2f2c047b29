import {describe, expect, test} from 'vitest';
import {
	formatRepeat,
	formatWhen,
	InvalidMailFieldError,
	inviteHtml,
	inviteSubject,
	inviteText,
	type MailEvent,
} from '../../../lib/imip/index.ts';

const event: MailEvent = {
	organizer: {email: 'ann@example.com', name: 'Ann Organizer'},
	attendees: [{email: 'bob@example.org', name: 'Bob'}, {email: 'zoe@example.org', name: 'Zoë', optional: true}, {email: 'carl@example.net'}],
	summary: 'Project sync',
	// 1 December 2026 is a Tuesday.
	start: '2026-12-01T16:00',
	end: '2026-12-01T17:00',
	timeZone: 'Europe/Berlin',
	location: 'Room 4',
	description: 'Agenda:\n- status\n- plans',
};

describe('inviteSubject', () => {
	test.each([
		{kind: 'invitation', expected: 'Invitation: Project sync @ Tue 1 Dec 2026 16:00 – 17:00 (CET)'},
		{kind: 'update', expected: 'Updated invitation: Project sync @ Tue 1 Dec 2026 16:00 – 17:00 (CET)'},
		{kind: 'cancellation', expected: 'Cancelled: Project sync @ Tue 1 Dec 2026 16:00 – 17:00 (CET)'},
	] as const)('$kind → $expected', ({kind, expected}) => {
		expect(inviteSubject(kind, event)).toBe(expected);
	});

	test('a summary with line breaks becomes one line', () => {
		expect(inviteSubject('invitation', {...event, summary: 'Project\r\nsync\t '})).toBe('Invitation: Project sync @ Tue 1 Dec 2026 16:00 – 17:00 (CET)');
	});
});

describe('formatWhen: in the organizer\'s zone, zone named', () => {
	test.each([
		{start: '2026-07-01T09:30', end: '2026-07-01T10:00', timeZone: 'Europe/Berlin', expected: 'Wed 1 Jul 2026 09:30 – 10:00 (CEST)'},
		{start: '2026-12-01T22:00', end: '2026-12-02T01:00', timeZone: 'Europe/Berlin', expected: 'Tue 1 Dec 2026 22:00 – Wed 2 Dec 2026 01:00 (CET)'},
		{start: '2026-12-01T09:00', end: '2026-12-01T10:00', timeZone: 'America/New_York', expected: 'Tue 1 Dec 2026 09:00 – 10:00 (EST)'},
		{start: '2026-12-01T09:00', end: '2026-12-01T10:00', timeZone: 'Europe/London', expected: 'Tue 1 Dec 2026 09:00 – 10:00 (GMT)'},
		{start: '2026-07-01T09:00', end: '2026-07-01T10:00', timeZone: 'Europe/London', expected: 'Wed 1 Jul 2026 09:00 – 10:00 (BST)'},
		{start: '2026-12-01T09:00', end: '2026-12-01T10:00', timeZone: 'UTC', expected: 'Tue 1 Dec 2026 09:00 – 10:00 (UTC)'},
		// Clocks go forward at 02:00 on 29 March 2026 in Germany: both zones are named.
		{start: '2026-03-29T01:00', end: '2026-03-29T04:00', timeZone: 'Europe/Berlin', expected: 'Sun 29 Mar 2026 01:00 (CET) – 04:00 (CEST)'},
		{start: '2026-12-24', end: '2026-12-25', timeZone: 'Europe/Berlin', allDay: true, expected: 'Thu 24 Dec 2026 (all day)'},
		// DTEND is exclusive: 24 to 27 December means the 24th, 25th and 26th.
		{start: '2026-12-24', end: '2026-12-27', timeZone: 'Europe/Berlin', allDay: true, expected: 'Thu 24 Dec 2026 – Sat 26 Dec 2026 (all day)'},
	])('$start – $end $timeZone → $expected', ({expected, ...when}) => {
		expect(formatWhen(when)).toBe(expected);
	});

	test.each([
		{when: {start: '1 Dec 2026', end: '2026-12-01T17:00', timeZone: 'Europe/Berlin'}, field: 'start'},
		{when: {start: '2026-12-01T16:00', end: '17:00', timeZone: 'Europe/Berlin'}, field: 'end'},
		{when: {start: '2026-12-01T16:00', end: '2026-12-01T17:00', timeZone: 'Mars/Olympus_Mons'}, field: 'timeZone'},
	])('an unreadable $field is a named error', ({when, field}) => {
		expect(() => formatWhen(when)).toThrow(InvalidMailFieldError);
		expect(() => formatWhen(when)).toThrow(expect.objectContaining({field}));
	});
});

describe('formatRepeat', () => {
	test.each<{repeat: NonNullable<MailEvent['repeat']>; expected: string}>([
		{repeat: {freq: 'daily'}, expected: 'every day'},
		{repeat: {freq: 'weekly', byDay: ['MO', 'WE', 'FR'], count: 10}, expected: 'every week on Monday, Wednesday and Friday, 10 times'},
		{repeat: {freq: 'monthly', interval: 2, until: '2027-06-30'}, expected: 'every 2 months, until Wed 30 Jun 2027'},
		{repeat: {freq: 'yearly', count: 1}, expected: 'every year, once'},
	])('$expected', ({repeat, expected}) => {
		expect(formatRepeat(repeat)).toBe(expected);
	});
});

describe('inviteText', () => {
	test('an invitation says what, when (zone named), where, who, and that the calendar buttons answer it', () => {
		expect(inviteText('invitation', {...event, repeat: {freq: 'weekly', byDay: ['TU'], count: 10}}).split('\r\n')).toEqual([
			'Ann Organizer <ann@example.com> invites you to: Project sync',
			'',
			'When:      Tue 1 Dec 2026 16:00 – 17:00 (CET), Europe/Berlin time',
			'Repeats:   every week on Tuesday, 10 times',
			'Where:     Room 4',
			'Organizer: Ann Organizer <ann@example.com>',
			'Invited:   Bob <bob@example.org>',
			'           Zoë <zoe@example.org> (optional)',
			'           carl@example.net',
			'',
			'Agenda:',
			'- status',
			'- plans',
			'',
			'Answer with your mail or calendar app, or reply to this message; your',
			'answer goes to Ann Organizer.',
			'',
		]);
	});

	test.each([
		{kind: 'update', first: 'This invitation has been updated: Project sync', closing: /Answer the updated invitation with your mail or calendar app, or reply to this message/},
		{kind: 'cancellation', first: 'This event has been cancelled: Project sync', closing: /offers to remove the event/},
	] as const)('$kind starts "$first"', ({kind, first, closing}) => {
		const text = inviteText(kind, event);
		expect(text.split('\r\n')[0]).toBe(first);
		expect(text.replaceAll('\r\n', ' ')).toMatch(closing);
	});

	test('without location or description those lines are left out; UTC is not named twice', () => {
		const {location: _location, ...withoutLocation} = event;
		const text = inviteText('invitation', {...withoutLocation, description: ' ', timeZone: 'UTC'});
		expect(text).not.toMatch(/Where:|Agenda/);
		expect(text).toContain('When:      Tue 1 Dec 2026 16:00 – 17:00 (UTC)\r\n');
	});
});

describe('inviteHtml', () => {
	test('has the same facts, with every value escaped', () => {
		const html = inviteHtml('invitation', {...event, summary: '<script>alert(1)</script>', location: 'Room "A" & B'});
		expect(html).not.toContain('<script>');
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).toContain('<td>Room &quot;A&quot; &amp; B</td>');
		expect(html).toContain('<td>Tue 1 Dec 2026 16:00 – 17:00 (CET), Europe/Berlin time</td>');
		expect(html).toContain('Bob &lt;bob@example.org&gt;<br>Zoë &lt;zoe@example.org&gt; (optional)');
	});
});
