/**
 * lib/scheduling: the scheduling Purelymail's CalDAV server does not do (RFC 6638), for meetings made or answered in
 * other calendar apps. One entry point, `runScheduling`, called by the background's tick and by the agent.
 */
export {emptySchedulingState, runScheduling} from './run-scheduling.ts';
export {specOf} from './event-spec.ts';
export {sentSentence} from './sentence.ts';
export {watchCalendar, type ObjectChange, type WatchResult} from './watch.ts';
export type * from './types.ts';
