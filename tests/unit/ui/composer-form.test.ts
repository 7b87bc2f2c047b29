import {describe, expect, test} from 'vitest';
import {
	formDuration, initialComposerForm, startsInPast, toInviteDraft, validateComposerForm, withDate, withDuration, withStartTime, type ComposerForm,
} from '../../../lib/ui/composer-form.ts';

const now = new Date('2025-06-02T08:40:00Z');

function form(overrides: Partial<ComposerForm> = {}): ComposerForm {
	return {
		...initialComposerForm({now, timeZone: 'Europe/Berlin', subject: 'Planning', recipients: [{email: 'alex@example.org', name: 'Alex'}]}),
		...overrides,
	};
}

describe('the composer form', () => {
	test('starts at the next half hour in the zone, for 30 minutes, with To/Cc and Subject, without the organizer', () => {
		const initial = initialComposerForm({
			now,
			timeZone: 'Europe/Berlin',
			subject: '  Planning ',
			description: 'Agenda',
			recipients: [{email: 'alex@example.org', name: 'Alex'}, {email: 'me@example.org'}, {email: 'sam@example.org'}],
			organizer: ['ME@example.org'],
		});
		expect(initial).toMatchObject({
			summary: 'Planning',
			date: '2025-06-02',
			startTime: '11:00',
			endTime: '11:30',
			allDay: false,
			endDate: '2025-06-02',
			timeZone: 'Europe/Berlin',
			description: 'Agenda',
			repeat: {freq: 'none', interval: 1, byDay: [], ends: 'never'},
			attendees: [{email: 'alex@example.org', name: 'Alex', optional: false}, {email: 'sam@example.org', optional: false}],
		});
	});

	test('moving the start keeps the length; a preset sets it', () => {
		const moved = withStartTime(form({startTime: '10:00', endTime: '10:45'}), '23:30');
		expect(moved).toMatchObject({startTime: '23:30', endTime: '00:15'});
		expect(formDuration(moved)).toBe(45);
		expect(withDuration(form({startTime: '09:00'}), 90)).toMatchObject({startTime: '09:00', endTime: '10:30'});
	});

	test('moving the first day keeps the number of days of an all-day event', () => {
		expect(withDate(form({allDay: true, date: '2025-06-02', endDate: '2025-06-04'}), '2025-06-30')).toMatchObject({date: '2025-06-30', endDate: '2025-07-02'});
	});

	test.each<[string, Partial<ComposerForm>, Record<string, RegExp>]>([
		['no title', {summary: '  '}, {summary: /title/}],
		['no attendees', {attendees: []}, {attendees: /at least one/}],
		['a wrong address', {attendees: [{email: 'alex@', optional: false}]}, {attendees: /alex@.*Fix or remove/}],
		// Issue 11, item 2: these passed the composer and buildInvite, then failed in mail composition after the CalDAV write.
		['a local part outside ASCII (needs SMTPUTF8, RFC 6531)', {attendees: [{email: 'jürgen@example.com', optional: false}]}, {attendees: /jürgen@example\.com.*cannot be sent to.*Fix or remove/}],
		['two dots in a row', {attendees: [{email: 'a..b@example.com', optional: false}]}, {attendees: /a\.\.b@example\.com.*not a complete.*Fix or remove/}],
		['no date', {date: ''}, {date: /day/}],
		['same start and end', {startTime: '10:00', endTime: '10:00'}, {endTime: /same as the start/}],
		['all day ending before it starts', {allDay: true, date: '2025-06-05', endDate: '2025-06-04'}, {endDate: /before the first/}],
		['no zone', {timeZone: ''}, {timeZone: /zone/}],
		['repeat count zero', {repeat: {freq: 'daily', interval: 1, byDay: [], ends: 'count', count: 0, until: ''}}, {repeat: /number of times/}],
		['repeat until before the start', {date: '2025-06-05', repeat: {freq: 'daily', interval: 1, byDay: [], ends: 'until', count: 1, until: '2025-06-01'}}, {repeat: /before the first day/}],
		['repeat interval zero', {repeat: {freq: 'weekly', interval: 0, byDay: [], ends: 'never', count: 1, until: ''}}, {repeat: /every 1 to/}],
	])('invalid: %s', (_name, overrides, expected) => {
		const errors = validateComposerForm(form(overrides));
		for (const [field, message] of Object.entries(expected)) {
			expect(errors[field as keyof typeof errors]).toMatch(message);
		}

		expect(toInviteDraft(form(overrides)).ok).toBe(false);
	});

	test('a timed event becomes a draft with local times in its zone', () => {
		const result = toInviteDraft(form({
			date: '2025-06-10',
			startTime: '15:00',
			endTime: '15:45',
			timeZone: 'America/New_York',
			location: '  Room 4 ',
			description: '',
			attendees: [{email: 'alex@example.org', name: 'Alex', optional: false}, {email: 'sam@example.org', optional: true}],
		}));
		expect(result).toEqual({
			ok: true,
			draft: {
				summary: 'Planning',
				attendees: [{email: 'alex@example.org', name: 'Alex'}, {email: 'sam@example.org', optional: true}],
				start: '2025-06-10T15:00',
				end: '2025-06-10T15:45',
				timeZone: 'America/New_York',
				location: 'Room 4',
			},
		});
	});

	test('an event past midnight ends the next day', () => {
		const result = toInviteDraft(form({date: '2025-06-10', startTime: '23:00', endTime: '00:30'}));
		expect(result.ok && result.draft).toMatchObject({start: '2025-06-10T23:00', end: '2025-06-11T00:30'});
	});

	test('an all-day event ends the day after its last day (DTEND is exclusive)', () => {
		const result = toInviteDraft(form({allDay: true, date: '2025-06-10', endDate: '2025-06-11'}));
		expect(result.ok && result.draft).toMatchObject({start: '2025-06-10', end: '2025-06-12', allDay: true});
	});

	test.each<[string, ComposerForm['repeat'], unknown]>([
		['none', {freq: 'none', interval: 1, byDay: ['MO'], ends: 'count', count: 3, until: ''}, undefined],
		['daily forever', {freq: 'daily', interval: 1, byDay: [], ends: 'never', count: 10, until: ''}, {freq: 'daily'}],
		['every 2 weeks on chosen days, in calendar order', {freq: 'weekly', interval: 2, byDay: ['FR', 'MO'], ends: 'count', count: 6, until: ''}, {freq: 'weekly', interval: 2, byDay: ['MO', 'FR'], count: 6}],
		['weekly without days uses the start\'s weekday', {freq: 'weekly', interval: 1, byDay: [], ends: 'never', count: 10, until: ''}, {freq: 'weekly', byDay: ['TU']}],
		['monthly until a day', {freq: 'monthly', interval: 1, byDay: ['MO'], ends: 'until', count: 10, until: '2025-12-31'}, {freq: 'monthly', until: '2025-12-31'}],
		['yearly', {freq: 'yearly', interval: 1, byDay: [], ends: 'never', count: 10, until: ''}, {freq: 'yearly'}],
	])('repeat: %s', (_name, repeat, expected) => {
		const result = toInviteDraft(form({date: '2025-06-10', repeat}));
		expect(result.ok).toBe(true);
		expect(result.ok && result.draft.repeat).toEqual(expected);
	});
});

describe('a start in the past', () => {
	test.each<[string, Partial<ComposerForm>, boolean]>([
		['the default start', {}, false],
		['earlier today in Berlin', {startTime: '09:00'}, true],
		['the same clock time in Tokyo is already over', {timeZone: 'Asia/Tokyo', startTime: '11:00'}, true],
		['the same clock time in New York is still ahead', {timeZone: 'America/New_York', startTime: '11:00'}, false],
		['an all-day event today', {allDay: true, date: '2025-06-02', endDate: '2025-06-02'}, false],
		['an all-day event yesterday', {allDay: true, date: '2025-06-01', endDate: '2025-06-01'}, true],
		['an unknown zone', {timeZone: 'Mars/Olympus', startTime: '09:00'}, false],
	])('%s', (_name, overrides, expected) => {
		expect(startsInPast(form(overrides), now)).toBe(expected);
	});
});
