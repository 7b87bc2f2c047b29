/**
 * The stamp of a stored event that the writer already mailed (issue 18, "our own writes never trigger a send").
 *
 * Every calendar write of ours (lib/caldav's createEvent/updateEvent: the invite flows, the reply loop, the
 * invitation card, by the extension, `pmi` or an agent) puts `X-PURELYMAIL-INVITES-MAILED:<digest>` in the
 * VCALENDAR (RFC 5545 §3.8.8.2: an X- property, kept by the apps that keep what they do not know). The digest covers
 * what calendar-app scheduling diffs (UID, RECURRENCE-ID, SEQUENCE, DTSTAMP, times, recurrence, place, status,
 * summary, description, organizer, every attendee with PARTSTAT/ROLE/RSVP/SCHEDULE-AGENT), per VEVENT.
 *
 * Why a stamp in the event rather than telling the agent before each PUT: it travels with the very version it
 * describes, so there is no extra request, no race between the announcement and the write, and any number of
 * instances (extension, agent, a second browser) read the same answer. A watcher that reads a version whose stamp
 * equals the digest of what it reads adopts it silently; an app that changes any covered field keeps the stale stamp
 * (or drops it) and the change is diffed and sent as usual.
 *
 * What a forged stamp can and cannot do: the digest is not secret (anyone can compute it), so whoever can put a
 * version into the user's calendar can make us send nothing for exactly that version. It can never make us send a
 * mail, nor change one: a mismatch only means "diff as usual". A later change by the user alters a covered field
 * (DTSTAMP, PARTSTAT, times…), so it no longer matches and is sent, diffed against the adopted version. A stranger's
 * invitation filed by some app with a stamp can at most suppress the REPLY to that stranger for a state he guessed
 * in advance; a spoofed meeting "organized by the user" gets no mail in the user's name, which is the safe side.
 */
import type ICAL from 'ical.js';
import {contentLines, splitLine} from '../ical-lines.ts';
import {addressOf, parameterValues} from './attendee-state.ts';
import {eventsOf, parseCalendar} from './calendar.ts';

export const mailedStampProperty = 'X-PURELYMAIL-INVITES-MAILED';

/** The properties the digest covers: what schedule-organizer/-attendee diff; the rest (alarms, TRANSP, X-MOZ-…) sends nothing. */
const coveredProperties = ['uid', 'recurrence-id', 'sequence', 'dtstamp', 'dtstart', 'dtend', 'duration', 'due', 'rrule', 'rdate', 'exdate', 'exrule', 'location', 'status', 'summary', 'description', 'organizer', 'attendee'] as const;
const coveredParameters = ['tzid', 'value', 'range', 'partstat', 'role', 'rsvp', 'schedule-agent'] as const;

function canonicalProperty(property: ICAL.Property): unknown[] {
	const parameters = coveredParameters.map(name => [name, ...parameterValues(property, name).map(value => value.toUpperCase())]).filter(entry => entry.length > 1);
	const values = property.name === 'organizer' || property.name === 'attendee'
		? [addressOf(property)]
		: property.getValues().map(value => String(value));
	return [property.name, parameters, values];
}

function canonicalEvent(event: ICAL.Component): string {
	const properties = coveredProperties.flatMap(name => event.getAllProperties(name).map(property => JSON.stringify(canonicalProperty(property))));
	return JSON.stringify(properties.sort());
}

/** The text the digest is taken of; undefined for text that is not an iCalendar object with a VEVENT. */
function canonicalText(ics: string): string | undefined {
	const parsed = parseCalendar(ics);
	if (!parsed.ok) {
		return undefined;
	}

	const events = eventsOf(parsed.calendar).map(event => canonicalEvent(event)).sort();
	return events.length > 0 ? JSON.stringify(events) : undefined;
}

function base64url(bytes: ArrayBuffer): string {
	return btoa(String.fromCodePoint(...new Uint8Array(bytes))).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** SHA-256 (Web Crypto: the browser's and Node 20's `crypto.subtle`), base64url: 43 characters, one unfolded line. */
async function digestOf(ics: string): Promise<string | undefined> {
	const text = canonicalText(ics);
	return text === undefined ? undefined : base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** Every stamp line (folded continuations included), wherever an app moved it. */
const stampLines = new RegExp(`^${mailedStampProperty}[;:].*(?:\\r?\\n[ \\t].*)*\\r?\\n`, 'gim');

function stampsIn(ics: string): string[] {
	return contentLines(ics).map(line => splitLine(line)).filter(property => property?.name === mailedStampProperty).map(property => property!.value.trim());
}

/** The text without any stamp: what a write of a version not mailed yet stores. */
export function withoutMailedStamp(ics: string): string {
	return ics.replace(stampLines, '');
}

/**
 * `ics` stamped as mailed: any old stamp removed and a fresh one put right after BEGIN:VCALENDAR. Text that cannot be
 * read is returned without a stamp (a reader then diffs it as usual). The rest of the text is kept as written.
 */
export async function withMailedStamp(ics: string): Promise<string> {
	const bare = withoutMailedStamp(ics);
	const digest = await digestOf(bare);
	if (digest === undefined) {
		return bare;
	}

	const newline = /\r\n/.test(bare) ? '\r\n' : '\n';
	return bare.replace(/^(\uFEFF?\s*BEGIN:VCALENDAR[ \t]*\r?\n)/i, `$1${mailedStampProperty}:${digest}${newline}`);
}

/**
 * Whether this version was written, and mailed, by one of us (this instance or another): it carries one stamp and it
 * equals the digest of what it holds now.
 */
export async function isMailedVersion(ics: string): Promise<boolean> {
	const stamps = stampsIn(ics);
	if (stamps.length !== 1) {
		return false;
	}

	return stamps[0] === await digestOf(ics);
}
