/**
 * Issue 12 end to end: crafted replies delivered for real (SMTP with AUTH, LMTP into Dovecot), read by the real
 * relay, decided by one tick of the reply loop and written to Radicale. None of them may change anyone but the
 * replier, freeze later answers or bloat the stored event; a genuine answer after them still lands.
 */
import {describe, expect, test} from 'vitest';
import {accountItem, settingsItem} from '../../../lib/storage.ts';
import {makeReply} from '../../helpers/make-reply.ts';
import {attendeeParameter} from '../../helpers/itip-semantic.ts';
import {invite, newMessageId, readBack, sendAs, startFromNow, tick, useRelayFlow, type Flow} from './helpers.ts';

let flow: Flow;

useRelayFlow(started => {
	flow = started;
});

function mail(headers: string[], subject: string, calendar: string, messageId: string): string {
	return [...headers, 'To: <organizer@sandbox.test>', `Subject: ${subject}`, `Message-ID: ${messageId}`, `Date: ${new Date().toUTCString()}`,
		'MIME-Version: 1.0', 'Content-Type: text/calendar; charset=utf-8; method=REPLY', 'Content-Transfer-Encoding: 8bit', '', calendar].join('\r\n');
}

describe('hostile replies through the real relay', {timeout: 240_000}, () => {
	test('spoofed Sender, frozen SEQUENCE and DTSTAMP, a delegation onto an attendee, 30 RECURRENCE-IDs and a 900 KB comment change nothing they must not', async () => {
		await settingsItem.setValue(flow.settings);
		await accountItem.setValue(flow.account);
		const {tracked} = await invite(flow, {summary: 'Hostile check'});
		await startFromNow(flow);
		const base = {uid: tracked.uid, organizer: flow.organizer.email};
		const {alex, sam} = flow;
		const far = Array.from({length: 30}, (_unused, index) => makeReply({...base, attendee: alex.email, partstat: 'DECLINED', recurrenceId: `${2326 + index}1201T090000Z`}));
		const thirty = far[0]!.replace(/END:VEVENT[\s\S]*$/, '') + far.slice(1).map(text => /BEGIN:VEVENT[\s\S]*?END:VEVENT\r\n/.exec(text)![0]).join('') + 'END:VEVENT\r\nEND:VCALENDAR\r\n';
		const attacks: Array<[typeof alex, string[], string, string]> = [
			// Sam, authenticated as Sam, claims Alex's decline with a Sender header naming Alex.
			[sam, [`From: <${sam.email}>`, `Sender: <${alex.email}>`], 'Declined', makeReply({...base, attendee: alex.email, partstat: 'DECLINED'})],
			[alex, [`From: <${alex.email}>`], 'Frozen sequence', makeReply({...base, attendee: alex.email, partstat: 'DECLINED', sequence: 2_147_483_647})],
			[alex, [`From: <${alex.email}>`], 'Frozen stamp', makeReply({...base, attendee: alex.email, partstat: 'DECLINED', dtstamp: '99991231T235959Z'})],
			[sam, [`From: <${sam.email}>`], 'Delegated', makeReply({...base, attendee: sam.email, partstat: 'ACCEPTED'}).replace('ATTENDEE;PARTSTAT=ACCEPTED', `ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:${alex.email}"`)],
			[alex, [`From: <${alex.email}>`], 'Thirty', thirty],
			[alex, [`From: <${alex.email}>`], 'Tentative', makeReply({...base, attendee: alex.email, partstat: 'TENTATIVE', comment: `\u202E${'y'.repeat(900_000)}`})],
			// Then Sam's genuine answer.
			[sam, [`From: <${sam.email}>`], 'Accepted', makeReply({...base, attendee: sam.email, partstat: 'ACCEPTED', dtstamp: '20261120T110000Z'})],
		];
		for (const [sender, headers, subject, calendar] of attacks) {
			await sendAs(flow, sender, mail(headers, subject, calendar, newMessageId(subject.replaceAll(' ', '-').toLowerCase())));
		}

		const result = await tick(flow);
		expect(result.error).toBeUndefined();
		expect(result.outcomes.map(outcome => [outcome.subject, outcome.outcome, outcome.check])).toEqual([
			['Declined', 'review', 'sender'],
			['Frozen sequence', 'review', 'sequence-ahead'],
			['Frozen stamp', 'review', 'dtstamp-ahead'],
			['Delegated', 'review', 'delegation'],
			['Thirty', 'ignored', undefined],
			['Tentative', 'applied', undefined],
			['Accepted', 'applied', undefined],
		]);
		const stored = await readBack(flow, tracked.href);
		expect(stored.partstats.master).toMatchObject({[alex.email]: 'TENTATIVE', [sam.email]: 'ACCEPTED'});
		expect(attendeeParameter(stored.ics, 'master', alex.email, 'x-pmi-reply-sequence')).toBe('0');
		expect(attendeeParameter(stored.ics, 'master', alex.email, 'delegated-from')).toBeUndefined();
		// The 900 KB comment is kept as about 1 KB, without the bidi override.
		expect(stored.ics.length).toBeLessThan(6000);
		expect(String(attendeeParameter(stored.ics, 'master', alex.email, 'x-pmi-comment'))).toMatch(/^y{1000,1023}…$/);
		// One notification's worth of answers: two, named together.
		expect(result.answers.map(answer => answer.partstat)).toEqual(['TENTATIVE', 'ACCEPTED']);
	});
});
