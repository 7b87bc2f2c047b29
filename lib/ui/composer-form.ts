/**
 * The invite composer's form state, its validation, and the `InviteDraft` it becomes.
 * Pure: the composer component holds a `ComposerForm` and calls these on every change.
 */
import type {Weekday} from '../itip/index.ts';
import type {InviteDraft} from '../messaging.ts';
import {addressProblem} from '../address.ts';
import {mergeAttendees, type AttendeeChip} from './attendees.ts';
import {addDays, endTimeAfter, instantIn, isLocalDate, isLocalTime, nextHalfHour, timedDuration, timedEnd, wallClockIn, weekdayOf} from '../local-time.ts';

export type RepeatFrequency = 'none' | 'daily' | 'weekly' | 'monthly' | 'yearly';
export type RepeatEnds = 'never' | 'count' | 'until';

export type RepeatForm = {
	freq: RepeatFrequency;
	/** Every `interval` days/weeks/months/years. */
	interval: number;
	/** For weekly repeats; empty means the start's weekday. */
	byDay: Weekday[];
	ends: RepeatEnds;
	/** Occurrences in all, when `ends` is `count`. */
	count: number;
	/** Last day (`YYYY-MM-DD`, inclusive), when `ends` is `until`. */
	until: string;
};

export type ComposerForm = {
	summary: string;
	/** First day, `YYYY-MM-DD`. */
	date: string;
	/** `HH:mm`, for timed events. */
	startTime: string;
	/** `HH:mm`; not after `startTime` means the next day. */
	endTime: string;
	allDay: boolean;
	/** Last day of an all-day event (inclusive), `YYYY-MM-DD`. */
	endDate: string;
	timeZone: string;
	repeat: RepeatForm;
	location: string;
	description: string;
	attendees: AttendeeChip[];
};

export type ComposerField = 'summary' | 'date' | 'startTime' | 'endTime' | 'endDate' | 'timeZone' | 'repeat' | 'attendees';

/** One message per field that is wrong, in words a person can act on. */
export type ComposerErrors = Partial<Record<ComposerField, string>>;

/** Every weekday in calendar order, Monday first. */
export const weekdayOrder: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** Default length of a new invitation. */
export const defaultDurationMinutes = 30;

/** Most occurrences or interval the form accepts; more is almost surely a typo. */
const maxRepeatNumber = 999;

export type ComposerPrefill = {
	now: Date;
	timeZone: string;
	subject?: string;
	description?: string;
	recipients?: ReadonlyArray<{email: string; name?: string}>;
	/** The organizer's addresses, left out of the attendees. */
	organizer?: readonly string[];
};

/** A new form: next half hour for 30 minutes in the given zone, attendees and title from the compose form. */
export function initialComposerForm(prefill: ComposerPrefill): ComposerForm {
	const start = nextHalfHour(prefill.now, prefill.timeZone);
	return {
		summary: prefill.subject?.trim() ?? '',
		date: start.date,
		startTime: start.time,
		endTime: endTimeAfter(start.date, start.time, defaultDurationMinutes).time,
		allDay: false,
		endDate: start.date,
		timeZone: prefill.timeZone,
		repeat: {freq: 'none', interval: 1, byDay: [], ends: 'never', count: 10, until: addDays(start.date, 90)},
		location: '',
		description: prefill.description ?? '',
		attendees: mergeAttendees([], prefill.recipients ?? [], prefill.organizer ?? []),
	};
}

/** The event's length in minutes, or undefined while the times are incomplete. */
export function formDuration(form: ComposerForm): number | undefined {
	if (!isLocalDate(form.date) || !isLocalTime(form.startTime) || !isLocalTime(form.endTime)) {
		return undefined;
	}

	return timedDuration(form.date, form.startTime, form.endTime);
}

/** The form with a new start time, the length kept (the end moves along), as calendar apps do. */
export function withStartTime(form: ComposerForm, startTime: string): ComposerForm {
	const duration = formDuration(form);
	if (duration === undefined || !isLocalTime(startTime)) {
		return {...form, startTime};
	}

	return {...form, startTime, endTime: endTimeAfter(form.date, startTime, duration).time};
}

/** The form with the end set `minutes` after the start (a duration preset). */
export function withDuration(form: ComposerForm, minutes: number): ComposerForm {
	if (!isLocalDate(form.date) || !isLocalTime(form.startTime)) {
		return form;
	}

	return {...form, allDay: false, endTime: endTimeAfter(form.date, form.startTime, minutes).time};
}

/** The form with a new first day; an all-day event keeps its number of days. */
export function withDate(form: ComposerForm, date: string): ComposerForm {
	if (!isLocalDate(date) || !isLocalDate(form.date) || !isLocalDate(form.endDate)) {
		return {...form, date};
	}

	const days = Math.max(0, daysBetween(form.date, form.endDate));
	return {...form, date, endDate: addDays(date, days)};
}

/**
 * True when the event starts before `now` on its own zone's clock: worth a warning, since changing the zone
 * keeps the typed time and can move it into the past (not an error: past events can be recorded too).
 */
