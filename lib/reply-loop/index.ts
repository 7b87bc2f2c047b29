/** lib/reply-loop: fetch new replies through the relay and write each answer to the CalDAV event, exactly once. */
export {applyReplies, type AppliedReplies, type PendingReply} from './apply-replies.ts';
export {classifyMessage, type ClassifiedPart} from './classify-message.ts';
export {messageKey} from './message-key.ts';
export {CalendarPortError} from './ports.ts';
export type {CalendarDecision, CalendarFailureKind, CalendarPort, RelayPort, ReplyLoopDeps, ReplyLoopState, ReplyLoopStore} from './ports.ts';
export {defaultTickBudgetMs, parkedRetryAt, runTick, type AppliedAnswer, type TickResult} from './run-tick.ts';
export {replyContextOf, type MailOrigin, type ReplyContextOptions} from './reply-context.ts';
export {compactOutcome, maxOutcomeBytes} from './compact-outcome.ts';
export {singleFlight, type SingleFlight} from './single-flight.ts';
export {caldavCalendarPort} from './caldav-port.ts';
