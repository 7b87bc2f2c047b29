/**
 * Issue 18, "Must show": meetings made and answered in another calendar app (Debian's python3-caldav, driven from
 * here) on the sandbox's Radicale; one tick sends what an RFC 6638 server would, through SMTP and Dovecot. Every
 * scenario runs twice: by the extension (lib/scheduling on its storage, the real relay) and by the always-on agent
 * as a user runs it (`relay/main.ts agent --config FILE --once`, SQLite state). Each test starts with empty state, so
 * its first tick is a baseline.
 */
import {randomUUID} from 'node:crypto';
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {calendarApp, type CalendarApp} from '../../helpers/calendar-app.ts';
import {invite, startFlow, startFromNow, type Flow} from '../flow/helpers.ts';
import type {SandboxAccount} from '../../sandbox/index.ts';
import {mailsAbout as mailsIn, meetingIcs, methods, vevent, type Mail, type MeetingOptions} from './helpers.ts';
import {agentRunner, extensionRunner, type RunnerName, type SchedulingRunner} from './runners.ts';

let flow: Flow;
let app: CalendarApp;

beforeAll(async () => {
	flow = await startFlow();
	app = calendarApp(flow.sandbox.caldav.url, flow.organizer);
});

afterAll(async () => {
	await flow?.stop();
});

function meeting(uid: string, attendees: readonly string[], options: MeetingOptions = {}): string {
	return meetingIcs(flow.organizer.email, uid, attendees, options);
}

async function mailsAbout(account: SandboxAccount, eventUid: string): Promise<Mail[]> {
	return mailsIn(flow, account, eventUid);
}

const runnerNames: RunnerName[] = ['extension', 'agent'];

