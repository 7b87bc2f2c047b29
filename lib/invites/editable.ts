import type {TrackedEvent} from '../model.ts';

/**
 * Whether Edit may open an event: the extension stores it (every record is an event the user organizes, sent by the
 * invite flows or adopted by calendar-app scheduling) and it is not cancelled. The invitation card's Edit and the
 * rule that lets the webmail page ask for the editor (lib/messaging.ts, `payloadRules`) both ask this.
 */
export function isEditable(tracked: TrackedEvent | undefined): tracked is TrackedEvent {
	return tracked !== undefined && !tracked.cancelled;
}
