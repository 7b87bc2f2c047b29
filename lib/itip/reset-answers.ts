/**
 * RFC 5546 §2.1.4: after a change of time, earlier answers no longer hold, so every attendee is asked again
 * (PARTSTAT=NEEDS-ACTION, RSVP=TRUE). The organizer's own entry stays; a delegator (PARTSTAT=DELEGATED) has handed
 * over to the delegate, who is asked instead.
 */
import type ICAL from 'ical.js';
import {addressOf, readState, writeState} from './attendee-state.ts';

export function resetAnswers(component: ICAL.Component, organizer: string): void {
	for (const property of component.getAllProperties('attendee')) {
		const state = readState(property);
		if (addressOf(property) !== organizer && state.partstat !== 'DELEGATED') {
			writeState(property, {...state, partstat: 'NEEDS-ACTION', rsvp: 'TRUE', comment: undefined, requestStatus: undefined});
		}
	}
}
