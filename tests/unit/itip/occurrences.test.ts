/** The popup's view of a series: the starts still to come (EXDATE honoured) and answers for single occurrences. */
import {describe, expect, test} from 'vitest';
import {applyReply, buildCancel, buildInvite} from '../../../lib/itip/index.ts';
import {occurrenceAnswers, upcomingStarts} from '../../../lib/itip/occurrences.ts';

const weekly = buildInvite({
	uid: 'series@example.com', organizer: {email: 'org@example.com', name: 'Org'}, attendees: [{email: 'sam@example.org', name: 'Sam'}, {email: 'ann@example.org'}],
	summary: 'Weekly', start: '2026-12-01T10:00', end: '2026-12-01T11:00', timeZone: 'Europe/Berlin', repeat: {freq: 'weekly', count: 4},
	now: new Date('2026-11-01T09:00:00Z'),
}).caldav;

describe('upcomingStarts', () => {
	test('from a day inside the series: the rest, in UTC, a cancelled one left out, none past the COUNT', () => {
		const cancelled = buildCancel(weekly, {recurrenceId: '2026-12-15T10:00', now: new Date('2026-11-02T00:00:00Z')}).caldav;
		expect(upcomingStarts(weekly, new Date('2026-12-02T00:00:00Z'), 10)).toEqual(['2026-12-08T09:00:00Z', '2026-12-15T09:00:00Z', '2026-12-22T09:00:00Z']);
		expect(upcomingStarts(cancelled, new Date('2026-12-02T00:00:00Z'), 10)).toEqual(['2026-12-08T09:00:00Z', '2026-12-22T09:00:00Z']);
		expect(upcomingStarts(weekly, new Date('2026-11-01T00:00:00Z'), 2)).toEqual(['2026-12-01T09:00:00Z', '2026-12-08T09:00:00Z']);
		expect(upcomingStarts(weekly, new Date('2027-01-01T00:00:00Z'), 10)).toEqual([]);
	});

	test('a one-off event has no further starts', () => {
		const single = buildInvite({organizer: {email: 'org@example.com', name: 'Org'}, attendees: [{email: 'sam@example.org'}], summary: 'x', start: '2026-12-01T10:00', end: '2026-12-01T11:00', timeZone: 'UTC'}).caldav;
		expect(upcomingStarts(single, new Date('2026-01-01T00:00:00Z'), 5)).toEqual([]);
	});
});

describe('occurrenceAnswers', () => {
	test('"Sam declined 15 Dec": only answers that differ from the series\'', () => {
		const reply = (partstat: string, recurrenceId?: string): string => [
			'BEGIN:VCALENDAR', 'METHOD:REPLY', 'BEGIN:VEVENT', 'UID:series@example.com', 'DTSTAMP:20261102T100000Z', 'SEQUENCE:0',
			...(recurrenceId ? [`RECURRENCE-ID:${recurrenceId}`] : []), `ATTENDEE;CN=Sam;PARTSTAT=${partstat}:mailto:sam@example.org`, 'END:VEVENT', 'END:VCALENDAR', '',
		].join('\r\n');
		const context = {senders: ['sam@example.org'], me: ['org@example.com']};
		const accepted = applyReply(weekly, reply('ACCEPTED'), context).event;
		const declined = applyReply(accepted, reply('DECLINED', '20261215T090000Z'), context).event;
		expect(occurrenceAnswers(weekly)).toEqual([]);
		expect(occurrenceAnswers(declined)).toEqual([{recurrenceId: '2026-12-15T09:00:00Z', email: 'sam@example.org', name: 'Sam', partstat: 'DECLINED'}]);
	});
});
