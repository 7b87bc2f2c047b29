/**
 * Editing with the composer: the form from the event as sent, only what changed goes to buildUpdate, and "who
 * will be told what" in words from buildUpdate's own decision.
 */
import {describe, expect, test} from 'vitest';
import {buildInvite, buildUpdate, type InviteSpec} from '../../../lib/itip/index.ts';
import {toInviteDraft} from '../../../lib/ui/composer-form.ts';
import {changesFromDraft, describeUpdate, formFromSpec} from '../../../lib/ui/edit-form.ts';

const spec: InviteSpec = {
	uid: 'edit@example.com',
	organizer: {email: 'org@example.com', name: 'Org'},
	attendees: [{email: 'alex@example.org', name: 'Alex'}, {email: 'sam@example.org', name: 'Sam'}, {email: 'kim@example.org', name: 'Kim', optional: true}],
	summary: 'Planning',
	start: '2026-12-01T16:00',
	end: '2026-12-01T17:00',
	timeZone: 'Europe/Berlin',
	location: 'Room 4',
	repeat: {freq: 'weekly', count: 6},
	now: new Date('2026-11-01T09:00:00Z'),
};
const stored = buildInvite(spec).caldav;
const names = new Map(spec.attendees.map(attendee => [attendee.email, attendee.name!]));

function draftOf(form: ReturnType<typeof formFromSpec>): ReturnType<typeof toInviteDraft> & {ok: true} {
	const draft = toInviteDraft(form);
	if (!draft.ok) {
		throw new Error(JSON.stringify(draft.errors));
	}

	return draft;
}

describe('the edit form', () => {
	test('prefilled from the event as sent and sent back unchanged, it changes nothing and tells nobody', () => {
		const form = formFromSpec(spec);
		expect(form).toMatchObject({summary: 'Planning', date: '2026-12-01', startTime: '16:00', endTime: '17:00', timeZone: 'Europe/Berlin', location: 'Room 4'});
		expect(form.repeat).toMatchObject({freq: 'weekly', ends: 'count', count: 6});
		expect(form.attendees.map(chip => chip.email)).toEqual(['alex@example.org', 'sam@example.org', 'kim@example.org']);
		// A weekly repeat the composer writes with BYDAY=TU is the same repeat as the one sent without it.
		const changes = changesFromDraft(spec, draftOf(form).draft);
		expect(changes).toEqual({});
		expect(describeUpdate(buildUpdate(stored, changes), changes, names)).toBe('Nothing has changed: nobody will be told.');
	});

	test('an all-day event comes back as the same days', () => {
		const allDay = {...spec, allDay: true, start: '2026-12-24', end: '2026-12-27'};
		const form = formFromSpec(allDay);
		expect(form).toMatchObject({allDay: true, date: '2026-12-24', endDate: '2026-12-26'});
		expect(changesFromDraft(allDay, draftOf(form).draft)).toEqual({});
	});

	test('a new time, Kim removed: "Alex and Sam get the new time and are asked to answer again; Kim is removed and told."', () => {
		const form = {...formFromSpec(spec), startTime: '18:00', endTime: '19:00'};
		form.attendees = form.attendees.filter(chip => chip.email !== 'kim@example.org');
		const changes = changesFromDraft(spec, draftOf(form).draft);
		expect(changes).toEqual({start: '2026-12-01T18:00', end: '2026-12-01T19:00', timeZone: 'Europe/Berlin', allDay: false, removeAttendees: ['kim@example.org']});
		expect(describeUpdate(buildUpdate(stored, changes), changes, names)).toBe('Alex and Sam get the new time and are asked to answer again; Kim is removed and told.');
	});

	test('a new place and a new attendee: the others get the new place, the newcomer is invited', () => {
		const form = {...formFromSpec(spec), location: 'Room 9'};
		form.attendees = [...form.attendees, {email: 'pat@example.org', name: 'Pat', optional: false}];
		const changes = changesFromDraft(spec, draftOf(form).draft);
		expect(changes).toEqual({location: 'Room 9', addAttendees: [{email: 'pat@example.org', name: 'Pat'}]});
		expect(describeUpdate(buildUpdate(stored, changes), changes, new Map([...names, ['pat@example.org', 'Pat']]))).toBe('Alex, Sam and Kim get the new place; Pat is invited.');
	});

	test('only the title: everyone gets the change, nobody is asked again; stopping the repeat is a new time', () => {
		const title = changesFromDraft(spec, draftOf({...formFromSpec(spec), summary: 'Planning (room moved)'}).draft);
		expect(title).toEqual({summary: 'Planning (room moved)'});
		expect(describeUpdate(buildUpdate(stored, title), title, names)).toBe('Alex, Sam and Kim get the changes.');
		const form = formFromSpec(spec);
		const once = changesFromDraft(spec, draftOf({...form, repeat: {...form.repeat, freq: 'none'}}).draft);
		expect(once).toEqual({repeat: null});
		expect(describeUpdate(buildUpdate(stored, once), once, names)).toMatch(/^Alex, Sam and Kim get the new time and are asked to answer again\.$/);
	});
});
