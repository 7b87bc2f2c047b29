/** Which calendar of a mail a reader acts on: the first whose METHOD is one of `preferred` (in that order), else the first. */
import type {CalendarPart} from './read-calendar-mail.ts';

export function pickCalendarPart(parts: readonly CalendarPart[], preferred: readonly string[]): CalendarPart | undefined {
	return preferred.map(method => parts.find(candidate => candidate.method === method)).find(Boolean) ?? parts[0];
}
