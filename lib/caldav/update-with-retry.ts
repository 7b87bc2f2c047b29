/**
 * The read-modify-write loop under the reply loop: read the event, let `decide` apply the change, write it back
 * with If-Match. A 412 means someone wrote in between (RFC 7232 §4.2); then read again and apply the same decision
 * to the new text, so both their change and ours survive. No lost update, never a blind overwrite.
 */
import {readEvent, updateEvent} from './calendar-objects.ts';
import {CaldavConflict} from './errors.ts';
import type {Connection} from './request.ts';
import type {Decide, Decision, UpdateWithRetryOptions, UpdateWithRetryResult} from './types.ts';

function isDecision(value: unknown): value is Decision {
	if (typeof value !== 'object' || value === null) {
		return false;
	}

	const {ics, unchanged} = value as {ics?: unknown; unchanged?: unknown};
	return (unchanged === true && ics === undefined) || (typeof ics === 'string' && unchanged === undefined);
}

/**
 * Applies `decide` to the event at `href` and writes the result, retrying on 412 up to `attempts` rounds.
 * Each round is one GET and at most one PUT. `decide` returning `{unchanged: true}`, or the text it was given,
 * writes nothing (that is how a replayed reply stays a no-op).
 * @throws {CaldavConflict} with `attempts` set, when every round lost the race (the reply loop then asks for review)
 * @throws {CaldavNotFound} when the event is gone; {CaldavUnavailable} when the server does not answer (nothing
 * is retried here: wrap the call in `withBackoff`)
 */
export async function updateWithRetry(connection: Connection, href: string, decide: Decide, options: UpdateWithRetryOptions = {}): Promise<UpdateWithRetryResult> {
	const {attempts = 4, signal} = options;
	if (!Number.isInteger(attempts) || attempts < 1) {
		throw new TypeError('attempts must be a whole number of at least 1');
	}

	if (typeof decide !== 'function') {
		throw new TypeError('decide must be a function');
	}

	let lastConflict: CaldavConflict | undefined;
	for (let attempt = 1; attempt <= attempts; attempt++) {
		const current = await readEvent(connection, href, {signal});
		const decision: unknown = await decide(current.ics, current.etag);
		if (!isDecision(decision)) {
			throw new TypeError('decide must return {ics: string} or {unchanged: true}');
		}

		if ('unchanged' in decision || decision.ics === current.ics) {
			return {status: 'unchanged', href: current.href, etag: current.etag, ics: current.ics, attempts: attempt};
		}

		try {
			const written = await updateEvent(connection, current.href, decision.ics, current.etag, {signal});
			return {status: 'updated', href: written.href, etag: written.etag, ics: decision.ics, attempts: attempt};
		} catch (error) {
			if (!(error instanceof CaldavConflict)) {
				throw error;
			}

			lastConflict = error;
		}
	}

	throw new CaldavConflict(`PUT ${href}: the event changed under us in each of ${attempts} attempts`, {
		method: 'PUT', url: href, status: 412, attempts, cause: lastConflict,
	});
}
