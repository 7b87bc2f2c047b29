/**
 * Wall-clock dates and times as the composer's inputs hold them (`YYYY-MM-DD`, `HH:mm`), with arithmetic that
 * ignores time zones on purpose: the invitation carries its zone, and "an hour later" is an hour on that clock.
 * Also the one conversion between a wall clock in an IANA zone and an instant (`wallClockIn`, `instantIn`), used
 * by the composer, the invite flows and the invitation mail's text (issue 11, item 6).
 */
import type {Weekday} from './itip/index.ts';

/** Duration presets the composer offers, in minutes. */
export const durationPresets = [15, 30, 45, 60, 90] as const;

export type LocalDateTime = {date: string; time: string};

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const timePattern = /^(\d{2}):(\d{2})$/;

function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}

/** True for a real calendar day written `YYYY-MM-DD` (no 31 February). */
export function isLocalDate(value: string): boolean {
	const match = datePattern.exec(value);
	if (!match) {
		return false;
	}

	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** True for `HH:mm` from 00:00 to 23:59. */
export function isLocalTime(value: string): boolean {
	const match = timePattern.exec(value);
	return match !== null && Number(match[1]) < 24 && Number(match[2]) < 60;
}

/** Minutes since the Unix epoch of a wall-clock time read as if it were UTC: only differences mean anything. */
function toMinutes({date, time}: LocalDateTime): number {
	const [year, month, day] = date.split('-').map(Number) as [number, number, number];
	const [hours, minutes] = time.split(':').map(Number) as [number, number];
	return Date.UTC(year, month - 1, day, hours, minutes) / 60_000;
}

function fromMinutes(total: number): LocalDateTime {
	const date = new Date(total * 60_000);
	return {
		date: `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`,
		time: `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`,
	};
}

/** The wall-clock time `minutes` later (or earlier, when negative). */
export function addMinutes(start: LocalDateTime, minutes: number): LocalDateTime {
	return fromMinutes(toMinutes(start) + minutes);
}

/** The day `days` after `date`. */
export function addDays(date: string, days: number): string {
	return addMinutes({date, time: '00:00'}, days * 24 * 60).date;
}

/** Minutes from `start` to `end`; negative when `end` comes first. */
export function minutesBetween(start: LocalDateTime, end: LocalDateTime): number {
	return toMinutes(end) - toMinutes(start);
}

/**
 * The end of a timed event whose form has one date and two times: the same day, or the next one when the end
 * time is not after the start time (22:00–01:00 runs past midnight).
 */
export function timedEnd(date: string, startTime: string, endTime: string): LocalDateTime {
	return {date: endTime > startTime ? date : addDays(date, 1), time: endTime};
}

/** Length of the event in minutes, as `timedEnd` reads the form. */
export function timedDuration(date: string, startTime: string, endTime: string): number {
	return minutesBetween({date, time: startTime}, timedEnd(date, startTime, endTime));
}

/** The end time `minutes` after `startTime` (and whether it lands on a later day). */
export function endTimeAfter(date: string, startTime: string, minutes: number): {time: string; nextDay: boolean} {
	const end = addMinutes({date, time: startTime}, minutes);
	return {time: end.time, nextDay: end.date !== date};
}

/** "15 min", "1 h", "1 h 30 min", "1 day 2 h". */
export function formatDuration(minutes: number): string {
	const days = Math.floor(minutes / (24 * 60));
	const hours = Math.floor((minutes % (24 * 60)) / 60);
	const rest = minutes % 60;
	const parts = [
		days > 0 ? `${days} day${days === 1 ? '' : 's'}` : '',
		hours > 0 ? `${hours} h` : '',
		rest > 0 ? `${rest} min` : '',
	].filter(Boolean);
	return parts.length === 0 ? '0 min' : parts.join(' ');
}

const weekdays: readonly Weekday[] = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The weekday of a `YYYY-MM-DD` day, as RRULE writes it. */
export function weekdayOf(date: string): Weekday {
	const [year, month, day] = date.split('-').map(Number) as [number, number, number];
	return weekdays[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!;
}

/** The wall-clock date and time of an instant in an IANA zone. */
export function wallClockIn(instant: Date, timeZone: string): LocalDateTime {
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23',
	}).formatToParts(instant);
	const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find(item => item.type === type)?.value ?? '00';
	return {date: `${part('year')}-${part('month')}-${part('day')}`, time: `${part('hour')}:${part('minute')}`};
}

/** The next full or half hour after `now` on the clock of `timeZone`: the composer's default start. */
export function nextHalfHour(now: Date, timeZone: string): LocalDateTime {
	const clock = wallClockIn(now, timeZone);
	const minutes = Number(clock.time.slice(3));
	return addMinutes({date: clock.date, time: `${clock.time.slice(0, 3)}00`}, minutes < 30 ? 30 : 60);
}

/**
 * The instant a wall-clock time in an IANA zone stands for. Times that do not exist (skipped by a DST change)
 * come out an hour later, and repeated ones as their first occurrence, close enough for a "this is in the past"
 * hint; undefined for names the browser does not know.
 */
export function instantIn(local: LocalDateTime, timeZone: string): Date | undefined {
	const target = toMinutes(local);
	let instant = target * 60_000;
	try {
		// Two rounds settle the zone's offset at that instant, even across a DST change.
		for (let round = 0; round < 2; round++) {
			instant -= (toMinutes(wallClockIn(new Date(instant), timeZone)) - target) * 60_000;
		}
	} catch {
		return undefined;
	}

	return new Date(instant);
}
