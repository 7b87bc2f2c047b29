/**
 * lib/scheduling: the scheduling Purelymail's CalDAV server does not do (RFC 6638), for meetings made or answered in
 * other calendar apps. One entry point, `scheduleAccount` (over `runScheduling`), called by the background's tick
 * and by the agent's.
 */
export {emptySchedulingState, keptSentRecords, runScheduling} from './run-scheduling.ts';
export {calendarFinder, scheduleAccount, type AccountScheduling, type CalendarFinder} from './for-account.ts';
export {sentSentence} from './sentence.ts';
export {trackedFrom} from './tracked-from.ts';
export {watchCalendar, type ObjectChange, type WatchResult} from './watch.ts';
export type * from './types.ts';
