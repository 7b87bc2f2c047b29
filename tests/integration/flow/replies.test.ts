/**
 * Replies from real clients, delivered for real into the organizer's INBOX (SMTP with AUTH as the attendee,
 * LMTP into Dovecot), end as the right PARTSTAT on Radicale after one tick of the reply loop through the real
 * relay (issue 6, "Must show"). The replies are the shared fixtures, rewritten in memory to our events:
 * Google (a bare .ics, mailed the way Google mails it), Fastmail/Cyrus per occurrence (RECURRENCE-ID with TZID,
 * one and two occurrences of a daily series) and a reply without ORGANIZER.
 */
import {describe, expect, test} from 'vitest';
import {applyAnyway} from '../../../lib/background/apply-anyway.ts';
import {agentMarkerProperty, markerText, type AgentMarker} from '../../../lib/agent/index.ts';
import {createReplyChecker} from '../../../lib/background/check-replies.ts';
import {writeCollectionProperty} from '../../../lib/caldav/collection-property.ts';
import {createInvite, type InviteDeps} from '../../../lib/invites/index.ts';
import type {TickResult} from '../../../lib/reply-loop/index.ts';
import {accountItem, agentMarkerItem, eventsItem, loopStatusItem, settingsItem} from '../../../lib/storage.ts';
import {
	assertOnePerMessage, fixtureText, invite, inviteDeps, newMessageId, readBack, replyMail, rewrite, rewriteMail, sendAs, startFromNow,
	storedOutcomes, tick, writesTo, useRelayFlow, type Flow,
} from './helpers.ts';

let flow: Flow;

useRelayFlow(started => {
	flow = started;
});

