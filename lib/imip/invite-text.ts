/**
 * Subject lines and bodies for invitation mail, worded like the calendars people know:
 * "Invitation: Project sync @ Mon 1 Dec 2026 16:00 – 17:00 (CET)", "Updated invitation: …", "Cancelled: …".
 * Times are the organizer's wall-clock times, in the organizer's zone, with the zone named.
 */
import type {InviteSpec} from '../itip/index.ts';
import {instantIn} from '../local-time.ts';
import {InvalidMailFieldError} from './errors.ts';

/**
 * Which mail: the first invitation, a changed event (RFC 5546 §2.1.4), a cancellation (§3.2.5), or the organizer's
 * "no" to an attendee's proposed change (DECLINECOUNTER, §3.2.8).
 */
export type InviteMailKind = 'invitation' | 'update' | 'cancellation' | 'counter-declined';

/**
 * The event as the mail describes it: lib/itip's `InviteSpec` (the one description of an event the user sends), less
 * what only builds the iCalendar (its UID and clock). `start`/`end` are wall-clock times in `timeZone`.
 */
export type MailEvent = Omit<InviteSpec, 'uid' | 'now'>;

type WallTime = {year: number; month: number; day: number; hour: number; minute: number; hasTime: boolean};

const weekdayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const byDayNames: Readonly<Record<string, string>> = {
	MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday',
};

function parseWallTime(value: string, field: string): WallTime {
	const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2})?)?$/.exec(value);
	if (!match) {
		throw new InvalidMailFieldError(field, `is not YYYY-MM-DD or YYYY-MM-DDTHH:mm: ${JSON.stringify(value)}`);
	}

	const [, year, month, day, hour, minute] = match;
	return {
		year: Number(year), month: Number(month), day: Number(day), hour: Number(hour ?? 0), minute: Number(minute ?? 0), hasTime: hour !== undefined,
	};
}

