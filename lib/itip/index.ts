/**
 * lib/itip: iTIP (RFC 5546) on ical.js. Pure functions from iCalendar text to iCalendar text and decisions; no I/O.
 */
export {applyReply} from './apply-reply.ts';
export {checkEnvelope, countEvents, isInvited, maxMessageEvents, tooManyEventsReason, type Envelope, type EnvelopeVerdict, type ReviewFinding} from './envelope.ts';
export {cap, cleanLine, cleanText, maxCommentLength, maxNameLength, maxShortLength} from './clean-text.ts';
export {keptReply, maxKeptReplyLength} from './kept-reply.ts';
export {lookalikeWarnings, mixesScripts} from './lookalike.ts';
export {maxOccurrenceSteps} from './recurrence.ts';
export {buildCancel} from './build-cancel.ts';
export {buildDeclineCounter, type BuiltDeclineCounter} from './build-decline-counter.ts';
export {buildInvite} from './build-invite.ts';
export {buildOccurrenceUpdate, type BuiltOccurrenceUpdate, type OccurrenceChanges} from './build-occurrence-update.ts';
export {buildReply} from './build-reply.ts';
export {process} from './process.ts';
export {buildUpdate} from './build-update.ts';
export {readCounterProposal} from './read-counter.ts';
export {replyFromTnef, type TnefMeetingResponse} from './tnef-reply.ts';
export {InvalidSpecError, InvalidStoredEventError} from './errors.ts';
export {ianaZoneName, vtimezoneFor, isKnownTimeZone} from './timezones.ts';
export {organizerTrustProblem} from './organizer-trust.ts';
export type {Envelope as OrganizerEnvelope, TrustProblem} from './organizer-trust.ts';
export {foldLine, serialize} from './serialize.ts';
export {attendeeStatuses, calendarHead, eventFacts, eventSequence, eventTimes, requestFromStored, storedCopyOf} from './describe.ts';
export {inviteSpecOf} from './event-spec.ts';
export {invitationDetails, type DetailsPerson, type InvitationDetails} from './invitation-details.ts';
export {storedMeeting, type StoredMeeting} from './stored-meeting.ts';
export type {RepeatRule} from './repeat-rule.ts';
export {invitationFacts, myPartstat, type InvitationFacts} from './invitation-facts.ts';
export type {
	Answer,
	ApplyReplyResult,
	BuiltReply,
	ChangedField,
	ProcessContext,
	ProcessResult,
	ReplyOptions,
	ReviewCode,
	AttendeeSpec,
	BuiltCancel,
	BuiltInvite,
	BuiltUpdate,
	CancelOptions,
	CounterProposal,
	EventChanges,
	InviteSpec,
	PartStat,
	RepeatSpec,
	ReplyChange,
	ReplyContext,
	ReviewCheck,
	ReplyOutcome,
	Weekday,
} from './types.ts';
export {changesToMessages, schedulingRole, type ScheduledChange, type ScheduleMessage, type ScheduleReason, type SchedulingRole} from './schedule-changes.ts';
export {isMailedVersion, mailedStampProperty, withMailedStamp, withoutMailedStamp} from './mailed-stamp.ts';
