import {describe, expect, test} from 'vitest';
import type {InviteSpec} from '../../../lib/itip/index.ts';
import type {InviteDraft} from '../../../lib/messaging.ts';
import {toInviteDraft} from '../../../lib/ui/composer-form.ts';
import {describeOccurrenceChange, occurrenceChangesFromDraft, occurrenceForm} from '../../../lib/ui/occurrence-form.ts';

const spec: InviteSpec = {
	uid: 'weekly', organizer: {email: 'olivia@example.org', name: 'Olivia'}, attendees: [{email: 'alex@example.org', name: 'Alex'}, {email: 'sam@example.org'}],
	summary: 'Weekly status', start: '2026-12-01T16:00', end: '2026-12-01T16:45', timeZone: 'Europe/Berlin', location: 'Room 1',
	repeat: {freq: 'weekly', byDay: ['TU'], count: 6},
};
// Tuesday 8 December, 16:00 in Berlin.
const next = '2026-12-08T15:00:00Z';

function draftOf(changes: Partial<ReturnType<typeof occurrenceForm>>): InviteDraft {
	const form = {...occurrenceForm(spec, next), ...changes};
	const draft = toInviteDraft(form);
	if (!draft.ok) {
		throw new Error(JSON.stringify(draft));
	}

	return draft.draft;
}

describe('changing one occurrence from the edit page', () => {
	test('the form holds that occurrence: its date and time in the event\'s zone, the event\'s length, no repeat', () => {
		const form = occurrenceForm(spec, next);
		expect(form).toMatchObject({date: '2026-12-08', startTime: '16:00', endTime: '16:45', timeZone: 'Europe/Berlin', location: 'Room 1', repeat: {freq: 'none'}});
	});

	test('moving it: the new start and end for that occurrence only, said as such', () => {
		const draft = draftOf({startTime: '18:00', endTime: '18:45'});
		const changes = occurrenceChangesFromDraft(spec, next, draft);
		expect(changes).toEqual({recurrenceId: next, start: '2026-12-08T18:00', end: '2026-12-08T18:45', timeZone: 'Europe/Berlin'});
		expect(describeOccurrenceChange(spec, changes, draft, new Map([['alex@example.org', 'Alex']]))).toBe('Alex and sam@example.org get the new time for this occurrence only; the other dates stay as they are.');
	});

	test('another place only; nothing changed; attendees are not the occurrence\'s to change', () => {
		const moved = draftOf({location: 'Room 2'});
		expect(occurrenceChangesFromDraft(spec, next, moved)).toEqual({recurrenceId: next, location: 'Room 2'});
		const same = draftOf({});
		expect(occurrenceChangesFromDraft(spec, next, same)).toEqual({recurrenceId: next});
		expect(describeOccurrenceChange(spec, {recurrenceId: next}, same, new Map())).toBe('Nothing changed for this occurrence, so nobody is told.');
		const fewer = draftOf({attendees: [{email: 'alex@example.org', optional: false}]});
		expect(describeOccurrenceChange(spec, {recurrenceId: next}, fewer, new Map())).toContain('change them with Edit');
	});
});
