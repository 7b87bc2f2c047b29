/**
 * Invitations to the flow's user (the account `flow.organizer`, who here receives them): Google Calendar's
 * invitation from the shared fixtures, rewritten at run time to our accounts, delivered for real through the
 * sandbox's SMTP and read by the reply loop through the real relay, with lib/background's invitation wiring.
 */
import {invitationDepsFor} from '../../../lib/background/invitation-deps.ts';
import type {InvitationSettings} from '../../../lib/invitations/types.ts';
import {defaultInvitationSettings} from '../../../lib/invitations/types.ts';
import type {ReplyLoopDeps, TickResult} from '../../../lib/reply-loop/index.ts';
import type {SandboxAccount} from '../../sandbox/index.ts';
import {runTick} from '../../../lib/reply-loop/index.ts';
import {fixtureText, loopDeps, newMessageId, rewrite, rewriteMail, startFromNow, tick, useRelayFlow, type Flow} from './helpers.ts';

export type InvitationMail = {raw: string; uid: string; messageId: string};

let counter = 0;

/** A fresh UID per invitation, Google-shaped. */
export function newUid(): string {
	counter++;
	return `inv${counter}x${Date.now().toString(36)}@google.com`;
}

/**
 * Google's REQUEST (google-REQUEST-nextcloudmail-fixture.eml) from `organizer` to the flow's user, with `from` as the
 * mail's sender (the organizer unless a test forges it), and the given changes to the calendar.
 */
export async function googleInvitation(flow: Pick<Flow, 'organizer'>, options: {
	organizer: SandboxAccount;
	from?: SandboxAccount;
	uid: string;
	summary: string;
	method?: 'REQUEST' | 'CANCEL';
	sequence?: number;
	/** Local start and end in Europe/Berlin, `20250220T190000` form. */
	start?: string;
	end?: string;
}): Promise<InvitationMail> {
	const method = options.method ?? 'REQUEST';
	const messageId = newMessageId(`${options.organizer.id}-${method.toLowerCase()}`);
	const body: Record<string, string> = {
		'alice@example.org': options.organizer.email,
		'bob@example.org': flow.organizer.email,
		'69d4c40b4a274636bf23517938df9673@example.org': options.uid,
		'SUMMARY:Imip Testing': `SUMMARY:${options.summary}`,
		'SEQUENCE:0': `SEQUENCE:${options.sequence ?? 0}`,
		'DTSTART;TZID=Europe/Berlin:20250220T190000': `DTSTART;TZID=Europe/Berlin:${options.start ?? '20261210T190000'}`,
		'DTEND;TZID=Europe/Berlin:20250220T200000': `DTEND;TZID=Europe/Berlin:${options.end ?? '20261210T200000'}`,
		// A later DTSTAMP for each version, as Google writes (RFC 5546 §2.1.5 orders by SEQUENCE, then DTSTAMP).
		'DTSTAMP:20250206T162141Z': `DTSTAMP:${new Date().toISOString().replaceAll(/[-:]/g, '').replace(/\.\d+/, '')}`,
	};
	if (method === 'CANCEL') {
		// Google's CANCEL is the event with METHOD:CANCEL and STATUS:CANCELLED (compare google-CANCEL.ics).
		Object.assign(body, {'method=REQUEST': 'method=CANCEL', 'METHOD:REQUEST': 'METHOD:CANCEL', 'STATUS:CONFIRMED': 'STATUS:CANCELLED'});
	}

	const raw = rewriteMail(await fixtureText('google-REQUEST-nextcloudmail-fixture.eml'), {from: options.from ?? options.organizer, to: flow.organizer, messageId}, body);
	return {raw: rewrite(raw, {'Subject: Invitation: Imip Testing': `Subject: ${method === 'CANCEL' ? 'Canceled' : 'Invitation'}: ${options.summary}`}), uid: options.uid, messageId};
}

/** The loop as lib/background runs it, invitations included, with these invitation settings. */
export function invitationLoopDeps(flow: Flow, settings: Partial<InvitationSettings> = {}, overrides: Partial<ReplyLoopDeps> = {}): ReplyLoopDeps {
	const withInvitations = {...flow.settings, invitations: {...defaultInvitationSettings, ...settings}};
	const context = {settings: withInvitations, account: flow.account, caldav: flow.caldav, relay: flow.relayClient};
	return loopDeps(flow, {invitations: invitationDepsFor(context), ...overrides});
}

export async function invitationTick(flow: Flow, settings: Partial<InvitationSettings> = {}, overrides: Partial<ReplyLoopDeps> = {}): Promise<TickResult> {
	return runTick(invitationLoopDeps(flow, settings, overrides));
}

/**
 * The hooks of an invitation test file: useRelayFlow's, with Alex in the user's CardDAV address book (a contact; Sam
 * is a stranger) and a cursor from now before each test.
 */
export function useInvitationFlow(started: (flow: Flow) => void): void {
	useRelayFlow(started, {
		async afterStart(flow) {
			await flow.sandbox.caldavControl!.addContact(flow.organizer, {name: flow.alex.name, email: flow.alex.email});
		},
		beforeEach: startFromNow,
	});
}

export {tick};