describe('one tick applies real-client replies', () => {
	test('Google, Fastmail per occurrence and a reply without ORGANIZER: the right PARTSTAT on Radicale, one write per event', async () => {
		// Three invitations, as the user sends them (CalDAV first, then the REQUEST mail).
		const google = await invite(flow, {summary: 'Project sync'});
		const series = await invite(flow, {
			summary: 'Daily stand-up', start: '2026-12-07T09:00', end: '2026-12-07T10:00', timeZone: 'Australia/Melbourne',
			repeat: {freq: 'daily', count: 5},
		});
		const outlook = await invite(flow, {summary: 'Quarterly planning'});

		// Google: alex declines, sam is tentative (bare .ics fixtures, mailed as Google mails them).
		const googleDeclined = rewrite(await fixtureText('google-REPLY-declined.ics'), {
			'cccc@nylas.com': google.tracked.uid, 'test2@example.com': flow.organizer.email, 'karim@example.com': flow.alex.email,
		});
		const googleTentative = rewrite(await fixtureText('google-REPLY-tentative-xmicrosoft-cdo.ics'), {
			'cccc@nylas.com': google.tracked.uid, 'test2@example.com': flow.organizer.email, 'test1@example.com': flow.sam.email,
		});
		await sendAs(flow, flow.alex, replyMail({from: flow.alex, to: flow.organizer, subject: 'Declined: Project sync', calendar: googleDeclined, messageId: newMessageId('google-declined')}));
		await sendAs(flow, flow.sam, replyMail({from: flow.sam, to: flow.organizer, subject: 'Tentatively accepted: Project sync', calendar: googleTentative, messageId: newMessageId('google-tentative')}));

		// Fastmail/Cyrus: alex answers the second occurrence, sam the second and third (RECURRENCE-ID;TZID=Australia/Melbourne).
		const fastmail = {
			'09b59913-30b2-4f90-982a-7ce6e2a56655': series.tracked.uid,
			'cassandane@example.com': flow.organizer.email,
			'20230629T090000': '20261208T090000',
		};
		await sendAs(flow, flow.alex, rewriteMail(await fixtureText('fastmail-REPLY-single-instance-recurrence-id.eml'),
			{from: flow.alex, to: flow.organizer, messageId: newMessageId('fastmail-single')},
			{...fastmail, 'foo@example.net': flow.alex.email}));
		await sendAs(flow, flow.sam, rewriteMail(await fixtureText('fastmail-REPLY-two-instances-recurrence-id.eml'),
			{from: flow.sam, to: flow.organizer, messageId: newMessageId('fastmail-two')},
			{...fastmail, '20230630T090000': '20261209T090000', 'foo@example.net': flow.sam.email}));

		// A reply without ORGANIZER (Outlook does this; the fixture is Cyrus' test of it): sam accepts.
		await sendAs(flow, flow.sam, rewriteMail(await fixtureText('apple-style-REPLY-no-organizer-cyrus.eml'),
			{from: flow.sam, to: flow.organizer, messageId: newMessageId('no-organizer')},
			{'6de280c9-edff-4019-8ebd-cfebc73f8201': outlook.tracked.uid, 'foo@example.net': flow.sam.email}));

		// One tick, first ever (no cursor: the relay looks at the last 14 days).
		flow.exchanges.length = 0;
		const result = await tick(flow);
		expect(result.error).toBeUndefined();
		expect(result.messages).toBe(5);
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
		expect(result.writes).toBe(3);
		for (const {tracked} of [google, series, outlook]) {
			expect(writesTo(flow, tracked.href), tracked.summary).toBe(1);
		}

		const {alex, sam, organizer} = {alex: flow.alex.email, sam: flow.sam.email, organizer: flow.organizer.email};
		expect((await readBack(flow, google.tracked.href)).partstats).toEqual({master: {[organizer]: 'ACCEPTED', [alex]: 'DECLINED', [sam]: 'TENTATIVE'}});
		// The series itself is unanswered; the answered occurrences are overrides (RFC 5545 §3.8.4.4).
		expect((await readBack(flow, series.tracked.href)).partstats).toEqual({
			master: {[organizer]: 'ACCEPTED', [alex]: 'NEEDS-ACTION', [sam]: 'NEEDS-ACTION'},
			'20261208T090000': {[organizer]: 'ACCEPTED', [alex]: 'TENTATIVE', [sam]: 'TENTATIVE'},
			'20261209T090000': {[organizer]: 'ACCEPTED', [alex]: 'NEEDS-ACTION', [sam]: 'TENTATIVE'},
		});
		expect((await readBack(flow, outlook.tracked.href)).partstats).toEqual({master: {[organizer]: 'ACCEPTED', [alex]: 'NEEDS-ACTION', [sam]: 'ACCEPTED'}});

		// Stored: one outcome per message, the events' answers and their new ETags.
		const outcomes = await storedOutcomes();
		assertOnePerMessage(outcomes);
		expect(outcomes.map(outcome => [outcome.eventUid, outcome.from, outcome.outcome])).toEqual([
			[google.tracked.uid, alex, 'applied'],
			[google.tracked.uid, sam, 'applied'],
			[series.tracked.uid, alex, 'applied'],
			[series.tracked.uid, sam, 'applied'],
			[outlook.tracked.uid, sam, 'applied'],
		]);
		expect(outcomes[3]!.changes.map(change => change.recurrenceId)).toEqual([expect.stringMatching(/^2026-12-07T22:00/), expect.stringMatching(/^2026-12-08T22:00/)]);
		const events = await eventsItem.getValue();
		expect(events[google.tracked.uid]!.attendees.map(status => [status.email, status.partstat])).toEqual([[alex, 'DECLINED'], [sam, 'TENTATIVE']]);
		for (const {tracked} of [google, series, outlook]) {
			expect(events[tracked.uid]!.etag).toBe((await readBack(flow, tracked.href)).etag);
		}

		// A second tick finds nothing new and writes nothing.
		flow.exchanges.length = 0;
		const again = await tick(flow);
		expect({messages: again.messages, writes: again.writes, error: again.error}).toEqual({messages: 0, writes: 0, error: undefined});
		expect(flow.exchanges).toEqual([]);
	});

	test('a decline sent by someone else for an attendee goes to review and changes nothing on Radicale; "apply anyway" then writes it once', async () => {
		const {tracked} = await invite(flow, {summary: 'Board meeting'});
		await startFromNow(flow);
		const before = await readBack(flow, tracked.href);
		flow.exchanges.length = 0;
		// Sam, logged in to SMTP as sam, mails a REPLY in which alex declines.
		const spoofed = rewrite(await fixtureText('google-REPLY-declined.ics'), {
			'cccc@nylas.com': tracked.uid, 'test2@example.com': flow.organizer.email, 'karim@example.com': flow.alex.email,
		});
		await sendAs(flow, flow.sam, replyMail({from: flow.sam, to: flow.organizer, subject: 'Declined: Board meeting', calendar: spoofed, messageId: newMessageId('spoof')}));

		const result = await tick(flow);
		expect(result.error).toBeUndefined();
		expect(result.outcomes).toHaveLength(1);
		expect(result.outcomes[0]).toMatchObject({outcome: 'review', eventUid: tracked.uid, from: flow.sam.email});
		expect(result.outcomes[0]!.reason).toContain('RFC 6047');
		expect(result.outcomes[0]!.calendar).toContain('PARTSTAT=DECLINED');
		expect(result.answers).toEqual([]);
		expect(writesTo(flow, tracked.href)).toBe(0);
		const after = await readBack(flow, tracked.href);
		expect(after.etag).toBe(before.etag);
		expect(after.ics).toBe(before.ics);
		expect(after.partstats.master![flow.alex.email]).toBe('NEEDS-ACTION');
		expect((await storedOutcomes()).map(outcome => outcome.outcome)).toEqual(['review']);

		// The user looks at it in the popup and vouches for it: "apply anyway" writes it, once.
		const key = result.outcomes[0]!.key;
		const context = {settings: flow.settings, account: flow.account, caldav: flow.caldav, relay: flow.relayClient};
		expect(await applyAnyway(key, context)).toMatchObject({ok: true, changes: [{attendee: flow.alex.email, partstat: 'DECLINED'}]});
		expect(await applyAnyway(key, context)).toMatchObject({ok: true, changes: []});
		expect(writesTo(flow, tracked.href)).toBe(1);
		const applied = await readBack(flow, tracked.href);
		expect(applied.partstats.master![flow.alex.email]).toBe('DECLINED');
		expect(await storedOutcomes()).toEqual([expect.objectContaining({key, outcome: 'applied', dismissed: true})]);
		expect((await eventsItem.getValue())[tracked.uid]).toMatchObject({etag: applied.etag});
	});

	test('the calendar inline and attached, folded differently: one calendar, applied, one answer', async () => {
		const {tracked} = await invite(flow, {summary: 'Offsite'});
		await startFromNow(flow);
		flow.exchanges.length = 0;
		const calendar = rewrite(await fixtureText('google-REPLY-declined.ics'), {
			'cccc@nylas.com': tracked.uid, 'test2@example.com': flow.organizer.email, 'karim@example.com': flow.alex.email,
		});
		// Line folding carries no meaning (RFC 5545 §3.1): the attached copy is the same calendar, unfolded.
		const attached = calendar.replaceAll(/\r\n[ \t]/g, '');
		expect(attached).not.toBe(calendar);
		await sendAs(flow, flow.alex, replyMail({from: flow.alex, to: flow.organizer, subject: 'Declined: Offsite', calendar, attached, messageId: newMessageId('two-copies')}));

		const result = await tick(flow);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => outcome.outcome)).toEqual(['applied']);
		expect(result.outcomes[0]!.changes).toEqual([{attendee: flow.alex.email, partstat: 'DECLINED'}]);
		expect(result.answers.map(answer => `${answer.attendee} ${answer.partstat}`)).toEqual([`${flow.alex.email} DECLINED`]);
		expect(writesTo(flow, tracked.href)).toBe(1);
		expect((await readBack(flow, tracked.href)).partstats.master![flow.alex.email]).toBe('DECLINED');
	});

	test('through the background\'s check: status, badge and one notification per answer', async () => {
		await settingsItem.setValue(flow.settings);
		await accountItem.setValue(flow.account);
		const {tracked} = await invite(flow, {summary: 'Design review'});
		await startFromNow(flow);
		const declined = rewrite(await fixtureText('google-REPLY-declined.ics'), {
			'cccc@nylas.com': tracked.uid, 'test2@example.com': flow.organizer.email, 'karim@example.com': flow.sam.email,
			// Google puts the attendee's note in COMMENT; this fixture has none, so add one.
			'\r\nSEQUENCE:0\r\n': '\r\nSEQUENCE:0\r\nCOMMENT:Travelling that week\r\n',
		});
		await sendAs(flow, flow.sam, replyMail({from: flow.sam, to: flow.organizer, subject: 'Declined: Design review', calendar: declined, messageId: newMessageId('background')}));

		const shown: string[] = [];
		const badges: number[] = [];
		const check = createReplyChecker({
			async badge(count) {
				badges.push(count);
			},
			async notify(_title, message) {
				shown.push(message);
			},
		}, {notifications: async () => true});
		const summary = await check();
		expect(summary).toEqual({ran: true, messages: 1, applied: 1, review: 0});
		expect(shown).toEqual(['Sam Attendee declined Design review: Travelling that week']);
		expect(badges).toEqual([1]);
		expect(await loopStatusItem.getValue()).toMatchObject({lastError: null, unseenAnswers: 1});
		expect((await readBack(flow, tracked.href)).partstats.master![flow.sam.email]).toBe('DECLINED');
	});
});

