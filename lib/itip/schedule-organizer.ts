/**
 * The organizer's side of calendar-app scheduling (RFC 6638 §3.2.1 done by us, since Purelymail's server does not):
 * a meeting the user made or changed in another app → REQUEST, CANCEL. The significance rule is the Edit flow's
 * (organizer-change.ts); the CANCELs come from buildCancel, as when the user cancels from the popup.
 */
import ICAL from 'ical.js';
import {addressOf} from './attendee-state.ts';
import {changedFields, componentKey, organizerOf} from './attendee-copy.ts';
import {buildCancel} from './build-cancel.ts';
import {cloneComponent, eventsOf, masterOf, revisionOf, utcStamp, withMethod} from './calendar.ts';
import {isoOfKey, keyOfProperty} from './instants.ts';
import {isSignificant, resetsAnswers} from './organizer-change.ts';
import {resetAnswers} from './reset-answers.ts';
import {schedulesItself, type ScheduledChange, type ScheduleMessage} from './schedule-types.ts';
import {serialize} from './serialize.ts';
import type {ChangedField} from './types.ts';

type Result = Pick<ScheduledChange, 'messages' | 'writeBack' | 'skipped'>;

/** Parameters only a scheduling server and its clients use (RFC 6638 §7); left out of the mail we send. */
const schedulingParameters = ['schedule-agent', 'schedule-status', 'schedule-force-send'];

function organizerAddress(calendar: ICAL.Component): string {
	const organizer = organizerOf(calendar);
	return organizer ? addressOf(organizer) : '';
}

/** Attendees we send to: everyone but the user, except those whose app schedules for them (RFC 6638 §7.1). */
function recipients(calendar: ICAL.Component, me: ReadonlySet<string>): string[] {
	const seen = new Set<string>();
	const skipped = new Set<string>();
	for (const event of eventsOf(calendar)) {
		for (const property of event.getAllProperties('attendee')) {
			const address = addressOf(property);
			if (!address || me.has(address)) {
				continue;
			}

			(schedulesItself(property) ? skipped : seen).add(address);
		}
	}

	return [...seen].filter(address => !skipped.has(address));
}

function attendeesOf(calendar: ICAL.Component, me: ReadonlySet<string>): Set<string> {
	return new Set(eventsOf(calendar).flatMap(event => event.getAllProperties('attendee').map(property => addressOf(property))).filter(address => address && !me.has(address)));
}

/** The iTIP copy of a calendar object: METHOD, this change's DTSTAMP, no alarms, no RFC 6638 parameters. */
function itipCopy(calendar: ICAL.Component, method: 'REQUEST', stamp: ICAL.Time): string {
	const work = withMethod(cloneComponent(calendar), method);
	for (const event of eventsOf(work)) {
		// RFC 5546 §2.1.5: with the same SEQUENCE, the later DTSTAMP is the newer version.
		event.updatePropertyWithValue('dtstamp', stamp.clone());
		for (const alarm of event.getAllSubcomponents('valarm')) {
			event.removeSubcomponent(alarm);
		}

		for (const property of [...event.getAllProperties('attendee'), ...event.getAllProperties('organizer')]) {
			for (const name of schedulingParameters) {
				property.removeParameter(name);
			}
		}
	}

	return serialize(work);
}

