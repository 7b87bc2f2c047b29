/**
 * Changing one occurrence of a repeating event from the edit page ("move just next Tuesday"): the composer prefilled
 * with that occurrence's own time, and what the form's changes mean for it. The occurrence rules themselves are
 * lib/itip's buildOccurrenceUpdate (an override and its own REQUEST, RFC 5546 §4.4.3), run by the background.
 */
import type {InviteSpec, OccurrenceChanges} from '../itip/index.ts';
import {wallTimeOf} from '../invites/occurrence-invite.ts';
import type {InviteDraft} from '../messaging.ts';
import type {ComposerForm} from './composer-form.ts';
import {formFromSpec} from './edit-form.ts';

/** Minutes between two wall-clock times `YYYY-MM-DDTHH:mm` (or dates), as written, whatever the zone. */
function wallMinutes(from: string, to: string): number {
	const parse = (text: string): number => Date.parse(`${text.length === 10 ? `${text}T00:00` : text.slice(0, 16)}:00Z`);
	return Math.round((parse(to) - parse(from)) / 60_000);
}

function addWallMinutes(wall: string, minutes: number): string {
	const base = Date.parse(`${wall.length === 10 ? `${wall}T00:00` : wall.slice(0, 16)}:00Z`);
	const moved = new Date(base + (minutes * 60_000)).toISOString();
	return wall.length === 10 ? moved.slice(0, 10) : moved.slice(0, 16);
}

/**
 * The form for one occurrence: the event's fields, its start moved to the occurrence's (`recurrenceId`, UTC ISO or a
 * date, as the popup lists it) with the event's length, and no repeat (an occurrence does not repeat).
 */
export function occurrenceForm(spec: InviteSpec, recurrenceId: string): ComposerForm {
	const start = wallTimeOf(recurrenceId, spec.timeZone);
	const end = addWallMinutes(start, wallMinutes(spec.start, spec.end));
	const {repeat: _repeat, ...single} = spec;
	return formFromSpec({...single, start, end});
}

/** What the form changes for the occurrence: its time (in the form's zone), title, place. Attendees are the series'. */
export function occurrenceChangesFromDraft(spec: InviteSpec, recurrenceId: string, draft: InviteDraft): OccurrenceChanges {
	const before = occurrenceForm(spec, recurrenceId);
	const beforeStart = wallTimeOf(recurrenceId, spec.timeZone);
	const changes: OccurrenceChanges = {recurrenceId};
	const moved = draft.start !== beforeStart || draft.end !== addWallMinutes(beforeStart, wallMinutes(spec.start, spec.end)) || draft.timeZone !== spec.timeZone;
	if (moved) {
		Object.assign(changes, {start: draft.start, end: draft.end, timeZone: draft.timeZone});
	}

	if (draft.summary !== before.summary) {
		changes.summary = draft.summary;
	}

	if ((draft.location ?? '') !== before.location) {
		changes.location = draft.location ?? '';
	}

	return changes;
}

/** Who is told what if the form were sent now, for one occurrence. */
export function describeOccurrenceChange(spec: InviteSpec, changes: OccurrenceChanges, draft: InviteDraft, names: ReadonlyMap<string, string>): string {
	const everyone = spec.attendees.map(attendee => names.get(attendee.email.toLowerCase()) ?? attendee.email);
	const who = everyone.length <= 1 ? everyone.join('') : `${everyone.slice(0, -1).join(', ')} and ${everyone.at(-1)!}`;
	const what = [changes.start === undefined ? undefined : 'the new time', changes.summary === undefined ? undefined : 'the new title', changes.location === undefined ? undefined : 'the new place'].filter(Boolean);
	const attendeesChanged = draft.attendees.map(attendee => attendee.email.toLowerCase()).sort().join() !== spec.attendees.map(attendee => attendee.email.toLowerCase()).sort().join();
	const note = attendeesChanged ? ' Attendees are the whole event\'s: change them with Edit.' : '';
	if (what.length === 0) {
		return `Nothing changed for this occurrence, so nobody is told.${note}`;
	}

	return `${who} ${everyone.length === 1 ? 'gets' : 'get'} ${what.join(' and ')} for this occurrence only; the other dates stay as they are.${note}`;
}