describe('a reply tick in the middle of an invite send (issue 11, item 3)', () => {
	test('the answer the tick stores while the REQUEST is on its way and the delivery the send stores after it both stay', async () => {
		await startFromNow(flow);
		const ticks: TickResult[] = [];
		const deps = inviteDeps(flow);
		const interleaved: InviteDeps = {...deps, relay: {
			async send(request, call) {
				// The event is on Radicale and stored as "not sent yet": Alex's answer arrives and a tick applies it
				// before the relay takes the REQUEST (a reply to a forwarded copy, or a quick client).
				const [uid] = Object.keys(await eventsItem.getValue());
				const declined = rewrite(await fixtureText('google-REPLY-declined.ics'), {
					'cccc@nylas.com': uid!, 'test2@example.com': flow.organizer.email, 'karim@example.com': flow.alex.email,
				});
				await sendAs(flow, flow.alex, replyMail({from: flow.alex, to: flow.organizer, subject: 'Declined: Board call', calendar: declined, messageId: newMessageId('interleaved')}));
				ticks.push(await tick(flow));
				return deps.relay.send(request, call);
			},
		}};

		const result = await createInvite({
			attendees: [{email: flow.alex.email, name: flow.alex.name}, {email: flow.sam.email, name: flow.sam.name}],
			summary: 'Board call', start: '2026-12-03T10:00', end: '2026-12-03T11:00', timeZone: 'Europe/Berlin',
		}, interleaved);
		expect(result.ok).toBe(true);
		expect(ticks.map(done => done.outcomes.map(outcome => outcome.outcome))).toEqual([['applied']]);

		const stored = (await eventsItem.getValue())[result.uid!]!;
		const onServer = await readBack(flow, stored.href);
		expect(onServer.partstats.master![flow.alex.email]).toBe('DECLINED');
		// The send's record kept what the tick stored: Alex's answer and the ETag of the tick's write.
		expect(stored.attendees.map(status => [status.email, status.partstat])).toEqual([[flow.alex.email, 'DECLINED'], [flow.sam.email, 'NEEDS-ACTION']]);
		expect(stored.etag).toBe(onServer.etag);
		expect(stored.delivery).toMatchObject({state: 'sent', rejected: []});
	});
});

