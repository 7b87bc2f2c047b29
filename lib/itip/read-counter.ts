/**
 * The proposal a COUNTER (RFC 5546 §3.2.7) carries, read again from its text: for the popup, which shows it beside
 * the event's current time, and for "Accept proposal". The same reading as applyReply's (counter.ts).
 */
import {eventsOf, parseCalendar} from './calendar.ts';
import {processCounter} from './counter.ts';
import type {CounterProposal} from './types.ts';

/** The proposal, or undefined when the text is not a readable COUNTER. */
export function readCounterProposal(counter: string, senders: readonly string[]): CounterProposal | undefined {
	const parsed = parseCalendar(counter);
	if (!parsed.ok || String(parsed.calendar.getFirstPropertyValue('method') ?? '').toUpperCase() !== 'COUNTER') {
		return undefined;
	}

	const events = eventsOf(parsed.calendar);
	if (events.length === 0) {
		return undefined;
	}

	return processCounter(counter, parsed.calendar, parsed.calendar, events, {senders, me: []}).proposal;
}
