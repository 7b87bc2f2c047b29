/**
 * COUNTER (RFC 5546 §3.2.7): an attendee proposes changes, usually a new time. We parse the proposal and hand it to
 * a person (`review`); accepting it (a new REQUEST) or declining it (DECLINECOUNTER, §3.2.8) is later work.
 */
import ICAL from 'ical.js';
import {normalizeAddress} from '../address.ts';
import {addressOf} from './attendee-state.ts';
import {isoOfKey, keyOfProperty, rawTime} from './instants.ts';
import type {ApplyReplyResult, CounterProposal, ReplyContext} from './types.ts';

/** Proposed end: DTEND, or DTSTART + DURATION (RFC 5545 §3.8.2.5), as an ISO string. */
function proposedEnd(event: ICAL.Component, calendars: readonly ICAL.Component[]): string | undefined {
	const end = event.getFirstProperty('dtend');
	if (end) {
		const key = keyOfProperty(end, calendars);
		return key ? isoOfKey(key) : undefined;
	}

	const start = event.getFirstProperty('dtstart');
	let durationValue: unknown;
	try {
		durationValue = event.getFirstProperty('duration')?.getFirstValue();
	} catch {
		// A malformed DURATION: no proposed end.
		return undefined;
	}

	const startKey = start ? keyOfProperty(start, calendars) : undefined;
	const raw = start ? rawTime(start) : undefined;
	if (!startKey || !raw || !(durationValue instanceof ICAL.Duration)) {
		return undefined;
	}

	// Add the duration to the start instant (UTC) or to the floating/date value.
	const base = startKey.kind === 'utc'
		? ICAL.Time.fromDateTimeString(isoOfKey(startKey))
		: raw.time.clone();
	base.addDuration(durationValue);
	const iso = base.toString();
	return startKey.kind === 'utc' && !iso.endsWith('Z') ? `${iso}Z` : iso;
}

export function processCounter(
	stored: string,
	storedCalendar: ICAL.Component,
	counterCalendar: ICAL.Component,
	counterEvents: readonly ICAL.Component[],
	context: ReplyContext,
): ApplyReplyResult {
	const event = counterEvents[0]!;
	const calendars = [counterCalendar, storedCalendar];
	const organizer = event.getFirstProperty('organizer');
	const organizerAddress = organizer ? addressOf(organizer) : '';
	const attendees = event.getAllProperties('attendee').map(property => addressOf(property)).filter(address => address && address !== organizerAddress);
	const senders = (context.senders ?? []).map(address => normalizeAddress(address));
	// The proposer is whoever sent it, if listed; a COUNTER from a single attendee names only them.
	const proposer = attendees.find(address => senders.includes(address)) ?? (attendees.length === 1 ? attendees[0]! : senders[0] ?? '');

	const proposal: CounterProposal = {attendee: proposer};
	const start = event.getFirstProperty('dtstart');
	const startKey = start ? keyOfProperty(start, calendars) : undefined;
	if (startKey) {
		proposal.start = isoOfKey(startKey);
	}

	const end = proposedEnd(event, calendars);
	if (end) {
		proposal.end = end;
	}

	const recurrence = event.getFirstProperty('recurrence-id');
	const recurrenceKey = recurrence ? keyOfProperty(recurrence, calendars) : undefined;
	if (recurrenceKey) {
		proposal.recurrenceId = isoOfKey(recurrenceKey);
	}

	const comments = event.getAllProperties('comment').map(property => String(property.getFirstValue() ?? '')).filter(Boolean);
	if (comments.length > 0) {
		proposal.comment = comments.join('\n');
	}

	const who = proposer || 'An attendee';
	const when = proposal.start ? ` ${proposal.start}${proposal.end ? ` to ${proposal.end}` : ''}` : ' changes to the event';
	const occurrence = proposal.recurrenceId ? ` for the occurrence of ${proposal.recurrenceId}` : '';
	return {
		outcome: 'review',
		reason: `${who} proposes${when}${occurrence} (COUNTER); accepting or declining it is up to you.`,
		changes: [],
		event: stored,
		proposal,
	};
}
