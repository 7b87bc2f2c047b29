/**
 * Every stored value of the extension, one `storage.defineItem` each, versioned from 1 with WXT's migrations.
 * All in storage.local: the account never goes to storage.sync.
 */
import {storage} from '#imports';
import {defaultRelayUrl, purelymailServers, type Account, type LoopStatus, type MessageOutcome, type Settings, type TrackedEvent} from './model.ts';
import {noContacts, type ContactsCopy} from './contacts/types.ts';
import type {ReceivedInvitation} from './invitations/types.ts';
import type {PlainAnswer, SentInvitation} from './plain-answers/types.ts';
import type {RepliesCursor} from './relay-client/types.ts';
import type {InvitationRecord} from './attendee/types.ts';
import type {SchedulingState, SentRecord} from './scheduling/types.ts';
import type {AgentMarker} from './agent/marker.ts';

export const defaultSettings: Settings = {
	servers: structuredClone(purelymailServers) as Settings['servers'],
	calendarUrl: null,
	relayMode: 'native',
	relayUrl: defaultRelayUrl,
	relayToken: '',
	pollMinutes: 1,
	notifications: true,
	webmailOrigins: [],
	scheduleOtherApps: false,
};

/** The last this many message outcomes are kept. */
export const keptOutcomes = 500;

export const settingsItem = storage.defineItem<Settings>('local:settings', {
	fallback: defaultSettings,
	version: 2,
	migrations: {
		// Version 1 knew only the HTTP relay, with a token the user had pasted.
		2: (old: Omit<Settings, 'relayMode'>): Settings => ({...old, relayMode: 'http'}),
	},
});

export const accountItem = storage.defineItem<Account | null>('local:account', {fallback: null, version: 1});

/** Events we organized, by UID. */
export const eventsItem = storage.defineItem<Record<string, TrackedEvent>>('local:events', {fallback: {}, version: 1});

/** Events the user was invited to and keeps in their calendar (lib/attendee), by UID. */
export const invitationsItem = storage.defineItem<Record<string, InvitationRecord>>('local:invitations', {fallback: {}, version: 1});

/** Invitations the reply loop found for the user, by UID: the mail, and those listed but not added (lib/invitations). */
export const receivedItem = storage.defineItem<Record<string, ReceivedInvitation>>('local:received-invitations', {fallback: {}, version: 1});

/** The ETag-synced copy of the user's CardDAV address books (lib/contacts). */
export const contactsItem = storage.defineItem<ContactsCopy>('local:contacts', {fallback: noContacts, version: 1});

/** Newest last. */
export const outcomesItem = storage.defineItem<MessageOutcome[]>('local:outcomes', {fallback: [], version: 1});

/** Where the relay's last poll stopped; moves only after the outcomes of the messages before it are stored. */
export const cursorItem = storage.defineItem<RepliesCursor | null>('local:cursor', {fallback: null, version: 1});

export const loopStatusItem = storage.defineItem<LoopStatus>('local:loop-status', {
	fallback: {lastCheck: null, lastError: null, unseenAnswers: 0},
	version: 1,
});

/** Calendar-app scheduling (lib/scheduling): the watched calendars' shadows and the outbox; and what was sent, newest last. */
export const schedulingStateItem = storage.defineItem<SchedulingState>('local:scheduling', {fallback: {calendars: {}, outbox: []}, version: 1});
export const schedulingLogItem = storage.defineItem<SentRecord[]>('local:scheduling-log', {fallback: [], version: 1});

/** The always-on agent's marker as last read from the calendar (lib/background/agent-hand-over.ts); null: none. */
export const agentMarkerItem = storage.defineItem<AgentMarker | null>('local:agent-marker', {fallback: null, version: 1});

/** Per event UID, the invitations mailed for it (Message-IDs, subjects): what a plain-mail answer may name. */
export const sentInvitationsItem = storage.defineItem<Record<string, SentInvitation>>('local:sent-invitations', {fallback: {}, version: 1});

/** Answers to our invitations that came as plain mail ("Sam answered by e-mail: …"), newest last. */
export const plainAnswersItem = storage.defineItem<PlainAnswer[]>('local:plain-answers', {fallback: [], version: 1});

let storageQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs read-modify-write work on stored values one at a time. The reply loop, the invite flow and the popup's
 * actions all rewrite the events map; run at once, the last writer would drop the others' changes. They all run in
 * the one background worker, so a queue there is enough.
 */
export async function withStorageLock<T>(work: () => Promise<T>): Promise<T> {
	const result = storageQueue.then(work);
	storageQueue = result.catch(() => undefined);
	return result;
}