describe.each(runnerNames)('run by the %s', name => {
	let runner: SchedulingRunner;

	beforeAll(async () => {
		runner = name === 'extension' ? extensionRunner(flow) : await agentRunner(flow);
	});

	afterAll(async () => {
		await runner?.close();
	});

	beforeEach(async () => {
		await runner.reset();
	});

	describe('the user organizes in another app', () => {
		test('new → REQUEST to both; an hour later → SEQUENCE+1; one removed → CANCEL to them; deleted → CANCEL to the other; what existed before the first run → nothing', async () => {
			const schedule = runner.organizer.tick;
			const before = `before-${randomUUID()}`;
			await app.create(meeting(before, [flow.alex.email, flow.sam.email], {summary: 'Existing'}));
			const first = await schedule();
			expect(first.baselines).toBe(1);
			expect(first.sent).toEqual([]);

			const uid = `app-${randomUUID()}`;
			await app.create(meeting(uid, [flow.alex.email, flow.sam.email]));
			const created = await schedule();
			expect(created.sent.map(record => record.sentence)).toEqual(['Sent the invitation to Team sync to 2 people because it was made in another app']);
			expect(methods(await mailsAbout(flow.alex, uid))).toEqual(['REQUEST']);
			expect(methods(await mailsAbout(flow.sam, uid))).toEqual(['REQUEST']);
			// It is one of ours now: the reply loop applies its answers.
			expect((await runner.organizer.events())[uid]?.attendees.map(attendee => attendee.email).sort()).toEqual([flow.alex.email, flow.sam.email].sort());

			const sequenceOf = (mail: Mail): number => Number(vevent(mail.calendar).getFirstPropertyValue('sequence'));
			const invited = sequenceOf((await mailsAbout(flow.alex, uid))[0]!);
			await app.edit(uid, {moveHours: 1});
			const moved = await schedule();
			expect(moved.sent.map(record => record.sentence)).toEqual(['Sent the new time of Team sync to 2 people because it changed in another app']);
			for (const account of [flow.alex, flow.sam]) {
				const mails = await mailsAbout(account, uid);
				expect(methods(mails)).toEqual(['REQUEST', 'REQUEST']);
				const update = vevent(mails[1]!.calendar);
				expect(update.getFirstPropertyValue('sequence')).toBe(invited + 1);
				expect(update.getFirstPropertyValue('dtstart')?.toString()).toBe('2027-01-15T11:00:00Z');
			}

			// python3-caldav raised SEQUENCE itself; an app that does not (here: another device writing the same SEQUENCE)
			// gets it raised for it, written back with If-Match.
			const current = await flow.otherDevice.findEventByUid(flow.calendarUrl, uid);
			const unbumped = current!.ics.replace(/DTSTART([^:\r\n]*):20270115T110000Z/, 'DTSTART$1:20270115T120000Z').replace(/DTEND([^:\r\n]*):20270115T120000Z/, 'DTEND$1:20270115T130000Z');
			expect(unbumped).not.toBe(current!.ics);
			// As another app writes: without our mailed stamp (our own client stamps its writes as already mailed).
			await flow.otherDevice.updateEvent(current!.href, unbumped, current!.etag, {mailed: false});
			const movedAgain = await schedule();
			expect(movedAgain.writes).toBe(1);
			expect(movedAgain.sent).toHaveLength(1);
			const again = vevent((await mailsAbout(flow.alex, uid))[2]!.calendar);
			expect(again.getFirstPropertyValue('sequence')).toBe(invited + 2);
			expect(vevent(await app.get(uid)).getFirstPropertyValue('sequence')).toBe(invited + 2);

			await app.edit(uid, {removeAttendee: flow.sam.email});
			await schedule();
			expect(methods(await mailsAbout(flow.sam, uid))).toEqual(['REQUEST', 'REQUEST', 'REQUEST', 'CANCEL']);
			const samCancel = vevent((await mailsAbout(flow.sam, uid))[3]!.calendar);
			expect(samCancel.getAllProperties('attendee').map(property => String(property.getFirstValue()).toLowerCase())).toEqual([`mailto:${flow.sam.email}`]);
			expect(methods(await mailsAbout(flow.alex, uid))).toEqual(['REQUEST', 'REQUEST', 'REQUEST', 'REQUEST']);

			await app.remove(uid);
			const deleted = await schedule();
			expect(deleted.sent.map(record => record.sentence)).toEqual(['Sent the cancellation of Team sync to 1 person because it was deleted in another app']);
			expect(methods(await mailsAbout(flow.alex, uid))).toEqual(['REQUEST', 'REQUEST', 'REQUEST', 'REQUEST', 'CANCEL']);
			expect(methods(await mailsAbout(flow.sam, uid))).toEqual(['REQUEST', 'REQUEST', 'REQUEST', 'CANCEL']);

			// Nothing was ever sent for the event that was there before the first run, and a quiet tick sends nothing.
			expect(await mailsAbout(flow.alex, before)).toEqual([]);
			expect((await schedule()).sent).toEqual([]);
			expect((await runner.organizer.sentLog()).map(record => record.uid)).toEqual([uid, uid, uid, uid, uid, uid]);
		});

		test('SCHEDULE-AGENT=CLIENT on the organizer (RFC 6638 §7.1): the app sends its own mail, we send nothing', async () => {
			const schedule = runner.organizer.tick;
			await schedule();
			const uid = `client-${randomUUID()}`;
			await app.create(meeting(uid, [flow.alex.email], {organizerParameters: ';SCHEDULE-AGENT=CLIENT'}));
			const result = await schedule();
			expect(result.changes).toBe(1);
			expect(result.sent).toEqual([]);
			await app.edit(uid, {moveHours: 2});
			expect((await schedule()).sent).toEqual([]);
			expect(await mailsAbout(flow.alex, uid)).toEqual([]);
		});

		test('our own invitation (the invite flow\'s write) sends nothing a second time', async () => {
			const schedule = runner.organizer.tick;
			await schedule();
			const {tracked} = await invite(flow, {summary: 'Sent from the webmail'});
			const result = await schedule();
			expect(result.changes).toBe(1);
			expect(result.sent).toEqual([]);
			expect(methods(await mailsAbout(flow.alex, tracked.uid))).toEqual(['REQUEST']);
		});
	});

	describe('the user attends', () => {
		test('an invitation accepted through python3-caldav → a REPLY in the organizer\'s INBOX that our reply loop applies', async () => {
			// The organizer's first run, before any of this: its baseline.
			expect((await runner.organizer.tick()).sent).toEqual([]);
			const {tracked} = await invite(flow, {summary: 'Planning', attendees: [{email: flow.alex.email, name: flow.alex.name}]});
			await startFromNow(flow);
			// Alex's calendar holds the invitation (filed by Alex's app); Alex's extension (or agent) watches it.
			const alexApp = calendarApp(flow.sandbox.caldav.url, flow.alex);
			const invitation = (await flow.otherDevice.readEvent(tracked.href)).ics;
			await alexApp.create(invitation);
			const alex = runner.attendee(flow.alex, `${new URL(flow.calendarUrl).origin}/webdav/${flow.alex.id}/calendar/`);
			expect((await alex.tick()).baselines).toBe(1);

			await alexApp.edit(tracked.uid, {partstat: {email: flow.alex.email, value: 'ACCEPTED'}});
			const answered = await alex.tick();
			expect(answered.sent.map(record => record.sentence)).toEqual(['Sent your answer (accepted) to Planning to the organizer because you answered in another app']);
			const replies = await mailsAbout(flow.organizer, tracked.uid);
			expect(methods(replies)).toEqual(['REPLY']);

			expect(await runner.organizer.applyReplies()).toEqual([[flow.alex.email, 'ACCEPTED']]);
			const stored = vevent((await flow.otherDevice.readEvent(tracked.href)).ics);
			const alexAttendee = stored.getAllProperties('attendee').find(property => String(property.getFirstValue()).toLowerCase() === `mailto:${flow.alex.email}`);
			expect(alexAttendee?.getParameter('partstat')).toBe('ACCEPTED');
			// And the reply loop's write is ours: the organizer's scheduling sends nothing for it.
			expect((await runner.organizer.tick()).sent).toEqual([]);
			expect(await runner.organizer.sentLog()).toEqual([]);
			expect(methods(await mailsAbout(flow.alex, tracked.uid))).toEqual(['REQUEST']);
		});
	});
});
