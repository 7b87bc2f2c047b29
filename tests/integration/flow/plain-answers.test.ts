/**
 * A plain-text "yes" through the real relay, SMTP, Dovecot and Radicale (issue 15, "Must show"): the invitation's
 * Message-ID is remembered when it is sent; Sam answers it from a client that is not iTIP-aware; the relay returns
 * that mail (and no other plain mail) to the reply loop, which lists it under the event as "Sam answered by e-mail";
 * one click records ACCEPTED on Radicale, and no mail is sent.
 */
import {describe, expect, test} from 'vitest';
import type {Context} from '../../../lib/background/context.ts';
import {recordPlainAnswerAction} from '../../../lib/background/plain-answer-actions.ts';
import {popupState} from '../../../lib/background/popup-state.ts';
import {withPlainAnswers} from '../../../lib/plain-answers/relay-port.ts';
import {createPlainAnswerStore} from '../../../lib/plain-answers/storage-store.ts';
import type {PlainAnswerMessage} from '../../../lib/relay-client/types.ts';
import {eventsItem, loopStatusItem, outcomesItem, plainAnswersItem, sentInvitationsItem} from '../../../lib/storage.ts';
import {plainMail, replyShapes} from '../../helpers/plain-replies.ts';
import {invite, newMessageId, readBack, sendAs, sentIds, startFromNow, tick, useRelayFlow, type Flow} from './helpers.ts';

let flow: Flow;

useRelayFlow(started => {
	flow = started;
});

function context(): Context {
	return {settings: flow.settings, account: flow.account, caldav: flow.caldav, relay: flow.relayClient};
}

describe('plain-text answers', () => {
	test('Sam\'s "Yes, I\'ll be there" by plain mail → listed under the event → one click → ACCEPTED on Radicale, no mail sent', async () => {
		// Only Sam is invited: Alex is a stranger to this event.
		const {tracked} = await invite(flow, {summary: 'Budget review', attendees: [{email: flow.sam.email, name: flow.sam.name}]});
		const sent = (await sentInvitationsItem.getValue())[tracked.uid];
		expect(sent?.messageIds).toHaveLength(1);
		const invitationId = sent!.messageIds[0]!;
		// The remembered Message-ID is the one the organizer's Sent copy carries.
		expect(await sentIds(flow)).toContain(invitationId);
		await startFromNow(flow);

		const [gmail] = replyShapes({subject: sent!.subjects[0]!, organizer: flow.organizer.email, organizerName: flow.organizer.name});
		const yes = newMessageId('plain-yes');
		await sendAs(flow, flow.sam, plainMail({from: flow.sam, to: flow.organizer, subject: `Re: ${sent!.subjects[0]!}`, messageId: yes, inReplyTo: invitationId, body: gmail!.body}));
		// A stranger answering the same invitation, and Sam writing about something else: neither is an answer.
		const stranger = newMessageId('plain-stranger');
		await sendAs(flow, flow.alex, plainMail({from: flow.alex, to: flow.organizer, subject: `Re: ${sent!.subjects[0]!}`, messageId: stranger, inReplyTo: invitationId, body: 'Yes'}));
		await sendAs(flow, flow.sam, plainMail({from: flow.sam, to: flow.organizer, subject: 'Lunch on Friday?', messageId: newMessageId('plain-lunch'), body: 'Yes or no?'}));

		const returned: PlainAnswerMessage[] = [];
		const relay = withPlainAnswers({
			async replies(request, call) {
				const response = await flow.relayClient.replies(request, call);
				returned.push(...response.plainAnswers ?? []);
				return response;
			},
		}, createPlainAnswerStore());
		const result = await tick(flow, {relay});
		expect(result.error).toBeUndefined();
		// The relay returned the two mails naming the invitation, not the lunch question; the text comes decoded.
		expect(returned.map(mail => mail.headers.messageId).sort()).toEqual([yes, stranger].sort());
		expect(returned.find(mail => mail.headers.messageId === yes)).toMatchObject({headers: {inReplyTo: invitationId}, answer: gmail!.said, truncated: false});

		const answers = await plainAnswersItem.getValue();
		expect(answers).toHaveLength(1);
		expect(answers[0]).toMatchObject({eventUid: tracked.uid, attendee: {email: flow.sam.email}, excerpt: gmail!.excerpt, messageId: yes});
		const shown = popupState({configured: true, events: await eventsItem.getValue(), outcomes: await outcomesItem.getValue(), status: await loopStatusItem.getValue(), plainAnswers: answers});
		expect(shown.events.find(event => event.uid === tracked.uid)?.plainAnswers).toEqual(answers);
		expect((await readBack(flow, tracked.href)).partstats.master?.[flow.sam.email]).toBe('NEEDS-ACTION');

		const before = await sentIds(flow);
		const recorded = await recordPlainAnswerAction(answers[0]!.key, 'ACCEPTED', context());
		expect(recorded).toMatchObject({ok: true, changes: [{attendee: flow.sam.email, partstat: 'ACCEPTED'}]});
		const stored = await readBack(flow, tracked.href);
		expect(stored.partstats.master?.[flow.sam.email]).toBe('ACCEPTED');
		expect((await eventsItem.getValue())[tracked.uid]?.attendees.find(attendee => attendee.email === flow.sam.email)?.partstat).toBe('ACCEPTED');
		expect((await plainAnswersItem.getValue())[0]?.recorded?.partstat).toBe('ACCEPTED');
		// Recorded, it leaves the list; nothing was mailed.
		const after = popupState({configured: true, events: await eventsItem.getValue(), outcomes: [], status: await loopStatusItem.getValue(), plainAnswers: await plainAnswersItem.getValue()});
		expect(after.events.find(event => event.uid === tracked.uid)?.plainAnswers).toBeUndefined();
		expect(await sentIds(flow)).toEqual(before);
	});
});
