/** The proposal of a review item, when it is a readable COUNTER (RFC 5546 §3.2.7) about one of our events. */
import {readCounterProposal, type CounterProposal} from '../itip/index.ts';
import type {MessageOutcome} from '../model.ts';

export function proposalOf(outcome: MessageOutcome): CounterProposal | undefined {
	if (!outcome.calendar || !outcome.eventUid) {
		return undefined;
	}

	return readCounterProposal(outcome.calendar, outcome.from ? [outcome.from] : []);
}
