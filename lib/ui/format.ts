/**
 * Dates and times as the popup shows them. The locale and the viewer's zone are parameters, so that tests
 * can pin them; the popup passes the browser's.
 */
import type {EventView} from '../messaging.ts';
import {eventInstant} from './event-list.ts';
import {timeZoneLabel} from './time-zones.ts';

export type FormatOptions = {
	/** BCP 47 locale; undefined means the browser's. */
	locale?: string;
	/** The viewer's IANA zone. */
	timeZone: string;
};

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

function dayFormat(options: FormatOptions, zone = options.timeZone): Intl.DateTimeFormat {
	return new Intl.DateTimeFormat(options.locale, {weekday: 'short', day: 'numeric', month: 'short', timeZone: zone});
}

function timeFormat(options: FormatOptions, zone = options.timeZone): Intl.DateTimeFormat {
	return new Intl.DateTimeFormat(options.locale, {timeStyle: 'short', timeZone: zone});
}

/** `YYYY-MM-DD` as a UTC midnight, so that formatting it in UTC gives back the same day anywhere. */
function utcDay(value: string): Date {
	return new Date(`${value}T00:00:00Z`);
}

function previousDay(value: string): string {
	return new Date(utcDay(value).getTime() - 86_400_000).toISOString().slice(0, 10);
}

/**
 * When an event happens, in the viewer's zone: `Tue, 14 Jan, 10:00 – 10:30`, `Tue, 14 Jan – Thu, 16 Jan` (all day),
 * and a `note` with the event's own clock when it was set in another zone (`15:00 – 15:30 New York (America)`).
 */
export function formatEventWhen(event: Pick<EventView, 'start' | 'end' | 'allDay' | 'timeZone'>, options: FormatOptions): {text: string; note?: string} {
	if (event.allDay && dateOnly.test(event.start)) {
		const day = dayFormat(options, 'UTC');
		// DTEND of an all-day event is the day after the last one (RFC 5545 §3.6.1).
		const last = dateOnly.test(event.end) && event.end > event.start ? previousDay(event.end) : event.start;
		const first = day.format(utcDay(event.start));
		return {text: last === event.start ? `${first}, all day` : `${first} – ${day.format(utcDay(last))}`};
	}

	const start = new Date(eventInstant(event.start));
	const end = new Date(eventInstant(event.end));
	if (Number.isNaN(start.getTime())) {
		return {text: event.start};
	}

	const range = (zone: string): string => {
		const day = dayFormat(options, zone);
		const time = timeFormat(options, zone);
		if (Number.isNaN(end.getTime())) {
			return `${day.format(start)}, ${time.format(start)}`;
		}

		return day.format(start) === day.format(end)
			? `${day.format(start)}, ${time.format(start)} – ${time.format(end)}`
			: `${day.format(start)}, ${time.format(start)} – ${day.format(end)}, ${time.format(end)}`;
	};

	const text = range(options.timeZone);
	if (!event.timeZone || event.timeZone === options.timeZone) {
		return {text};
	}

	try {
		const own = range(event.timeZone);
		return own === text ? {text} : {text, note: `${own} ${timeZoneLabel(event.timeZone)}`};
	} catch {
		// A zone name the browser does not know: the viewer's clock is still right.
		return {text};
	}
}

/** `just now`, `5 min ago`, `3 h ago`, then the date and time. */
export function formatRelative(iso: string, now: Date, options: FormatOptions): string {
	const then = Date.parse(iso);
	if (Number.isNaN(then)) {
		return iso;
	}

	const minutes = Math.round((now.getTime() - then) / 60_000);
	if (minutes < 1) {
		return 'just now';
	}

	if (minutes < 60) {
		return `${minutes} min ago`;
	}

	if (minutes < 24 * 60) {
		return `${Math.floor(minutes / 60)} h ago`;
	}

	const date = new Date(then);
	return `${new Intl.DateTimeFormat(options.locale, {day: 'numeric', month: 'short', timeZone: options.timeZone}).format(date)}, ${timeFormat(options).format(date)}`;
}

/** One occurrence's start: `Tue, 15 Dec, 10:00`, or `Tue, 15 Dec` for a date. */
export function formatOccurrence(iso: string, options: FormatOptions): string {
	if (dateOnly.test(iso)) {
		return dayFormat(options, 'UTC').format(utcDay(iso));
	}

	const instant = new Date(iso);
	return Number.isNaN(instant.getTime()) ? iso : `${dayFormat(options).format(instant)}, ${timeFormat(options).format(instant)}`;
}