function isCancelled(calendar: ICAL.Component): boolean {
	return String(masterOf(calendar)?.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
}

/** What changed between the two versions, component by component (an override added or removed changes the series). */
function changesBetween(old: ICAL.Component, now: ICAL.Component): ChangedField[] {
	const calendars = [old, now];
	const byKey = (calendar: ICAL.Component): Map<string, ICAL.Component> => new Map(eventsOf(calendar).map(event => [componentKey(event, calendars), event]));
	const before = byKey(old);
	const after = byKey(now);
	const changed = new Set<ChangedField>();
	for (const key of new Set([...before.keys(), ...after.keys()])) {
		const a = before.get(key);
		const b = after.get(key);
		if (!a || !b) {
			changed.add('repeat');
			continue;
		}

		for (const field of changedFields(a, b, calendars)) {
			if (field !== 'attendees') {
				changed.add(field);
			}
		}
	}

	return [...changed];
}

/** EXDATE values of the master as ISO instants (one property may hold several). */
function exdates(calendar: ICAL.Component): Set<string> {
	const master = masterOf(calendar);
	const values = new Set<string>();
	for (const property of master?.getAllProperties('exdate') ?? []) {
		const [name, parameters, type, ...list] = property.toJSON() as [string, Record<string, unknown>, string, ...unknown[]];
		for (const value of list) {
			const key = keyOfProperty(new ICAL.Property([name, parameters, type, value]), [calendar]);
			if (key) {
				values.add(isoOfKey(key));
			}
		}
	}

	return values;
}

/** The old version with the new version's EXDATEs: equal to the new one when deleting occurrences was all that happened. */
function withExdatesOf(old: ICAL.Component, now: ICAL.Component): ICAL.Component {
	const work = cloneComponent(old);
	const master = masterOf(work);
	master?.removeAllProperties('exdate');
	for (const property of masterOf(now)?.getAllProperties('exdate') ?? []) {
		master?.addProperty(new ICAL.Property(structuredClone(property.toJSON()) as unknown[]));
	}

	return work;
}

function cancelMessage(stored: ICAL.Component, reason: ScheduleMessage['reason'], options: Parameters<typeof buildCancel>[1], me: ReadonlySet<string>): ScheduleMessage | undefined {
	const built = buildCancel(serialize(withMethod(stored, undefined)), options);
	const allowed = new Set(recipients(stored, me));
	const to = built.recipients.filter(address => allowed.has(address));
	return to.length > 0 ? {method: 'CANCEL', reason, calendar: built.cancel, recipients: to} : undefined;
}

/**
 * @param old The meeting as last seen, when the user organized it then.
 * @param now The meeting now, when the user organizes it now (undefined: deleted, or no attendees left).
 */
export function scheduleAsOrganizer(old: ICAL.Component | undefined, now: ICAL.Component | undefined, me: ReadonlySet<string>, at: Date): Result {
	const current = now ?? old!;
	if (schedulesItself(organizerOf(current))) {
		return {messages: [], skipped: 'The calendar app sends this meeting\'s invitations itself (SCHEDULE-AGENT on the organizer, RFC 6638 §7.1).'};
	}

	const stamp = utcStamp(at);
	try {
		// Deleted (RFC 6638 §3.2.1.3): everyone invited gets a CANCEL, unless it was cancelled already.
		if (!now) {
			const message = isCancelled(old!) ? undefined : cancelMessage(old!, 'deleted', {now: at}, me);
			return {messages: message ? [message] : []};
		}

		// New (RFC 6638 §3.2.1.1): a REQUEST to every attendee.
		if (!old) {
			const to = recipients(now, me);
			return {messages: !isCancelled(now) && to.length > 0 ? [{method: 'REQUEST', reason: 'new', calendar: itipCopy(now, 'REQUEST', stamp), recipients: to}] : []};
		}

		// Cancelled in the app (STATUS:CANCELLED, as Thunderbird does): a CANCEL to everyone.
		if (isCancelled(now)) {
			const message = isCancelled(old) ? undefined : cancelMessage(old, 'deleted', {now: at}, me);
			return {messages: message ? [message] : []};
		}

		return modified(old, now, me, at, stamp);
	} catch (error) {
		return {messages: [], skipped: `Nothing was sent: ${error instanceof Error ? error.message : String(error)}`};
	}
}

function modified(old: ICAL.Component, now: ICAL.Component, me: ReadonlySet<string>, at: Date, stamp: ICAL.Time): Result {
	const organizer = organizerAddress(now);
	const before = attendeesOf(old, me);
	const after = attendeesOf(now, me);
	const added = [...after].filter(address => !before.has(address));
	const removed = [...before].filter(address => !after.has(address));
	const changed = changesBetween(old, now);
	const messages: ScheduleMessage[] = [];

	// Only occurrences deleted (new EXDATEs, RFC 6638 §3.2.1.2): a CANCEL for each, nothing else.
	const newExdates = [...exdates(now)].filter(value => !exdates(old).has(value));
	const onlyExdates = newExdates.length > 0 && added.length === 0 && removed.length === 0 && changesBetween(withExdatesOf(old, now), now).length === 0;
	const work = cloneComponent(now);
	const sequence = revisionOf(old) + 1;
	const significant = onlyExdates || isSignificant(changed, removed.length);
	// RFC 5546 §2.1.4: the organizer MUST raise SEQUENCE for a significant change; many apps do not.
	let writeNeeded = false;
	if (significant && revisionOf(now) < sequence) {
		for (const event of eventsOf(work)) {
			event.updatePropertyWithValue('sequence', sequence);
		}

		writeNeeded = true;
	}

	if (resetsAnswers(changed) && !onlyExdates) {
		const beforeReset = JSON.stringify(work.toJSON());
		for (const event of eventsOf(work)) {
			resetAnswers(event, organizer);
		}

		writeNeeded ||= JSON.stringify(work.toJSON()) !== beforeReset;
	}

	if (onlyExdates) {
		for (const recurrenceId of newExdates) {
			const message = cancelMessage(old, 'occurrence-deleted', {recurrenceId, now: at}, me);
			if (message) {
				messages.push(message);
			}
		}
	} else {
		const textChanged = changed.some(field => field === 'summary' || field === 'description' || field === 'status');
		const remaining = recipients(work, me);
		if ((significant || textChanged) && remaining.length > 0) {
			// Details only (title, description): the same SEQUENCE with a later DTSTAMP, so attendees see it (RFC 5546 §2.1.5).
			messages.push({method: 'REQUEST', reason: significant ? 'changed' : 'details', calendar: itipCopy(work, 'REQUEST', stamp), recipients: remaining, changed});
		} else if (added.length > 0) {
			const allowed = new Set(remaining);
			const to = added.filter(address => allowed.has(address));
			if (to.length > 0) {
				messages.push({method: 'REQUEST', reason: 'added', calendar: itipCopy(work, 'REQUEST', stamp), recipients: to});
			}
		}

		if (removed.length > 0) {
			const message = cancelMessage(old, 'removed', {attendees: removed, now: at}, me);
			if (message) {
				messages.push(message);
			}
		}
	}

	return {messages, ...(writeNeeded ? {writeBack: serialize(withMethod(work, undefined))} : {})};
}
