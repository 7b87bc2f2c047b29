/**
 * What the calendar-app scheduling tests share (other-apps.test.ts, faults.test.ts): the organizer's scheduling
 * dependencies on the flow's real relay and Radicale, a meeting as a calendar app writes it, and the calendar mails
 * an account's folder holds about one event.
 */
import ICAL from 'ical.js';
import {ownAddresses, relayAccountOf} from '../../../lib/account.ts';
import {runScheduling, type SchedulingDeps, type SchedulingResult} from '../../../lib/scheduling/index.ts';
import {createSchedulingStore} from '../../../lib/scheduling/storage-store.ts';
import {downloadPart, leafParts, listMessages, type Flow} from '../flow/helpers.ts';
import type {SandboxAccount} from '../../sandbox/index.ts';

/** The organizer's extension: its storage (fakeBrowser), the flow's recorded CalDAV client and the real relay. */
export function schedulingDeps(flow: Flow, overrides: Partial<SchedulingDeps> = {}): SchedulingDeps {
	const from = {email: flow.account.email, name: flow.account.name};
	return {
		caldav: flow.caldav,
		calendars: [flow.calendarUrl],
		relay: flow.relayClient,
		account: relayAccountOf(flow.account, flow.settings),
		from,
		me: ownAddresses(flow.account),
		store: createSchedulingStore(from),
		backoff: {attempts: 2, baseMs: 1},
		...overrides,
	};
}

export async function schedule(flow: Flow, overrides: Partial<SchedulingDeps> = {}): Promise<SchedulingResult> {
	return runScheduling(schedulingDeps(flow, overrides));
}

function stamp(date: Date): string {
	return date.toISOString().replaceAll(/[-:]|\.\d+/g, '');
}

export type MeetingOptions = {organizerParameters?: string; summary?: string; partstat?: string};

/** A meeting as a calendar app writes it: no METHOD, SEQUENCE 0, the organizer and the attendees given. */
export function meetingIcs(organizer: string, uid: string, attendees: readonly string[], options: MeetingOptions = {}): string {
	return [
		'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//python3-caldav//EN', 'BEGIN:VEVENT', `UID:${uid}`, `DTSTAMP:${stamp(new Date())}`,
		'DTSTART:20270115T100000Z', 'DTEND:20270115T110000Z', `SUMMARY:${options.summary ?? 'Team sync'}`, 'SEQUENCE:0',
		`ORGANIZER${options.organizerParameters ?? ''}:mailto:${organizer}`,
		...attendees.map(address => `ATTENDEE;PARTSTAT=${options.partstat ?? 'NEEDS-ACTION'};RSVP=TRUE:mailto:${address}`),
		'END:VEVENT', 'END:VCALENDAR', '',
	].join('\r\n');
}

export type Mail = {uid: number; messageId: string | undefined; method: string; calendar: string};

/** Every calendar mail about `eventUid` in an account's folder, oldest first. */
export async function mailsAbout(flow: Flow, account: SandboxAccount, eventUid: string, folder = 'INBOX'): Promise<Mail[]> {
	const found: Mail[] = [];
	for (const message of await listMessages(flow.sandbox.imap, account, folder)) {
		const part = message.structure ? leafParts(message.structure).find(candidate => candidate.type === 'text/calendar') : undefined;
		if (!part?.part) {
			continue;
		}

		const calendar = await downloadPart(flow.sandbox.imap, account, folder, message.uid, part.part);
		if (calendar.replaceAll(/\r\n[ \t]/g, '').includes(`UID:${eventUid}`)) {
			found.push({uid: message.uid, messageId: message.messageId, method: String(part.parameters?.method ?? ''), calendar});
		}
	}

	return found;
}

export function vevent(calendar: string): ICAL.Component {
	return new ICAL.Component(ICAL.parse(calendar) as unknown[]).getFirstSubcomponent('vevent')!;
}

export function methods(mails: readonly Mail[]): string[] {
	return mails.map(mail => mail.method);
}

/** SEQUENCE and DTSTAMP of a mail's event: equal for a re-sent copy, never for a new version (RFC 5546 §2.1.5). */
export function versionOf(mail: Mail): string {
	const event = vevent(mail.calendar);
	return `${String(event.getFirstPropertyValue('sequence'))} ${String(event.getFirstPropertyValue('dtstamp'))}`;
}