export function startsInPast(form: ComposerForm, now: Date): boolean {
	if (!isLocalDate(form.date)) {
		return false;
	}

	try {
		if (form.allDay) {
			return isLocalDate(form.endDate) && form.endDate < wallClockIn(now, form.timeZone).date;
		}
	} catch {
		return false;
	}

	if (!isLocalTime(form.startTime)) {
		return false;
	}

	const start = instantIn({date: form.date, time: form.startTime}, form.timeZone);
	return start !== undefined && start.getTime() < now.getTime();
}

function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00Z`) - Date.parse(`${from}T00:00Z`)) / 86_400_000);
}

/** Errors of the repeat section, or undefined. */
function repeatProblem(form: ComposerForm): string | undefined {
	const {repeat} = form;
	if (repeat.freq === 'none') {
		return undefined;
	}

	if (!Number.isInteger(repeat.interval) || repeat.interval < 1 || repeat.interval > maxRepeatNumber) {
		return `Repeat every 1 to ${maxRepeatNumber}.`;
	}

	if (repeat.ends === 'count' && (!Number.isInteger(repeat.count) || repeat.count < 1 || repeat.count > maxRepeatNumber)) {
		return `Give a number of times from 1 to ${maxRepeatNumber}.`;
	}

	if (repeat.ends === 'until') {
		if (!isLocalDate(repeat.until)) {
			return 'Pick the last day the event repeats on.';
		}

		if (isLocalDate(form.date) && repeat.until < form.date) {
			return 'The last repeat cannot be before the first day.';
		}
	}

	return undefined;
}

/** What is wrong with the form; empty when it can be sent. */
export function validateComposerForm(form: ComposerForm): ComposerErrors {
	const errors: ComposerErrors = {};
	if (form.summary.trim() === '') {
		errors.summary = 'Give the event a title.';
	}

	if (!isLocalDate(form.date)) {
		errors.date = 'Pick the day of the event.';
	}

	if (form.allDay) {
		if (!isLocalDate(form.endDate)) {
			errors.endDate = 'Pick the last day of the event.';
		} else if (isLocalDate(form.date) && form.endDate < form.date) {
			errors.endDate = 'The last day cannot be before the first.';
		}
	} else {
		if (!isLocalTime(form.startTime)) {
			errors.startTime = 'Give a start time.';
		}

		if (!isLocalTime(form.endTime)) {
			errors.endTime = 'Give an end time.';
		} else if (form.endTime === form.startTime) {
			errors.endTime = 'The end time is the same as the start time.';
		}
	}

	if (form.timeZone.trim() === '') {
		errors.timeZone = 'Pick a time zone.';
	}

	const repeat = repeatProblem(form);
	if (repeat) {
		errors.repeat = repeat;
	}

	if (form.attendees.length === 0) {
		errors.attendees = 'Add at least one attendee.';
	} else {
		const wrong = form.attendees.map(chip => addressProblem(chip.email)).find(Boolean);
		if (wrong) {
			errors.attendees = `${wrong} Fix or remove it.`;
		}
	}

	return errors;
}

/** The repeat section as `InviteDraft.repeat`; undefined for "does not repeat". */
function toRepeat(form: ComposerForm): InviteDraft['repeat'] {
	const {repeat} = form;
	if (repeat.freq === 'none') {
		return undefined;
	}

	const byDay = repeat.freq === 'weekly'
		? (repeat.byDay.length > 0 ? weekdayOrder.filter(day => repeat.byDay.includes(day)) : [weekdayOf(form.date)])
		: undefined;
	return {
		freq: repeat.freq,
		...(repeat.interval > 1 ? {interval: repeat.interval} : {}),
		...(byDay ? {byDay} : {}),
		...(repeat.ends === 'count' ? {count: repeat.count} : {}),
		...(repeat.ends === 'until' ? {until: repeat.until} : {}),
	};
}

/** The draft the background turns into an invitation, or the form's errors. */
export function toInviteDraft(form: ComposerForm): {ok: true; draft: InviteDraft} | {ok: false; errors: ComposerErrors} {
	const errors = validateComposerForm(form);
	if (Object.keys(errors).length > 0) {
		return {ok: false, errors};
	}

	const end = form.allDay ? {date: addDays(form.endDate, 1), time: ''} : timedEnd(form.date, form.startTime, form.endTime);
	const repeat = toRepeat(form);
	const location = form.location.trim();
	const description = form.description.trim();
	const draft: InviteDraft = {
		summary: form.summary.trim(),
		attendees: form.attendees.map(chip => ({
			email: chip.email.trim(),
			...(chip.name ? {name: chip.name} : {}),
			...(chip.optional ? {optional: true} : {}),
		})),
		start: form.allDay ? form.date : `${form.date}T${form.startTime}`,
		end: form.allDay ? end.date : `${end.date}T${end.time}`,
		timeZone: form.timeZone,
		...(form.allDay ? {allDay: true} : {}),
		...(location ? {location} : {}),
		...(description ? {description} : {}),
		...(repeat ? {repeat} : {}),
	};
	return {ok: true, draft};
}
