/**
 * Set-up shared by the benchmarks that run the reply loop on the sandbox: events the organizer sent, PUT straight
 * to Radicale (buildInvite's CalDAV copy, no mail sent) with the extension's record of each, and the iMIP REPLY
 * mail an attendee's client would send back.
 */
import {attendeeStatuses, buildInvite} from '../lib/itip/index.ts';
import type {CaldavClient} from '../lib/caldav/index.ts';
import type {TrackedEvent} from '../lib/model.ts';
import {makeReply, type ReplySpec} from '../tests/helpers/make-reply.ts';

export async function inParallel<T>(items: readonly T[], workers: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(Array.from({length: workers}, async () => {
		while (next < items.length) {
			const item = items[next++]!;
			await work(item);
		}
	}));
}

export type EventsSpec = {
	caldav: CaldavClient;
	calendarUrl: string;
	organizer: {email: string; name: string};
	count: number;
	/** The attendees of event `index`. */
	attendees(index: number): string[];
	/** Each UID is `<uidPrefix>-<index>@sandbox.test`. */
	uidPrefix: string;
	now: Date;
};

/** Writes `count` events to the calendar, four at a time; returns them in order, as the extension tracks them. */
export async function putTrackedEvents(spec: EventsSpec): Promise<TrackedEvent[]> {
	const events: TrackedEvent[] = [];
	const {now} = spec;
	await inParallel(Array.from({length: spec.count}, (_unused, index) => index), 4, async index => {
		const invite = {
			uid: `${spec.uidPrefix}-${index}@sandbox.test`,
			organizer: spec.organizer,
			attendees: spec.attendees(index).map(email => ({email})),
			summary: `Meeting ${index}`,
			start: '2026-12-01T16:00',
			end: '2026-12-01T17:00',
			timeZone: 'Europe/Berlin',
			now,
		};
		const built = buildInvite(invite);
		const written = await spec.caldav.createEvent(spec.calendarUrl, built.uid, built.caldav);
		events[index] = {
			uid: built.uid, href: written.href, etag: written.etag ?? '', calendarUrl: spec.calendarUrl, summary: invite.summary,
			start: '2026-12-01T15:00:00Z', end: '2026-12-01T16:00:00Z', timeZone: invite.timeZone, allDay: false, sequence: 0,
			attendees: attendeeStatuses(built.caldav), delivery: {state: 'sent', at: now.toISOString(), rejected: []},
			cancelled: false, spec: invite, createdAt: now.toISOString(), updatedAt: now.toISOString(),
		};
	});
	return events;
}

/** The attendee's REPLY as a single-part iMIP mail (RFC 6047 §2.4); `id` makes its Message-ID unique. */
export function replyMail(reply: ReplySpec, id: string): Buffer {
	return Buffer.from([
		`From: <${reply.attendee}>`,
		`To: <${reply.organizer}>`,
		`Subject: Reply ${id}`,
		`Message-ID: <bench-${id}@example.org>`,
		`Date: ${new Date().toUTCString()}`,
		'MIME-Version: 1.0',
		'Content-Type: text/calendar; charset=utf-8; method=REPLY',
		'Content-Transfer-Encoding: 7bit',
		'',
		makeReply(reply),
	].join('\r\n'));
}
