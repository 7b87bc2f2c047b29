/**
 * Issue 12 item 1: what one crafted reply costs the organizer's side, against a plain reply. The attack is the
 * issue's: 30 RECURRENCE-IDs three centuries ahead of a daily series, from someone not invited. Each reply goes
 * through what a tick does with it: classifyMessage (finding the UID) and applyReply (the decision).
 * Rows besides it: an invitee (who holds the UID) naming as many far occurrences as a reply may carry, and the naive
 * way (the same reply with the step bound lifted, as before issue 12, on one RECURRENCE-ID only: 30 would take minutes).
 * Target: the 30-RECURRENCE-ID reply within 1.5x of the plain reply.
 */
import {performance} from 'node:perf_hooks';
import {applyReply, buildInvite, maxMessageEvents} from '../lib/itip/index.ts';
import {findOccurrence} from '../lib/itip/recurrence.ts';
import {masterOf, parseCalendar} from '../lib/itip/calendar.ts';
import {classifyMessage} from '../lib/reply-loop/index.ts';
import type {ReplyMessage} from '../lib/relay-client/types.ts';

export const name = 'hostile reply: 30 far RECURRENCE-IDs from a stranger vs a plain reply (classify + applyReply)';

const uid = 'bench-daily@example.com';
const organizer = 'org@example.com';
const stored = buildInvite({
	uid, organizer: {email: organizer, name: 'Org'}, attendees: [{email: 'alex@example.org'}, {email: 'sam@example.org'}], summary: 'Daily',
	start: '2026-12-01T10:00', end: '2026-12-01T10:15', timeZone: 'Europe/Berlin', repeat: {freq: 'daily'}, now: new Date('2026-11-01T09:00:00Z'),
}).caldav;

function reply(attendee: string, recurrenceIds: Array<string | undefined>): string {
	const events = recurrenceIds.flatMap(recurrenceId => [
		'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261120T100000Z', 'SEQUENCE:0', ...(recurrenceId ? [`RECURRENCE-ID:${recurrenceId}`] : []),
		`ORGANIZER:mailto:${organizer}`, `ATTENDEE;PARTSTAT=DECLINED:mailto:${attendee}`, 'END:VEVENT',
	]);
	return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Bench//EN', 'METHOD:REPLY', ...events, 'END:VCALENDAR', ''].join('\r\n');
}

const far = (count: number): string[] => Array.from({length: count}, (_unused, index) => `${2326 + index}1201T090000Z`);

function message(calendar: string, from: string): ReplyMessage {
	return {
		folder: 'INBOX', uid: 1, seen: false,
		headers: {from: {name: '', address: from}, sender: null, to: [], subject: 'Declined', messageId: null, date: null, authenticationResults: []},
		calendarParts: [{part: '1', contentType: 'text/calendar', filename: null, encoding: 'utf-8', text: calendar}],
	};
}

/** Median milliseconds of `work` over `runs` runs, after a warm-up. */
function median(work: () => void, runs: number): number {
	for (let index = 0; index < 5; index++) {
		work();
	}

	const times: number[] = [];
	for (let index = 0; index < runs; index++) {
		const started = performance.now();
		work();
		times.push(performance.now() - started);
	}

	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)]!;
}

function tick(calendar: string, from: string): () => void {
	const now = new Date('2026-11-20T12:00:00Z');
	return () => {
		for (const part of classifyMessage(message(calendar, from))) {
			if (part.kind === 'calendar') {
				applyReply(stored, part.text, {senders: [from], me: [organizer], now});
			}
		}
	};
}

export async function run(): Promise<void> {
	const plain = median(tick(reply('alex@example.org', [undefined]), 'alex@example.org'), 200);
	const attack = median(tick(reply('evil@x.test', far(30)), 'evil@x.test'), 200);
	const invitee = median(tick(reply('alex@example.org', far(maxMessageEvents)), 'alex@example.org'), 20);
	const parsed = parseCalendar(stored);
	const master = parsed.ok ? masterOf(parsed.calendar)! : undefined;
	// The naive way: step the RRULE until the date (no bound), as before; one RECURRENCE-ID 300 years ahead.
	let naive = Number.NaN;
	if (master) {
		const started = performance.now();
		findOccurrence(master, [], {kind: 'utc', value: '23261201T090000Z'}, {remaining: Number.MAX_SAFE_INTEGER});
		naive = performance.now() - started;
	}

	const rows = [
		['plain reply (one VEVENT, invited, From matches)', plain],
		['30 far RECURRENCE-IDs from a stranger', attack],
		[`${maxMessageEvents} far RECURRENCE-IDs from an invitee (step bound)`, invitee],
		['naive: stepping to ONE RECURRENCE-ID 300 years ahead, unbounded (1 run)', naive],
	] as const;
	for (const [label, ms] of rows) {
		console.log(`${label.padEnd(66)} ${ms.toFixed(3).padStart(10)} ms  ${(ms / plain).toFixed(2).padStart(8)}x`);
	}

	const ratio = attack / plain;
	console.log(`target: the 30-far-RECURRENCE-ID reply within 1.5x of the plain reply: ${ratio.toFixed(2)}x ${ratio <= 1.5 ? 'PASS' : 'FAIL'}`);
}