/** `Mon 1 Dec 2026`, from the date alone (no zone involved). */
function formatDay(time: WallTime): string {
	const date = new Date(Date.UTC(time.year, time.month - 1, time.day));
	return `${weekdayNames[date.getUTCDay()]} ${date.getUTCDate()} ${monthNames[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

function formatClock(time: WallTime): string {
	return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}

function previousDay(time: WallTime): WallTime {
	const date = new Date(Date.UTC(time.year, time.month - 1, time.day - 1));
	return {...time, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate()};
}

function sameDay(a: WallTime, b: WallTime): boolean {
	return a.year === b.year && a.month === b.month && a.day === b.day;
}

/** The instant a wall-clock time in `timeZone` stands for (lib/local-time.ts, the one zoned-time rule). */
function toInstant(time: WallTime, timeZone: string): number {
	const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
	const instant = instantIn({date: `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`, time: `${pad(time.hour)}:${pad(time.minute)}`}, timeZone);
	if (!instant) {
		throw new InvalidMailFieldError('timeZone', `is not a time zone: ${JSON.stringify(timeZone)}`);
	}

	return instant.getTime();
}

/**
 * The zone's short name at `instant`: `CET`, `CEST`, `EST`, `GMT`, `UTC`; `GMT+5:30` where no abbreviation is
 * common. British English names European zones, American English the American ones, so both are tried.
 */
export function zoneAbbreviation(instant: number, timeZone: string): string {
	let fallback = timeZone;
	for (const locale of ['en-GB', 'en-US']) {
		const name = new Intl.DateTimeFormat(locale, {timeZone, timeZoneName: 'short'})
			.formatToParts(instant)
			.find(part => part.type === 'timeZoneName')?.value;
		if (name !== undefined && !/^(?:GMT|UTC)[+\-−]/.test(name)) {
			return name;
		}

		if (name !== undefined && fallback === timeZone) {
			fallback = name;
		}
	}

	return fallback;
}

function assertTimeZone(timeZone: string): void {
	try {
		new Intl.DateTimeFormat('en-GB', {timeZone});
	} catch {
		throw new InvalidMailFieldError('timeZone', `is not a time zone: ${JSON.stringify(timeZone)}`);
	}
}

/**
 * When the event is, in the organizer's zone: `Mon 1 Dec 2026 16:00 – 17:00 (CET)`,
 * `Mon 1 Dec 2026 22:00 – Tue 2 Dec 2026 01:00 (CET)`, `Mon 1 Dec 2026 (all day)`.
 * @throws {InvalidMailFieldError} for an unreadable `start`, `end` or `timeZone`.
 */
export function formatWhen(event: Pick<MailEvent, 'start' | 'end' | 'timeZone' | 'allDay'>): string {
	const start = parseWallTime(event.start, 'start');
	const end = parseWallTime(event.end, 'end');
	if (event.allDay === true || !start.hasTime) {
		// DTEND of an all-day event is exclusive (RFC 5545 §3.6.1): the last day is the one before it.
		const last = end.hasTime || sameDay(start, end) ? end : previousDay(end);
		return sameDay(start, last) ? `${formatDay(start)} (all day)` : `${formatDay(start)} – ${formatDay(last)} (all day)`;
	}

	assertTimeZone(event.timeZone);
	const startZone = zoneAbbreviation(toInstant(start, event.timeZone), event.timeZone);
	const endZone = zoneAbbreviation(toInstant(end, event.timeZone), event.timeZone);
	const endText = sameDay(start, end) ? formatClock(end) : `${formatDay(end)} ${formatClock(end)}`;
	if (startZone !== endZone) {
		// A clock change inside the event: name both, e.g. "01:00 (CET) – 04:00 (CEST)".
		return `${formatDay(start)} ${formatClock(start)} (${startZone}) – ${endText} (${endZone})`;
	}

	return `${formatDay(start)} ${formatClock(start)} – ${endText} (${startZone})`;
}

const subjectPrefixes: Readonly<Record<InviteMailKind, string>> = {
	invitation: 'Invitation',
	update: 'Updated invitation',
	cancellation: 'Cancelled',
	'counter-declined': 'Proposal declined',
};

/** `Invitation: Project sync @ Mon 1 Dec 2026 16:00 – 17:00 (CET)`; `Updated invitation: …`; `Cancelled: …`. */
export function inviteSubject(kind: InviteMailKind, event: Pick<MailEvent, 'summary' | 'start' | 'end' | 'timeZone' | 'allDay'>): string {
	// Line breaks in a summary would be refused in a header; the subject is one line.
	const summary = event.summary.replaceAll(/\s+/g, ' ').trim();
	return `${subjectPrefixes[kind]}: ${summary} @ ${formatWhen(event)}`;
}

function formatPerson(person: {email: string; name?: string}): string {
	return person.name === undefined || person.name === '' ? person.email : `${person.name} <${person.email}>`;
}

function joinWords(words: readonly string[]): string {
	return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** `every week on Monday and Wednesday, 10 times`, from an RRULE-like repeat. */
export function formatRepeat(repeat: NonNullable<MailEvent['repeat']>): string {
	const units = {daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year'} as const;
	const interval = repeat.interval ?? 1;
	let text = interval === 1 ? `every ${units[repeat.freq]}` : `every ${interval} ${units[repeat.freq]}s`;
	if (repeat.byDay !== undefined && repeat.byDay.length > 0) {
		text += ` on ${joinWords(repeat.byDay.map(day => byDayNames[day] ?? day))}`;
	}

	if (repeat.count !== undefined) {
		text += repeat.count === 1 ? ', once' : `, ${repeat.count} times`;
	}

	if (repeat.until !== undefined) {
		const until = parseWallTime(repeat.until, 'repeat.until');
		text += `, until ${formatDay(until)}`;
	}

	return text;
}

/** The zone's IANA name as the body adds it (`Europe/Berlin time`), or '' when the abbreviation already is the name (`UTC`) or for all-day events. */
function zoneLabel(event: MailEvent): string {
	if (event.allDay === true) {
		return '';
	}

	const start = parseWallTime(event.start, 'start');
	if (!start.hasTime) {
		return '';
	}

	assertTimeZone(event.timeZone);
	const abbreviation = zoneAbbreviation(toInstant(start, event.timeZone), event.timeZone);
	return abbreviation === event.timeZone ? '' : `${event.timeZone} time`;
}

type BodyLine = {label: string; value: string};

/** The facts of the mail, in order, shared by the text and HTML bodies. */
function bodyFacts(kind: InviteMailKind, event: MailEvent): {heading: string; facts: BodyLine[]; invited: string[]; closing: string} {
	const organizer = formatPerson(event.organizer);
	const headings: Record<InviteMailKind, string> = {
		invitation: `${organizer} invites you to: ${event.summary}`,
		update: `This invitation has been updated: ${event.summary}`,
		cancellation: `This event has been cancelled: ${event.summary}`,
		'counter-declined': `Your proposed change was declined: ${event.summary}`,
	};
	const organizerName = event.organizer.name === undefined || event.organizer.name === '' ? event.organizer.email : event.organizer.name;
	const closings: Record<InviteMailKind, string> = {
		invitation: `Answer with your mail or calendar app, or reply to this message; your answer goes to ${organizerName}.`,
		update: `Answer the updated invitation with your mail or calendar app, or reply to this message; your answer goes to ${organizerName}.`,
		cancellation: 'Your mail or calendar app offers to remove the event from your calendar.',
		'counter-declined': `The event stays as it is, at the time above; ${organizerName} kept it.`,
	};

	const zone = zoneLabel(event);
	const facts: BodyLine[] = [{label: 'When', value: zone === '' ? formatWhen(event) : `${formatWhen(event)}, ${zone}`}];
	if (event.repeat !== undefined) {
		facts.push({label: 'Repeats', value: formatRepeat(event.repeat)});
	}

	if (event.location !== undefined && event.location.trim() !== '') {
		facts.push({label: 'Where', value: event.location.trim()});
	}

	facts.push({label: 'Organizer', value: organizer});
	const invited = event.attendees.map(attendee => `${formatPerson(attendee)}${attendee.optional === true ? ' (optional)' : ''}`);
	return {heading: headings[kind], facts, invited, closing: closings[kind]};
}

/**
 * The text/plain body: what, when (organizer's zone, named), where, who is invited, the description,
 * and how to answer (a mail or calendar app, or a reply) or, for a cancellation, that the calendar can remove it.
 */
export function inviteText(kind: InviteMailKind, event: MailEvent): string {
	const {heading, facts, invited, closing} = bodyFacts(kind, event);
	const width = Math.max(...[...facts.map(fact => fact.label), 'Invited'].map(label => label.length)) + 2;
	const lines = [heading, ''];
	for (const fact of facts) {
		lines.push(`${`${fact.label}:`.padEnd(width)}${fact.value}`);
	}

	for (const [index, person] of invited.entries()) {
		lines.push(`${(index === 0 ? 'Invited:' : '').padEnd(width)}${person}`);
	}

	if (event.description !== undefined && event.description.trim() !== '') {
		lines.push('', ...event.description.trim().split(/\r\n|\r|\n/));
	}

	lines.push('', ...wrapWords(closing, 72), '');
	return lines.join('\r\n');
}

/** Our own sentences wrapped at `width`, so an all-ASCII body stays 7bit (the description is left as written). */
function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line !== '' && line.length + 1 + word.length > width) {
			lines.push(line);
			line = word;
		} else {
			line = line === '' ? word : `${line} ${word}`;
		}
	}

	lines.push(line);
	return lines;
}

function escapeHtml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll('\'', '&#39;');
}

/** The text/html body: the same facts as `inviteText`, escaped, in a plain table. */
export function inviteHtml(kind: InviteMailKind, event: MailEvent): string {
	const {heading, facts, invited, closing} = bodyFacts(kind, event);
	const rows = facts.map(fact => `<tr><th align="left" valign="top">${escapeHtml(fact.label)}</th><td>${escapeHtml(fact.value)}</td></tr>`);
	if (invited.length > 0) {
		rows.push(`<tr><th align="left" valign="top">Invited</th><td>${invited.map(person => escapeHtml(person)).join('<br>')}</td></tr>`);
	}

	const description = event.description === undefined || event.description.trim() === ''
		? ''
		: `<p>${escapeHtml(event.description.trim()).replaceAll(/\r?\n/g, '<br>')}</p>\r\n`;
	return [
		'<!DOCTYPE html>',
		'<html><head><meta charset="utf-8"></head><body>',
		`<h2>${escapeHtml(heading)}</h2>`,
		`<table cellpadding="4">${rows.join('\r\n')}</table>`,
		`${description}<p>${escapeHtml(closing)}</p>`,
		'</body></html>',
		'',
	].join('\r\n');
}
