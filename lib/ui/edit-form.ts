/**
 * Editing a sent invitation with the same composer: the form prefilled from the event as sent (its `InviteSpec`),
 * the changes the edited form makes (`EventChanges`, only what differs), and, before sending, who will be told what,
 * in words, from lib/itip's own decision (buildUpdate run on the stored event).
 */
import type {BuiltUpdate, EventChanges, InviteSpec, RepeatSpec} from '../itip/index.ts';
import type {InviteDraft} from '../messaging.ts';
import type {ComposerForm} from './composer-form.ts';
import {addDays, weekdayOf} from '../local-time.ts';

/** The composer's form for an event as it was sent. */
export function formFromSpec(spec: InviteSpec): ComposerForm {
	const allDay = spec.allDay === true;
	const date = spec.start.slice(0, 10);
	const repeat = spec.repeat;
	return {
		summary: spec.summary,
		date,
		startTime: allDay ? '09:00' : spec.start.slice(11, 16),
		endTime: allDay ? '09:30' : spec.end.slice(11, 16),
		allDay,
		endDate: allDay ? addDays(spec.end.slice(0, 10), -1) : date,
		timeZone: spec.timeZone,
		repeat: {
			freq: repeat?.freq ?? 'none',
			interval: repeat?.interval ?? 1,
			byDay: repeat?.byDay ?? [],
			ends: repeat?.count === undefined ? (repeat?.until === undefined ? 'never' : 'until') : 'count',
			count: repeat?.count ?? 10,
			until: repeat?.until ?? addDays(date, 90),
		},
		location: spec.location ?? '',
		description: spec.description ?? '',
		attendees: spec.attendees.map(attendee => ({email: attendee.email, ...(attendee.name ? {name: attendee.name} : {}), optional: attendee.optional === true})),
	};
}

/** A weekly repeat without BYDAY falls on the start's weekday (RFC 5545 §3.3.10); written out so both compare. */
function normalRepeat(repeat: RepeatSpec | undefined, start: string): string {
	if (!repeat) {
		return '';
	}

	const byDay = repeat.freq === 'weekly' && (repeat.byDay ?? []).length === 0 ? [weekdayOf(start.slice(0, 10))] : repeat.byDay;
	return JSON.stringify({freq: repeat.freq, interval: repeat.interval ?? 1, byDay: byDay ?? [], count: repeat.count, until: repeat.until});
}

/** What the edited form changes, field by field; `{}` when nothing did. */
export function changesFromDraft(spec: InviteSpec, draft: InviteDraft): EventChanges {
	const changes: EventChanges = {};
	if (draft.summary !== spec.summary) {
		changes.summary = draft.summary;
	}

	if ((draft.description ?? '') !== (spec.description ?? '')) {
		changes.description = draft.description ?? '';
	}

	if ((draft.location ?? '') !== (spec.location ?? '')) {
		changes.location = draft.location ?? '';
	}

	if (draft.start !== spec.start || draft.end !== spec.end || draft.timeZone !== spec.timeZone || (draft.allDay ?? false) !== (spec.allDay ?? false)) {
		Object.assign(changes, {start: draft.start, end: draft.end, timeZone: draft.timeZone, allDay: draft.allDay ?? false});
	}

	if (normalRepeat(draft.repeat, draft.start) !== normalRepeat(spec.repeat, spec.start)) {
		changes.repeat = draft.repeat ?? null;
	}

	const before = new Set(spec.attendees.map(attendee => attendee.email.toLowerCase()));
	const after = new Set(draft.attendees.map(attendee => attendee.email.toLowerCase()));
	const added = draft.attendees.filter(attendee => !before.has(attendee.email.toLowerCase()));
	const removed = spec.attendees.filter(attendee => !after.has(attendee.email.toLowerCase())).map(attendee => attendee.email.toLowerCase());
	if (added.length > 0) {
		changes.addAttendees = added;
	}

	if (removed.length > 0) {
		changes.removeAttendees = removed;
	}

	return changes;
}

function joinNames(names: readonly string[]): string {
	return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** What changed, as the sentence's object: "the new time", "the new place", "the changes". */
function whatChanged(changes: EventChanges): string {
	if (changes.start !== undefined || changes.repeat !== undefined) {
		return 'the new time';
	}

	if (changes.location !== undefined) {
		return 'the new place';
	}

	return 'the changes';
}

/**
 * "Alex and Sam get the new time and must answer again; Kim is removed and told." from buildUpdate's decision:
 * who gets a REQUEST, who a CANCEL, whether answers reset.
 */
export function describeUpdate(update: Pick<BuiltUpdate, 'requestRecipients' | 'cancelRecipients'>, changes: EventChanges, names: ReadonlyMap<string, string>): string {
	const nameOf = (address: string): string => names.get(address) ?? address;
	const added = new Set((changes.addAttendees ?? []).map(attendee => attendee.email.toLowerCase()));
	const told = update.requestRecipients.filter(address => !added.has(address));
	const invited = update.requestRecipients.filter(address => added.has(address));
	const parts: string[] = [];
	if (told.length > 0) {
		const answerAgain = changes.start !== undefined || changes.repeat !== undefined ? ' and are asked to answer again' : '';
		parts.push(`${joinNames(told.map(nameOf))} ${told.length === 1 ? 'gets' : 'get'} ${whatChanged(changes)}${told.length === 1 ? answerAgain.replace('are', 'is') : answerAgain}`);
	}

	if (invited.length > 0) {
		parts.push(`${joinNames(invited.map(nameOf))} ${invited.length === 1 ? 'is' : 'are'} invited`);
	}

	if (update.cancelRecipients.length > 0) {
		parts.push(`${joinNames(update.cancelRecipients.map(nameOf))} ${update.cancelRecipients.length === 1 ? 'is' : 'are'} removed and told`);
	}

	return parts.length === 0 ? 'Nothing has changed: nobody will be told.' : `${parts.join('; ')}.`;
}