describe('an always-on agent serves the mailbox (issue 17)', () => {
	test('the background\'s check reads its marker on the calendar and leaves the reply to it; once it stopped, the check runs', async () => {
		await settingsItem.setValue(flow.settings);
		await accountItem.setValue(flow.account);
		const {tracked} = await invite(flow, {summary: 'Left to the agent'});
		await startFromNow(flow);
		const accepted = rewrite(await fixtureText('google-REPLY-declined.ics'), {
			'cccc@nylas.com': tracked.uid, 'test2@example.com': flow.organizer.email, 'karim@example.com': flow.alex.email, 'PARTSTAT=DECLINED': 'PARTSTAT=ACCEPTED',
		});
		await sendAs(flow, flow.alex, replyMail({from: flow.alex, to: flow.organizer, subject: 'Accepted: Left to the agent', calendar: accepted, messageId: newMessageId('agent')}));
		const login = {username: flow.account.email, password: flow.account.password};
		const marker: AgentMarker = {version: 1, state: 'running', host: 'home-server', seenAt: new Date().toISOString(), tickSeconds: 300, lastTick: null, watch: 'idle', answers: [], review: [], handled: [], invitations: []};
		await writeCollectionProperty(login, flow.calendarUrl, agentMarkerProperty, markerText(marker));
		const check = createReplyChecker({badge: async () => undefined, notify: async () => undefined}, {notifications: async () => false});
		try {
			expect(await check()).toEqual({ran: false, messages: 0, applied: 0, review: 0, agentHost: 'home-server'});
			expect(await agentMarkerItem.getValue()).toEqual(marker);
			expect((await readBack(flow, tracked.href)).partstats.master![flow.alex.email]).toBe('NEEDS-ACTION');
		} finally {
			await writeCollectionProperty(login, flow.calendarUrl, agentMarkerProperty, markerText({...marker, state: 'stopped'}));
		}

		expect(await check()).toEqual({ran: true, messages: 1, applied: 1, review: 0});
		expect((await readBack(flow, tracked.href)).partstats.master![flow.alex.email]).toBe('ACCEPTED');
	});
});
