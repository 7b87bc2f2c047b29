/** A calendar-app SchedulingStore in memory (lib/scheduling), for tests and benchmarks that do not test storage. */
import type {AdoptedEvent, SchedulingState, SchedulingStore, SentRecord} from '../../lib/scheduling/index.ts';

/** `log` lists what was sent, `adopted` the meetings made ours (their ETags are then our own writes). */
export function memorySchedulingStore(): SchedulingStore & {log: SentRecord[]; adopted: AdoptedEvent[]} {
	let state: SchedulingState = {calendars: {}, outbox: []};
	const log: SentRecord[] = [];
	const adopted: AdoptedEvent[] = [];
	return {
		log,
		adopted,
		async load() {
			return structuredClone(state);
		},
		async save(next) {
			state = structuredClone(next);
		},
		async ownEtags() {
			return new Map(adopted.map(event => [event.uid, event.etag]));
		},
		async adopt(event) {
			adopted.push(event);
		},
		async recordSent(record) {
			state = {...state, outbox: state.outbox.filter(entry => entry.id !== record.id)};
			log.push(record);
		},
	};
}
