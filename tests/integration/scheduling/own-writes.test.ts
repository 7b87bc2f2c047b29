/**
 * Issue 18, "our own writes never trigger a send", across instances: the always-on agent (`relay/main.ts agent
 * --once`, scheduleOtherApps on) serves the account while the user works in the extension. The extension's writes
 * (an Edit in the composer, a reply applied, an invitation answered from the card) carry lib/itip's mailed stamp, so
 * the agent adopts them without mailing them a second time; a later change in another calendar app (Debian's
 * python3-caldav) to the same event is still sent, once.
 */
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {fakeBrowser} from 'wxt/testing';
import {answerInvitation, createStorageInvitations, type InvitationMessage} from '../../../lib/attendee/index.ts';
import {createCaldavClient, discoverCalendars} from '../../../lib/caldav/index.ts';
import {readCalendarMail} from '../../../lib/imip/index.ts';
import {updateInvite} from '../../../lib/invites/index.ts';
import {calendarApp, type CalendarApp} from '../../helpers/calendar-app.ts';
import {makeReply} from '../../helpers/make-reply.ts';
import {invite, inviteDeps, newMessageId, rawMessage, replyMail, sendAs, sentIds, startFlow, startFromNow, tick, type Flow} from '../flow/helpers.ts';
import {mailsAbout, methods, vevent, type Mail} from './helpers.ts';
import {agentRunner, type SchedulingRunner} from './runners.ts';

let flow: Flow;
let app: CalendarApp;
let runner: SchedulingRunner;

beforeAll(async () => {
	flow = await startFlow();
	app = calendarApp(flow.sandbox.caldav.url, flow.organizer);
	runner = await agentRunner(flow);
});

afterAll(async () => {
	await runner?.close();
	await flow?.stop();
});

beforeEach(async () => {
	await runner.reset();
});

function sequenceOf(mail: Mail): number {
	return Number(vevent(mail.calendar).getFirstPropertyValue('sequence'));
}

describe('the extension\'s writes while the agent schedules for other apps', () => {
	test('an Edit in the composer (SEQUENCE+1, mailed once) → the agent sends nothing; then moved in python3-caldav → exactly one REQUEST with SEQUENCE+1', async () => {
		expect((await runner.organizer.tick()).baselines).toBe(1);
		const {tracked} = await invite(flow, {summary: 'Edited here'});
		expect((await runner.organizer.tick()).sent).toEqual([]);

		expect(await updateInvite(tracked.uid, {start: '2026-12-01T18:00', end: '2026-12-01T19:00'}, inviteDeps(flow))).toMatchObject({ok: true});
		const edited = await mailsAbout(flow, flow.alex, tracked.uid);
		expect(methods(edited)).toEqual(['REQUEST', 'REQUEST']);
		expect(sequenceOf(edited[1]!)).toBe(1);
		const afterEdit = await runner.organizer.tick();
		expect(afterEdit.changes).toBe(1);
		expect(afterEdit.sent).toEqual([]);
		expect(methods(await mailsAbout(flow, flow.alex, tracked.uid))).toEqual(['REQUEST', 'REQUEST']);

		await app.edit(tracked.uid, {moveHours: 1});
		const moved = await runner.organizer.tick();
		expect(moved.sent.map(record => record.sentence)).toEqual(['Sent the new time of Edited here to 2 people because it changed in another app']);
		for (const account of [flow.alex, flow.sam]) {
			const mails = await mailsAbout(flow, account, tracked.uid);
			expect(methods(mails)).toEqual(['REQUEST', 'REQUEST', 'REQUEST']);
			expect(sequenceOf(mails[2]!)).toBe(2);
		}

		expect((await runner.organizer.tick()).sent).toEqual([]);
		expect((await runner.organizer.sentLog()).map(record => record.uid)).toEqual([tracked.uid]);
	});

	test('a reply applied by the extension\'s reply loop to a meeting it organized → the agent sends nothing', async () => {
		expect((await runner.organizer.tick()).baselines).toBe(1);
		const {tracked} = await invite(flow, {summary: 'Answered here'});
		await startFromNow(flow);
		expect((await runner.organizer.tick()).sent).toEqual([]);

		const calendar = makeReply({uid: tracked.uid, organizer: flow.organizer.email, attendee: flow.alex.email, partstat: 'DECLINED', dtstamp: new Date().toISOString().replaceAll(/[-:]|\.\d+/g, '')});
		await sendAs(flow, flow.alex, replyMail({from: flow.alex, to: flow.organizer, subject: 'Declined: Answered here', calendar, messageId: newMessageId('own-writes')}));
		const applied = await tick(flow);
		expect(applied.answers.map(answer => [answer.attendee, answer.partstat])).toEqual([[flow.alex.email, 'DECLINED']]);
		const afterReply = await runner.organizer.tick();
		expect(afterReply.sent).toEqual([]);
		expect(await runner.organizer.sentLog()).toEqual([]);
		expect(methods(await mailsAbout(flow, flow.alex, tracked.uid))).toEqual(['REQUEST']);
		expect(methods(await mailsAbout(flow, flow.sam, tracked.uid))).toEqual(['REQUEST']);
	});

	test('an invitation accepted from the card (lib/attendee) → the attendee\'s agent sends no second REPLY', async () => {
		const calendarUrl = (await discoverCalendars({serverUrl: flow.sandbox.caldav.url, username: flow.alex.email, password: flow.alex.password})).calendars[0]!.url;
		const alex = runner.attendee(flow.alex, calendarUrl);
		expect((await alex.tick()).baselines).toBe(1);

		const before = await sentIds(flow);
		const {tracked} = await invite(flow, {summary: 'Accepted here', attendees: [{email: flow.alex.email, name: flow.alex.name}]});
		const [requestId] = (await sentIds(flow)).filter(id => !before.includes(id));
		const mail = await readCalendarMail(await rawMessage(flow.sandbox.imap, flow.alex, 'INBOX', requestId!));
		const part = mail.parts.find(candidate => candidate.method === 'REQUEST')!;
		const message: InvitationMessage = {calendar: part.text, from: mail.from ? [mail.from.email] : [], authenticationResults: mail.authenticationResults};
		fakeBrowser.reset();
		const answered = await answerInvitation(message, {answer: 'ACCEPTED'}, {
			caldav: createCaldavClient({username: flow.alex.email, password: flow.alex.password}),
			relay: flow.relayClient,
			account: {email: flow.alex.email, name: flow.alex.name, password: flow.alex.password, aliases: []},
			settings: {...flow.settings, calendarUrl},
			invitations: createStorageInvitations(),
		});
		expect(answered).toMatchObject({ok: true});
		expect(methods(await mailsAbout(flow, flow.organizer, tracked.uid))).toEqual(['REPLY']);

		const afterAnswer = await alex.tick();
		expect(afterAnswer.changes).toBe(1);
		expect(afterAnswer.sent).toEqual([]);
		expect(methods(await mailsAbout(flow, flow.organizer, tracked.uid))).toEqual(['REPLY']);

		// Alex changes the answer in another app: that is sent, once.
		await calendarApp(flow.sandbox.caldav.url, flow.alex).edit(tracked.uid, {partstat: {email: flow.alex.email, value: 'DECLINED'}});
		expect((await alex.tick()).sent.map(record => record.sentence)).toEqual(['Sent your answer (declined) to Accepted here to the organizer because you answered in another app']);
		expect(methods(await mailsAbout(flow, flow.organizer, tracked.uid))).toEqual(['REPLY', 'REPLY']);
	});
});
